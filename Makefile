# The two commands a newcomer needs: `make demo` and `make test`.
# Everything else here is what those two stand on.

PYTHON ?= python3
UV_VERSION := 0.13.9
VENV := .venv
BIN := $(VENV)/bin

.PHONY: demo test lint bench clean help

help:
	@echo "make demo   set up and run the demo on http://127.0.0.1:8000"
	@echo "make test   run the whole test suite"
	@echo "make lint   run ruff, the import-layer contract (import-linter) and mypy"

# A virtual environment from the lock file. uv itself is in the lock, so `uv sync` keeps it.
$(BIN)/uv:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else "powerbase needs Python 3.12 or newer; this is " + sys.version.split()[0])'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

$(VENV)/.synced: uv.lock pyproject.toml | $(BIN)/uv
	$(BIN)/uv sync --frozen --quiet --python $(BIN)/python
	@touch $@

demo: $(VENV)/.synced
	$(BIN)/powerbase demo

# One pytest worker per core (pytest-xdist): the suite takes about half the time on 2 cores.
test: $(VENV)/.synced
	$(BIN)/pytest -n auto

# ruff for style, bugs and formatting (`ruff format .` fixes the last), import-linter for the
# layer order of docs/architecture.md (the contract is in pyproject.toml), mypy for types
# (lenient: see [tool.mypy]).
lint: $(VENV)/.synced
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/mypy

bench: $(VENV)/.synced
	@for script in bench/*.py; do echo "== $$script"; $(BIN)/python $$script || exit 1; done

clean:
	rm -rf $(VENV) var test-results .mypy_cache
