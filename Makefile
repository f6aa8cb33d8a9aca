# The two commands every new user needs: `make run` and `make test`. `make bench` runs the benchmarks.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
STAMP := $(VENV)/.installed
TEST_WORKERS ?= auto

.PHONY: run test lint bench setup db demo clean

$(STAMP): pyproject.toml package-lock.json
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test]"
	npm ci --no-audit --no-fund --loglevel=error  # axe-core for the browser accessibility tests
	touch $(STAMP)

setup: $(STAMP)

db: setup
	$(BIN)/samhandling migrate --noinput
	$(BIN)/samhandling collectstatic --noinput --verbosity 0

run: db
	$(BIN)/samhandling demo --if-empty
	HOST=$(HOST) PORT=$(PORT) $(BIN)/samhandling serve --host $(HOST) --port $(PORT)

# Lint (defects, not taste: see [tool.ruff.lint]), formatting and the type check of services and selectors
# ([tool.mypy]); `make test` runs it first, so CI fails on any of them.
lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

test: setup lint
	$(BIN)/python -m pytest -n $(TEST_WORKERS) --dist loadfile --durations=10 $(PYTEST_ARGS)

bench: setup
	@set -e; for f in bench/bench_*.py; do echo "== $$f"; $(BIN)/python $$f; done

clean:
	rm -rf $(VENV) var/*.sqlite3 var/staticfiles
