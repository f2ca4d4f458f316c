# The few commands people type. `make run` and `make test` do all the set-up on a fresh machine.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
# The seed tells the story of the FY2014 budget year: `make run` shows it as of its data date.
RUN_AS_OF ?= 2014-06-30

.PHONY: install run init test lint bench clean

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

init: install
	FACILITIES_AS_OF=$${FACILITIES_AS_OF:-$(RUN_AS_OF)} $(BIN)/facilities init

run: init
	FACILITIES_AS_OF=$${FACILITIES_AS_OF:-$(RUN_AS_OF)} $(BIN)/facilities serve --host $(HOST) --port $(PORT)

test: install
	$(BIN)/pytest $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check facilities leases construction maps tests
	$(BIN)/ruff format --check facilities leases construction maps tests

clean:
	rm -rf $(VENV) var .pytest_cache

bench: install
	command -v wrk >/dev/null || (apt-get update -qq && apt-get install -y -qq wrk)
	command -v chromium >/dev/null || (apt-get update -qq && apt-get install -y -qq chromium)
	$(BIN)/python -m bench.run
