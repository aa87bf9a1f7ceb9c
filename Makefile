# Every developer command. `make run` and `make test` work on a fresh clone.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint typecheck pytest knowledge bench docs clean

$(STAMP): pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

run: $(STAMP)  ## assess the bundled example profile
	$(BIN)/d3k2 assess examples/profile.yaml

test: $(STAMP) lint typecheck pytest  ## the whole suite (CI runs this)

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks

typecheck: $(STAMP)
	$(BIN)/mypy

pytest: $(STAMP)
	$(BIN)/python -m pytest

knowledge: $(STAMP)  ## validate the knowledge base
	$(BIN)/d3k2 knowledge validate

FUZZ_INPUTS ?= 10000

bench: $(STAMP)  ## print benchmark figures (D3K2_SHARED_DATA=folder of the calibration CSV; FUZZ_INPUTS=n)
	$(BIN)/python benchmarks/projection_accuracy.py
	$(BIN)/python benchmarks/engine_throughput.py
	$(BIN)/python benchmarks/fuzz.py --inputs $(FUZZ_INPUTS)

docs: $(STAMP)  ## regenerate docs/cli.md from the CLI's own help
	$(BIN)/python -m d3k2.cli_docs > docs/cli.md

clean:
	rm -rf $(VENV) build src/*.egg-info .pytest_cache .mypy_cache .ruff_cache
