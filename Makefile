# gsan_core — everything runs from a fresh machine with only python3 and make.
#   make demo    the main job on an embedded SQLite file (its own venv: only the
#                sqlalchemy and cli extras)
#   make test    every gate: lint, types, import rings, tests on memory/SQLite/PostgreSQL,
#                coverage, README/docs/examples, docs build
#   make bench   the benchmarks (library vs hand-written SQLAlchemy Core baseline),
#                then the scale report at 10k/100k/1M properties (make bench-scale)

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
DEMO_VENV := .venv-demo
DEMO_STAMP := $(DEMO_VENV)/.installed-stamp
GSAN_CORE_TEST_POSTGRES_URL ?= postgresql+psycopg://postgres@127.0.0.1:5432/test
export GSAN_CORE_TEST_POSTGRES_URL
HYPOTHESIS_PROFILE ?= ci
export HYPOTHESIS_PROFILE
export NO_MKDOCS_2_WARNING := 1

.PHONY: all demo test lint typecheck imports pytest coverage docs bench bench-scale bench-quick test-long clean

all: test

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

$(DEMO_STAMP): pyproject.toml
	test -x $(DEMO_VENV)/bin/python || $(PYTHON) -m venv $(DEMO_VENV)
	$(DEMO_VENV)/bin/python -m pip install --quiet --upgrade pip
	$(DEMO_VENV)/bin/python -m pip install --quiet -e '.[sqlalchemy,cli]'
	touch $(DEMO_STAMP)

demo: $(DEMO_STAMP)
	$(DEMO_VENV)/bin/gsan-core demo --database build/demo.sqlite

test: lint typecheck imports pytest coverage docs

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks examples tools docs
	$(BIN)/ruff format --check src tests benchmarks examples tools docs

typecheck: $(STAMP)
	$(BIN)/mypy
	$(BIN)/mypy tests/typing

imports: $(STAMP)
	$(BIN)/lint-imports

# two workers (pytest-xdist), one per core, an idle one taking tests queued on
# the other (worksteal: the suite's slow tests no longer end on one worker);
# the 20 slowest are listed; pytest-cov combines their coverage
pytest: $(STAMP)
	$(BIN)/coverage erase
	$(BIN)/python -m pytest -q -m "not slow" -n 2 --dist worksteal --durations=20 --cov --cov-report=

coverage: $(STAMP)
	$(BIN)/coverage report --fail-under=95
	$(BIN)/coverage report --fail-under=100 \
		--include='src/gsan_core/rules/*,src/gsan_core/model/*'

docs: $(STAMP)
	$(BIN)/mkdocs build --strict --quiet --site-dir build/site

bench: $(STAMP)
	$(BIN)/python -m benchmarks
	$(BIN)/python -m benchmarks.scale

bench-scale: $(STAMP)
	$(BIN)/python -m benchmarks.scale

bench-quick: $(STAMP)
	$(BIN)/python -m benchmarks --quick
	$(BIN)/python -m benchmarks.scale --quick

test-long: $(STAMP)
	HYPOTHESIS_PROFILE=nightly $(BIN)/python -m pytest -q -n 2

clean:
	rm -rf build .coverage .mypy_cache .ruff_cache .hypothesis $(DEMO_VENV)
