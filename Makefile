# zonewatch: two commands for a newcomer. `make demo` runs the main job end to end,
# `make test` runs the tests (.ci/run calls it too).
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
DEMO   ?= demo
PERSONS ?= 1100000

.PHONY: demo test lint install browser bench clean

$(BIN)/zonewatch: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev]'
	touch $(BIN)/zonewatch

install: $(BIN)/zonewatch

demo: install
	bash scripts/demo.sh "$(DEMO)" "$(PERSONS)"

test: install
	bash scripts/test.sh

lint: install
	$(BIN)/ruff check src tests benchmarks

bench: install
	$(BIN)/python benchmarks/run_all.py

clean:
	rm -rf $(DEMO) .pytest_cache artifacts
