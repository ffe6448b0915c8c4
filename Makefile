# 招商引资 CRM — two commands: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
HOST ?= 127.0.0.1
PORT ?= 5000

.PHONY: install run test test-pg translations clean

install: $(STAMP)

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is required")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test,pg]"
	$(MAKE) translations
	@touch $(STAMP)

translations:
	$(BIN)/pybabel compile --use-fuzzy -q -d crm/translations

run: install
	$(BIN)/crm db upgrade
	$(BIN)/crm demo load --if-empty
	$(BIN)/crm run --host $(HOST) --port $(PORT)

test: install
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# The whole suite again on PostgreSQL (as CI does).
test-pg: install
	CRM_TEST_DATABASE_URL=$${CRM_TEST_DATABASE_URL:-postgresql+psycopg://postgres@127.0.0.1:5432/test} $(BIN)/python -m pytest $(PYTEST_ARGS)

clean:
	rm -rf $(VENV) .pytest_cache
