# Two entry points: `make console` (set up, then open the console on the embedded corpus)
# and `make test` (set up, then run the test suite). Both create .venv on first use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: console test setup bench eval clean

$(BIN)/qabot: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	@touch $@

setup: $(BIN)/qabot

console: setup
	$(BIN)/qabot console

test: setup
	$(BIN)/pytest -q

clean:
	rm -rf $(VENV) build *.egg-info
