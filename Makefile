# Every target works on a fresh machine: it makes .venv and installs what it needs.
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: demo test lint redaction-cache bench fuzz clean postgres planted mutate

$(STAMP): pyproject.toml
	python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet --no-compile -e '.[dev]'  # no .pyc for every file of every package (pyspark's are many): 98 s → 46 s; each compiles when first imported
	touch $(STAMP)

demo: $(STAMP)
	@echo "Preparing deduce's name and place lookup (built once into ~/.cache/zicht, about two minutes the first time)..."
	@$(PY) -c "from zicht.privacy.redaction import load_redaction; load_redaction()"
	$(VENV)/bin/zicht demo --out zicht-demo

# The browser tests drive Debian's chromium (Playwright's own download fails here).
CHROMIUM := /usr/bin/chromium

$(CHROMIUM):
	apt-get install -y -qq chromium >/dev/null || (apt-get update -qq && apt-get install -y -qq chromium >/dev/null)

# PSPP (GNU's SPSS) checks that cases.sav gives the report's counts to an SPSS user.
PSPP := /usr/bin/pspp

$(PSPP):
	apt-get install -y -qq pspp >/dev/null || (apt-get update -qq && apt-get install -y -qq pspp >/dev/null)

# Taguette, a QDA tool, in a venv of its own (its pins are not zicht's): a codebook crosses from it into zicht.
TAGUETTE := .venv-taguette/bin/taguette

$(TAGUETTE):
	python3 -m venv .venv-taguette
	.venv-taguette/bin/python -m pip install --quiet --no-compile taguette==1.5.2

# The store and workbench tests run on PostgreSQL too (tests/with-postgres.sh starts a throwaway server).
postgres:
	@ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || apt-get install -y -qq postgresql >/dev/null \
	  || (apt-get update -qq && apt-get install -y -qq postgresql >/dev/null)

# The suite runs in a random order (pytest-randomly); `make test SEED=N` repeats the order of seed N.
# Drawn once (`:=`): with `?=` each use drew anew, and the PostgreSQL pass ran another order than the one printed.
ifndef SEED
SEED := $(shell python3 -c 'import random; print(random.randrange(10**6))')
endif

test: $(CHROMIUM) $(PSPP) postgres
	$(MAKE) -j2 $(STAMP) $(TAGUETTE)  # both venvs at once: mostly waiting on the package index
	@echo "test order: SEED=$(SEED)"
	$(MAKE) -j2 lint redaction-cache  # on a new machine deduce's cache takes minutes on one core, mypy a minute on the other
	ZICHT_BROWSER_TESTS=required ZICHT_PSPP_TESTS=required ZICHT_TAGUETTE_TESTS=required $(PY) -m pytest -n 2 --dist loadfile --durations=25 -p randomly --randomly-seed=$(SEED)
	tests/with-postgres.sh $(PY) -m pytest -q -n 2 --dist loadfile -p no:cacheprovider -p randomly --randomly-seed=$(SEED) tests/store tests/web --deselect tests/web/test_browser.py

lint: $(STAMP)
	$(VENV)/bin/ruff check src tests bench
	$(VENV)/bin/ruff format --check src tests bench
	$(VENV)/bin/mypy

# deduce's cache, built once before the two test workers need it (about 2.5 minutes on a new machine)
redaction-cache: $(STAMP)
	$(PY) -c "from zicht.privacy.redaction import load_redaction; load_redaction()"

bench: $(STAMP) postgres
	$(PY) bench/bench_year.py
	$(PY) bench/bench_synth_import.py
	tests/with-postgres.sh $(PY) bench/bench_synth_import.py 20
	$(PY) bench/bench_startup.py
	$(PY) bench/bench_monitor.py
	$(PY) bench/bench_linkage.py
	$(PY) bench/bench_suggest.py
	$(PY) bench/bench_screen.py
	$(PY) bench/bench_workbench.py
	tests/with-postgres.sh $(PY) bench/load_workbench.py 600 20
	$(PY) bench/redaction_recall.py 5
	$(PY) bench/import_large.py 2048 50 200

planted: $(STAMP)  # issue 21's ten small bugs, planted one at a time: each must fail a test (about two minutes)
	$(PY) tests/planted.py

# Mutation testing (mutmut, tests/mutate.py): every mutant takes hours; EVERY=4 checks every fourth.
EVERY ?= 1
mutate: $(STAMP)
	$(PY) tests/mutate.py $(EVERY)

fuzz: $(STAMP)  # every reader and the codebook with 100,000 hostile examples each (about two hours)
	ZICHT_FUZZ_EXAMPLES=100000 $(PY) -m pytest -m fuzz -p no:cacheprovider tests/transcripts/test_fuzz.py tests/codebook/test_fuzz.py --durations=0

clean:
	rm -rf $(VENV) zicht-demo .pytest_cache .mypy_cache .ruff_cache mutants
