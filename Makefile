# 招商引资 CRM — two commands: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
HOST ?= 127.0.0.1
PORT ?= 5000

.PHONY: install run test test-pg translations translations-update clean

install: $(STAMP)

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is required")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test,pg]"
	$(MAKE) translations
	@touch $(STAMP)

translations:
	$(BIN)/pybabel -q compile -d crm/translations

# After adding UI strings: re-extract, merge into the English catalog, then translate the new entries.
# (--ignore-dirs: pybabel skips folders starting with _ by default, and templates/_macros holds strings too.)
# (No fuzzy matching: Babel's guesses between Chinese source strings are nearly always wrong.)
translations-update:
	$(BIN)/pybabel -q extract -F babel.cfg -k _l --ignore-dirs='.*' --no-location --sort-output --project=zhaoshang-crm -o crm/translations/messages.pot crm templates
	$(BIN)/pybabel -q update -i crm/translations/messages.pot -d crm/translations --no-fuzzy-matching --ignore-obsolete
	$(BIN)/pybabel -q compile -d crm/translations

# One scheduler (alerts, digests, reminders, the outbox) runs beside the web server and stops with it;
# without CRM_SMTP_HOST its emails are written to instance/outbox/*.eml.
run: install
	$(BIN)/crm db upgrade
	$(BIN)/crm demo load --if-empty
	@$(BIN)/crm scheduler & scheduler=$$!; \
	trap 'kill $$scheduler 2>/dev/null; wait $$scheduler 2>/dev/null' EXIT INT TERM; \
	$(BIN)/crm run --host $(HOST) --port $(PORT)

# The suite runs on every core (pytest-xdist; each worker has its own database: tests/conftest.py).
# PYTEST_ARGS="-n 0" runs it in one process; PYTEST_ARGS="tests/test_x.py -n 0" one file.
PYTEST_ARGS ?= -n auto

test: install
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# The whole suite again on PostgreSQL (as CI does).
test-pg: install
	CRM_TEST_DATABASE_URL=$${CRM_TEST_DATABASE_URL:-postgresql+psycopg://postgres@127.0.0.1:5432/test} $(BIN)/python -m pytest $(PYTEST_ARGS)

clean:
	rm -rf $(VENV) .pytest_cache
