# Every developer command. `make run` and `make test` work on a fresh clone.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: screenshots run assess test lint typecheck pytest knowledge bench docs mutation clean browser-deps

$(STAMP): pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

HOST ?= 127.0.0.1
PORT ?= 8000

run: $(STAMP)  ## serve the web app; open the printed URL (the example patient is one click away)
	$(BIN)/d3k2 serve --host $(HOST) --port $(PORT) --example

assess: $(STAMP)  ## one-shot: assess the bundled example profile in the terminal
	$(BIN)/d3k2 assess examples/profile.yaml

AXE := tests/web/vendor/node_modules/axe-core/axe.min.js

# Browser tests: Debian's Chromium (Playwright cannot download a browser here) and axe-core.
# Each step is skipped when already done; the browser tests skip with a message if absent.
browser-deps: $(STAMP)
	@if [ ! -x /usr/bin/chromium ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium) \
	      || echo "browser-deps: could not install chromium; browser tests will be skipped"; \
	  else echo "browser-deps: /usr/bin/chromium missing and not root; browser tests will be skipped"; fi; \
	fi
	@if [ ! -f $(AXE) ] && command -v npm >/dev/null; then \
	  npm install --silent --no-audit --no-fund --prefix tests/web/vendor axe-core@4 \
	    || echo "browser-deps: could not install axe-core; the accessibility test will be skipped"; \
	fi

test: $(STAMP) browser-deps lint typecheck pytest  ## the whole suite (CI runs this)

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
	$(BIN)/python benchmarks/cold_start.py --runs 5
	$(BIN)/python benchmarks/web_load.py --count 1000
	$(BIN)/python benchmarks/fuzz.py --inputs $(FUZZ_INPUTS)

screenshots: browser-deps  ## re-take docs/screenshots/web-*.png from the browser tests
	D3K2_SCREENSHOTS=docs/screenshots $(BIN)/python -m pytest -q tests/web/test_browser.py

mutation: $(STAMP)  ## mutation testing of core/screening/labs.py and rules.py (mutmut; ~20 min on 2 cores)
	rm -rf mutants
	$(BIN)/mutmut run --max-children 2 || true
	$(BIN)/mutmut results --all true | awk '{print $$NF}' | sort | uniq -c

docs: $(STAMP)  ## regenerate docs/cli.md, docs/rules.md and the rule JSON Schema
	$(BIN)/python -m d3k2.cli.docs > docs/cli.md
	$(BIN)/python -m d3k2.render.rules_doc

clean:
	rm -rf $(VENV) build src/*.egg-info .pytest_cache .mypy_cache .ruff_cache mutants
