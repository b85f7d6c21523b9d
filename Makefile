# The two commands of the README. Everything else is a helper for them.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test install install-test messages

## Install everything, load the demo content and serve the site on SQLite.
run: install
	$(BIN)/minbar demo
	$(BIN)/minbar createadmin --if-missing
	$(BIN)/minbar run --host $(HOST) --port $(PORT)

## Install what the tests need (Chromium included) and run the whole suite.
test: install-test
	bash scripts/test.sh

install: $(BIN)/.installed

install-test: $(BIN)/.installed-test

$(BIN)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(BIN)/.installed-test: $(BIN)/.installed pyproject.toml
	$(BIN)/python -m pip install --quiet -e ".[test]"
	bash scripts/install-chromium.sh
	touch $@

## Rebuild the translation catalogs after changing interface strings.
messages: install
	bash scripts/messages.sh
