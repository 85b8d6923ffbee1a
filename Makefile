# Everything a newcomer needs: `make run` and `make test` on a fresh machine.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
PYTEST_ARGS ?=

.PHONY: install messages run test lint migrate seed clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -e ".[dev]"
	touch $(STAMP)

install: $(STAMP) messages

messages: $(STAMP)
	$(BIN)/pybabel compile --use-fuzzy -d locale -D django --statistics 2>/dev/null || \
		$(BIN)/pybabel compile -d locale -D django

migrate: install
	$(BIN)/python manage.py migrate --noinput

seed: migrate
	$(BIN)/python manage.py seed_demo

run: seed
	@echo ""
	@echo "  Admin (caseworkers):  http://127.0.0.1:8000/admin/"
	@echo "  Portal (companies):   http://127.0.0.1:8000/portal/"
	@echo "  API docs:             http://127.0.0.1:8000/api/docs/"
	@echo "  Health:               http://127.0.0.1:8000/healthz"
	@echo "  Logins (password 'demo'): admin, caseworker, caseworker2, officer, officer2,"
	@echo "  registrar, auditor; portal: maker, exporter, rival, grey"
	@echo ""
	PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/honcho -f Procfile start

test: install
	$(BIN)/pytest $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

clean:
	rm -rf var staticfiles .pytest_cache
