# The two commands a newcomer needs: `make run` (the demo) and `make test` (the whole suite).
# Contributors run `make check` before pushing: what CI runs (lint, format, types, import contracts,
# declared dependencies, then the whole suite on SQLite and PostgreSQL).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# Two install stamps: the demo needs the project only; tests, checks and translations install '.[dev]'.
RUN_STAMP := $(VENV)/.installed-run
DEV_STAMP := $(VENV)/.installed-dev

.PHONY: run test test-sqlite test-postgres lint typecheck contracts deps check clean translations

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null || { \
	  echo "error: '$(PYTHON)' is not Python 3.11 or newer; name one that is, e.g. make run PYTHON=python3.12"; \
	  exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(RUN_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(DEV_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

run: $(RUN_STAMP)  ## Start the demo: five platform sandboxes, listener, webhook receiver, app on :8501
	mkdir -p var
	$(BIN)/inbox demo

test: test-sqlite test-postgres  ## The whole suite, on SQLite then on PostgreSQL (skipped if not installed)

test-sqlite: $(DEV_STAMP)
	$(BIN)/python -m pytest

test-postgres: $(DEV_STAMP)  ## The whole suite on a throwaway local PostgreSQL cluster
	$(BIN)/python -m tests.support.pgcluster run -- $(BIN)/python -m pytest

lint: $(DEV_STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(DEV_STAMP)  ## mypy over the product
	$(BIN)/mypy inbox connectors app.py

contracts: $(DEV_STAMP)  ## The layering rules of pyproject.toml [tool.importlinter]
	$(BIN)/lint-imports

deps: $(DEV_STAMP)  ## Every import declared, every declared dependency used
	$(BIN)/deptry .

check: lint typecheck contracts deps test  ## What CI runs

LOCALES := inbox/locale
translations: $(DEV_STAMP)  ## Extract the strings to translate, update the catalogs (fr, en), compile them
	$(BIN)/pybabel extract -F $(LOCALES)/babel.cfg -k Nn_:1,2 --no-location --sort-output --project social-care-inbox \
		-o $(LOCALES)/inbox.pot app.py inbox
	$(BIN)/pybabel update -D inbox -i $(LOCALES)/inbox.pot -d $(LOCALES) --no-wrap
	$(BIN)/python -m inbox.cli.help_catalog
	$(BIN)/pybabel compile -D inbox -d $(LOCALES) --statistics
	$(BIN)/pybabel compile -D cli -d $(LOCALES) --statistics

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache test-artifacts
