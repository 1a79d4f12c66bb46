"""Root pytest configuration: Alembic's env.py and migration scripts are not importable modules."""

collect_ignore_glob = ["dnh_graph/store/migrations/*", "bench/*", "data/*"]
