# Two entry points: `make console` (set up, then open the console on the embedded corpus)
# and `make test` (set up, then run the test suite). Both create .venv on first use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

SHARED := ../shared/corpus/transcripts

.PHONY: console test setup bench eval quality install-check clean

$(BIN)/qabot: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test,sentences]'
	@touch $@

setup: $(BIN)/qabot

console: setup
	$(BIN)/qabot console

test: setup
	$(BIN)/pytest -q
	@$(MAKE) --no-print-directory eval
	@$(MAKE) --no-print-directory install-check

# `pip install .` in a new venv (outside the checkout) must answer exactly like the checkout.
install-check: setup
	$(BIN)/python scripts/check_install.py $(BIN)/qabot

# Development-set figures (docs/quality.md); the transcripts set needs ../shared beside the checkout.
eval: setup
	$(BIN)/qabot eval eval/seed.yaml
	@if [ -d $(SHARED) ]; then $(BIN)/qabot eval eval/transcripts.yaml --corpus $(SHARED); \
	else echo "skipping eval/transcripts.yaml: $(SHARED) not found"; fi

# Each quality mechanism switched off in turn (slow: builds many engines).
quality: setup
	$(BIN)/python benchmarks/quality.py

# Speed and memory side by side with rank-bm25 (slow: uses ../shared/corpus/bulk).
bench: setup
	$(BIN)/pip install --quiet -e '.[test,bench]'
	$(BIN)/python benchmarks/bench.py

clean:
	rm -rf $(VENV) build *.egg-info
