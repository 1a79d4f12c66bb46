"""``python -m dnh_graph`` is the ``dnh`` command."""

import sys

from dnh_graph.cli import main

sys.exit(main())
