# Two commands do all set-up on a fresh machine with Python 3.11+: `make start` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
LAB    ?= invert-lab

.PHONY: start test quick lint typecheck check bench docs clean

# The venv, with invert installed editable; re-made when pyproject.toml changes.
$(BIN)/invert: pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "invert needs Python 3.11 or newer; found " + sys.version.split()[0])'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[web]'
	@touch $@

$(VENV)/.dev: $(BIN)/invert
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $@

start: $(BIN)/invert
	$(BIN)/invert start $(LAB)

lint: $(VENV)/.dev
	$(BIN)/ruff check src tests bench docs
	$(BIN)/ruff format --check src tests bench docs

typecheck: $(VENV)/.dev
	$(BIN)/mypy

test: lint typecheck
	$(BIN)/python -m pytest -n 2 --durations=20

# The quick loop while changing code: lint, then the code tests without the proofs of the real
# content (`content`) and the slow ones (`slow`); under 3 minutes on 2 cores. CI runs `make test`.
quick: lint
	$(BIN)/python -m pytest -n 2 -m "not content and not slow" --durations=10

check: $(VENV)/.dev
	$(BIN)/invert dev check

bench: $(BIN)/invert
	for script in bench/[!_]*.py; do $(BIN)/python $$script || exit 1; done

docs: $(BIN)/invert
	$(BIN)/python docs/generate_cli_reference.py > docs/cli.md

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
