# Two commands do all set-up on a fresh machine: `make run` and `make test` (see README.md).
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: run test install vendor system-deps lint clean

$(BIN)/cchc: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

install: $(BIN)/cchc

# The diagram viewer (bpmn-js, pinned in package-lock.json) comes from the npm registry; it is not committed.
VENDOR := web/static/vendor
BPMN_DIST := node_modules/bpmn-js/dist
VIEWER := $(VENDOR)/bpmn-navigated-viewer.production.min.js

$(VIEWER): package-lock.json
	@command -v npm >/dev/null || { echo "make: npm not found; install Node.js and npm (e.g. apt-get install nodejs npm)" \
	  "to fetch the process diagram viewer (bpmn-js)" >&2; exit 1; }
	npm ci --no-audit --no-fund
	mkdir -p $(VENDOR)
	cp $(BPMN_DIST)/assets/diagram-js.css $(BPMN_DIST)/assets/bpmn-js.css $(VENDOR)/
	cp $(BPMN_DIST)/bpmn-navigated-viewer.production.min.js $@

vendor: $(VIEWER)

# Debian packages the tests need: Chromium for the browser tests, PostgreSQL for the scale-out database.
system-deps:
	@if ! command -v chromium >/dev/null || ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium postgresql >/dev/null; \
	fi

run: install vendor
	$(BIN)/cchc load-demo
	$(BIN)/cchc serve

lint: install
	$(BIN)/ruff check .

test: install vendor system-deps lint
	bash tests/with_postgres.sh $(BIN)/pytest -q

clean:
	rm -rf $(VENV) node_modules $(VENDOR) .pytest_cache .ruff_cache

# Timings of the completion path and the worklist (bench/; not part of the test suite).
.PHONY: bench
bench: install
	$(BIN)/python -m bench $(BENCH_ARGS)
