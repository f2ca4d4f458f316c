# The few commands people type. `make run` and `make test` do all the set-up on a fresh machine.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
# The oldest versions pyproject.toml allows, in a virtual environment of their own.
FLOORS_VENV ?= .venv-floors
HOST ?= 127.0.0.1
PORT ?= 8000
# The seed tells the story of the FY2014 budget year: `make run` shows it as of its data date.
RUN_AS_OF ?= 2014-06-30

.PHONY: install run init test test-unit test-floors check-imports lint bench clean

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

init: install
	FACILITIES_AS_OF=$${FACILITIES_AS_OF:-$(RUN_AS_OF)} $(BIN)/facilities init --host $(HOST) --port $(PORT)

run: init
	FACILITIES_AS_OF=$${FACILITIES_AS_OF:-$(RUN_AS_OF)} $(BIN)/facilities serve --host $(HOST) --port $(PORT)

# Everything: the import rules, then unit, API (SQLite, and PostgreSQL when TEST_DATABASE_URL is
# set) and system tests (browser, fuzzing, real processes, races).
test: install check-imports
	$(BIN)/pytest $(PYTEST_ARGS)

# The pure rules alone: no database, no server, seconds.
test-unit: install
	$(BIN)/pytest tests/unit $(PYTEST_ARGS)

# The unit tests on the dependency floors: every `>=` lower bound of pyproject.toml installed
# exactly (constraints written by tests/floors.py), so a floor that no longer holds fails here.
test-floors: $(FLOORS_VENV)/.installed
	$(FLOORS_VENV)/bin/pytest -p no:cacheprovider tests/unit $(PYTEST_ARGS)

$(FLOORS_VENV)/.installed: pyproject.toml tests/floors.py
	rm -rf $(FLOORS_VENV)
	$(PYTHON) -m venv $(FLOORS_VENV)
	$(PYTHON) -m tests.floors > $(FLOORS_VENV)/constraints.txt
	$(FLOORS_VENV)/bin/pip install --quiet --upgrade pip
	$(FLOORS_VENV)/bin/pip install --quiet -c $(FLOORS_VENV)/constraints.txt -e '.[dev]'
	$(FLOORS_VENV)/bin/pip freeze --exclude-editable > $(FLOORS_VENV)/installed.txt
	touch $@

# No import cycle (function-level imports counted); dependencies point one way.
check-imports: install
	$(BIN)/python -m tests.imports

lint: install
	$(BIN)/ruff check facilities leases construction maps tests bench
	$(BIN)/ruff format --check facilities leases construction maps tests bench

clean:
	rm -rf $(VENV) $(FLOORS_VENV) var .pytest_cache

bench: install
	command -v wrk >/dev/null || (apt-get update -qq && apt-get install -y -qq wrk)
	command -v chromium >/dev/null || (apt-get update -qq && apt-get install -y -qq chromium)
	$(BIN)/python -m bench.run
