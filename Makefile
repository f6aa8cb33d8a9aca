# The two commands every new user needs: `make run` and `make test`. `make bench` runs the benchmarks.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
STAMP := $(VENV)/.installed
TEST_WORKERS ?= auto

.PHONY: run test lint bench setup db demo clean system-packages-run system-packages-test system-packages-bench

$(STAMP): pyproject.toml package-lock.json | system-packages-run
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test]"
	npm ci --no-audit --no-fund --loglevel=error  # axe-core for the browser accessibility tests
	touch $(STAMP)

setup: $(STAMP)

# Debian packages (Pango and fonts for PDFs, gettext, Node.js/npm for setup; for tests also Chromium, poppler-utils):
# installed with apt-get when missing and running as root, otherwise the command to run is printed.
system-packages-run:
	@sh scripts/system-packages.sh run

system-packages-test:
	@sh scripts/system-packages.sh test

system-packages-bench:
	@sh scripts/system-packages.sh bench

db: setup
	$(BIN)/samhandling migrate --noinput
	$(BIN)/samhandling collectstatic --noinput --verbosity 0

# Demo mode (the login page lists the demo accounts) is on for `make run`; `demo` prints one line per account.
run: db
	SAMHANDLING_DEMO=1 $(BIN)/samhandling demo --if-empty
	SAMHANDLING_DEMO=1 HOST=$(HOST) PORT=$(PORT) $(BIN)/samhandling serve --host $(HOST) --port $(PORT)

# Lint (defects, not taste: see [tool.ruff.lint]), formatting and the type check of services and selectors
# ([tool.mypy]); `make test` runs it first, so CI fails on any of them.
lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

# Tests go to the workers one by one, and an idle worker takes queued ones from the other (`worksteal`): by file,
# the last long files kept one core idle for a minute. --durations prints the slowest 10.
# The lint runs beside the tests' first seconds, while one worker migrates the database the others copy and a
# core is free; its report follows the tests', and `make test` fails when either fails. Only the two pytest
# plugins in use are loaded: pytest rewrites the asserts of every module of a plugin's package it imports (all
# of faker's, schemathesis'), which took seconds in each worker for plugins nothing uses.
test: system-packages-test setup
	@$(MAKE) --no-print-directory lint > $(VENV)/lint.log 2>&1 & lint=$$!; \
	PYTEST_DISABLE_PLUGIN_AUTOLOAD=1 $(BIN)/python -m pytest -p pytest_django.plugin -p xdist.plugin \
	  -n $(TEST_WORKERS) --dist worksteal --durations=10 $(PYTEST_ARGS); tests=$$?; \
	wait $$lint; linted=$$?; cat $(VENV)/lint.log; \
	[ $$linted -eq 0 ] || echo "make test: the lint failed (above)"; \
	[ $$tests -eq 0 ] && [ $$linted -eq 0 ]

# Every bench on SQLite, then on PostgreSQL: BENCH_DATABASE_URL, or a server bench/common.py starts itself when
# the Debian binaries are there (/usr/lib/postgresql/*/bin); BENCH_ENGINES=sqlite runs SQLite only.
BENCH_ENGINES ?= sqlite postgresql
bench: system-packages-bench setup
	@set -e; for engine in $(BENCH_ENGINES); do \
	  if [ $$engine = postgresql ] && [ -z "$$BENCH_DATABASE_URL" ] && ! ls -d /usr/lib/postgresql/*/bin >/dev/null 2>&1; then \
	    echo "# no PostgreSQL (set BENCH_DATABASE_URL or install the postgresql package): SQLite only"; continue; fi; \
	  for f in bench/bench_*.py; do echo "== $$f ($$engine)"; BENCH_ENGINE=$$engine $(BIN)/python $$f; done; \
	done

clean:
	rm -rf $(VENV) var/*.sqlite3 var/staticfiles
