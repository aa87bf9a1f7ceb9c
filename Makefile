# Every developer command. `make run` and `make test` work on a fresh clone.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint typecheck pytest knowledge bench docs mutation clean

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

bench: $(STAMP)  ## print benchmark figures
	$(BIN)/python benchmarks/projection_accuracy.py
	$(BIN)/python benchmarks/engine_throughput.py

mutation: $(STAMP)  ## mutation testing of core/screening/labs.py and rules.py (mutmut; ~20 min on 2 cores)
	rm -rf mutants
	$(BIN)/mutmut run --max-children 2 || true
	$(BIN)/mutmut results --all true | awk '{print $$NF}' | sort | uniq -c

docs: $(STAMP)  ## regenerate docs/cli.md, docs/rules.md and the rule JSON Schema
	$(BIN)/python -m d3k2.cli.docs > docs/cli.md
	$(BIN)/python -m d3k2.render.rules_doc

clean:
	rm -rf $(VENV) build src/*.egg-info .pytest_cache .mypy_cache .ruff_cache mutants
