# Everything a newcomer needs: `make run` and `make test` on a fresh machine.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
PORT ?= 8000
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
PYTEST_ARGS ?=

.PHONY: install install-fonts messages run test lint migrate seed clean
# The CJK font embedded in licence certificates (licensing/certificate_font.py).
CERT_FONT ?= /usr/share/fonts/truetype/wqy/wqy-microhei.ttc

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -e ".[dev]"
	touch $(STAMP)

install: $(STAMP) messages install-fonts

# Debian's fonts-wqy-microhei, when apt can install it; otherwise say what certificates lose.
install-fonts:
	@test -f "$(CERT_FONT)" || { command -v apt-get >/dev/null && [ "$$(id -u)" = 0 ] \
		&& apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
		fonts-wqy-microhei >/dev/null; } \
	|| echo "note: no $(CERT_FONT): install fonts-wqy-microhei (or set CERTIFICATE_FONT_PATH);" \
		"certificates fall back to a font that is not embedded"

# Compile the committed catalogues (.po) into .mo files; nothing to do when there are none.
messages: $(STAMP)
	@if ls locale/*/LC_MESSAGES/django.po >/dev/null 2>&1; then \
		$(BIN)/pybabel compile -d locale -D django --statistics; \
	else echo "no translation catalogues to compile"; fi

migrate: install
	$(BIN)/python manage.py migrate --noinput

seed: migrate
	$(BIN)/python manage.py seed_demo

run: seed
	@echo ""
	@echo "  Admin (caseworkers):  http://127.0.0.1:$(PORT)/admin/"
	@echo "  Portal (companies):   http://127.0.0.1:$(PORT)/portal/"
	@echo "  API docs:             http://127.0.0.1:$(PORT)/api/docs/"
	@echo "  Health:               http://127.0.0.1:$(PORT)/healthz"
	@echo "  Logins (password 'demo'): admin, caseworker, caseworker2, officer, officer2,"
	@echo "  registrar, auditor; portal: maker, exporter, rival, grey, trader"
	@echo ""
	@# honcho hands each process a PORT counting up from -p: the web server gets $(PORT).
	PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/honcho -f Procfile start -p $(PORT)

test: install
	$(BIN)/pytest $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

clean:
	rm -rf var staticfiles .pytest_cache
