# smmrubric: two commands reproduce and test everything on a machine with only Python >= 3.11 and make.
#   make figures   create .venv from requirements.lock, execute every notebook, write figures/
#   make test      create the same .venv, run the unit tests and the notebooks under nbval, natively and
#                  again with a second CPU's code paths, and check that both runs made the committed figures
# Other targets: env (just the environment), lint (ruff and mypy, part of test), suite (test without lint),
# browser (Debian's chromium for the browser test), rubrics (rebuild the derived data/rubrics/ from data/*.csv),
# fingerprint (record data/ as the published data set the notebooks' prose describes: only after checking the
# prose), lock (re-pin requirements.lock from pyproject.toml), benchmark (every script in benchmarks/), clean.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
CHROMIUM ?= /usr/bin/chromium
export SMMRUBRIC_NO_PROGRESS := 1
export PYTHONHASHSEED := 0

.PHONY: figures test suite lint ruff types env browser lock benchmark rubrics fingerprint clean

$(STAMP): requirements.lock pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "smmrubric needs Python >= 3.11; set PYTHON=python3.11 (or newer)")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	@touch $(STAMP)

env: $(STAMP)

figures: $(STAMP)
	$(BIN)/python -m smmrubric.reproduce --in-place
	@echo "Figures written to $(CURDIR)/figures (listed with their notebooks and sha256 in figures/MANIFEST.csv)"

# The browser test drives Debian's chromium (no browser download). As root (CI), install it if missing.
browser:
	@if [ ! -x "$(CHROMIUM)" ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "Installing Debian's chromium for the browser test"; \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) || \
	      { echo "error: could not install chromium with apt-get; the browser test cannot run" >&2; exit 1; }; \
	  else \
	    echo "error: $(CHROMIUM) not found; install Debian's chromium package (apt-get install chromium) or set CHROMIUM=/path/to/chromium" >&2; exit 1; \
	  fi; \
	fi

# A second CPU on this one: numpy without its AVX2 / AVX-512 code paths (sorting, reductions, SIMD maths),
# OpenBLAS with an old kernel, and glibc's maths library without its FMA / AVX2 variants (log and exp differ in the
# last bit there, and numpy's gamma and Dirichlet draws with them), so that the notebooks also run the code paths of
# a machine unlike this one. (On a CPU without those features the settings change nothing.)
FOREIGN_CPU := GLIBC_TUNABLES=glibc.cpu.hwcaps=-AVX2,-FMA,-AVX512F,-AVX512VL NPY_DISABLE_CPU_FEATURES=X86_V3 \
               OPENBLAS_CORETYPE=Prescott
# nbval compares every notebook's outputs with the committed ones, and the figures the notebooks saved are
# compared with figures/MANIFEST.csv byte for byte. On this CPU one run with two workers takes the tests and the
# notebooks together (tests/conftest.py keeps each notebook's cells on one worker); beside it, one more process
# runs the notebooks on the second CPU, its log in test-artifacts/ (printed whole if it fails). Side by side, the
# runs fill the moments when a worker waits, and neither waits for the other's last test.
PYTEST := $(BIN)/python -m pytest -p no:cacheprovider
NBVAL  := --nbval --nbval-sanitize-with tests/nbval_sanitize.cfg
TEST_FIGURES := $(CURDIR)/test-artifacts/figures
SECOND_CPU_LOG := $(CURDIR)/test-artifacts/second-cpu-notebooks.log

# ruff (lint rules and formatting) and mypy (types), settings in pyproject.toml
lint: ruff types
ruff: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
types: $(STAMP)
	$(BIN)/mypy

# make test: ruff first (a second), then mypy (about 18 s on a fresh clone, one core) beside the suite, which
# leaves a core idle now and then; a type error fails the run when both have finished.
test: $(STAMP) browser ruff
	@$(MAKE) --no-print-directory -j2 types suite

suite: $(STAMP) browser
	@rm -rf $(TEST_FIGURES) && mkdir -p $(TEST_FIGURES)/native $(TEST_FIGURES)/foreign-cpu
	@echo "The notebooks on the second CPU ($(FOREIGN_CPU)) run beside the tests: log in $(SECOND_CPU_LOG)"
	@$(FOREIGN_CPU) SMMRUBRIC_FIGURES=$(TEST_FIGURES)/foreign-cpu $(PYTEST) $(NBVAL) notebooks \
	  > $(SECOND_CPU_LOG) 2>&1 & second=$$!; \
	CHROMIUM=$(CHROMIUM) SMMRUBRIC_FIGURES=$(TEST_FIGURES)/native $(PYTEST) -n 2 $(NBVAL) tests notebooks; native=$$?; \
	wait $$second; status=$$?; \
	echo "== the notebooks on the second CPU ($(SECOND_CPU_LOG)):"; \
	if [ $$status -eq 0 ]; then tail -n 1 $(SECOND_CPU_LOG); else cat $(SECOND_CPU_LOG); fi; \
	[ $$native -eq 0 ] && [ $$status -eq 0 ]
	$(BIN)/python scripts/compare_figures.py $(TEST_FIGURES)/native "native CPU"
	$(BIN)/python scripts/compare_figures.py $(TEST_FIGURES)/foreign-cpu "second CPU: $(FOREIGN_CPU)"

rubrics: $(STAMP)
	$(BIN)/python scripts/build_rubrics.py

fingerprint: $(STAMP)
	$(BIN)/python -c 'from smmrubric.data import write_published_fingerprint as w; print(w())'

# Speed and memory, each script printing its ratios against their targets in one run (no timed unit tests)
benchmark: $(STAMP)
	@for script in benchmarks/*.py; do echo "== $$script"; $(BIN)/python $$script || exit 1; done

lock: $(STAMP)
	$(BIN)/python -m pip install --quiet pip-tools
	$(BIN)/pip-compile --quiet --extra notebooks --extra app --extra cluster --extra test --no-emit-index-url --no-emit-find-links \
	  --strip-extras --no-annotate -o requirements.lock pyproject.toml

clean:
	rm -rf $(VENV) .pytest_cache build dist *.egg-info
