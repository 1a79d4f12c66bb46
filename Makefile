# Two commands on a fresh machine: `make run` and `make test` (see README).
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8501

.PHONY: run team team-database test lint install dev demo bench clean

$(VENV)/.installed: requirements.txt pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	$(PY) -m pip install --quiet --no-deps -e .
	touch $@

$(VENV)/.dev-installed: $(VENV)/.installed requirements-dev.txt
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed

dev: $(VENV)/.dev-installed

demo: install
	$(VENV)/bin/dnh demo --if-empty

run: demo
	$(VENV)/bin/streamlit run streamlit_app.py --server.address $(HOST) --server.port $(PORT)

# A team server (README, "Team server"): the PostgreSQL database named by DNH_DATABASE_URL, migrated,
# served on $(HOST):$(PORT), 127.0.0.1 unless told otherwise (a TLS proxy in front). No demo analyses.
team: team-database install
	$(VENV)/bin/dnh db upgrade
	$(VENV)/bin/streamlit run streamlit_app.py --server.address $(HOST) --server.port $(PORT)

team-database:
	@case "$(DNH_DATABASE_URL)" in postgresql://*|postgresql+psycopg://*) ;; \
	  *) echo "make team needs DNH_DATABASE_URL=postgresql://... (README, Team server)." >&2; exit 2;; esac

lint: dev
	$(VENV)/bin/ruff check .

test: lint
	$(PY) -m pytest tests dnh_graph -q -n 2

bench: dev
	for b in bench/bench_*.py; do echo "== $$b"; $(PY) $$b || exit 1; done

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis
