# Two commands do all the set-up on a fresh machine (see README.md):
#   make run    serve the advisor on http://127.0.0.1:8000 (embedded default)
#   make test   run the whole test suite (installs chromium for the browser tests and
#               redis-server for the shared-cache tests if missing)

PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
LOCK := requirements/test.txt
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml $(LOCK) | cksum | cut -d' ' -f1)

.PHONY: run test lint typecheck bench chromium redis lock

# The exact versions (with hashes) come from the lock; the project itself adds nothing to them.
# To change a dependency: edit pyproject.toml, then `make lock` (see CONTRIBUTING.md).
$(STAMP): pyproject.toml $(LOCK)
	@test -x $(PY) || $(PYTHON) -m venv $(VENV) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(PY) -m pip install --quiet --disable-pip-version-check --require-hashes -r $(LOCK)
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps ".[test]"
	@rm -f $(VENV)/.installed-*
	@touch $(STAMP)

run: $(STAMP)
	DJANGO_DEBUG=true $(PY) manage.py runserver 127.0.0.1:8000

chromium:
	@command -v chromium >/dev/null 2>&1 || test -x /usr/bin/chromium || { \
	  echo "Installing Debian's chromium for the browser tests"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

redis:
	@command -v redis-server >/dev/null 2>&1 || test -x /usr/bin/redis-server || { \
	  echo "Installing Debian's redis-server for the shared response cache tests"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >/dev/null; }

lint: $(STAMP)
	$(VENV)/bin/ruff check .

typecheck: $(STAMP)
	$(VENV)/bin/mypy

# Branch coverage over the whole suite, with a floor overall and higher ones for the rules
# (the product) and the importers. The suite runs on every core (pytest-xdist), each test
# module on one worker so that its browser and its servers start once: TEST_WORKERS=0 runs it
# in this process.
TEST_WORKERS ?= auto
test: $(STAMP) chromium redis lint typecheck
	$(PY) -m pytest -n $(TEST_WORKERS) --dist loadscope --cov --cov-report=
	$(VENV)/bin/coverage report
	$(PY) .ci/coverage_floors.py

lock: $(STAMP)
	$(PY) -m pip install --quiet --disable-pip-version-check "pip-tools>=7.4,<8"
	$(VENV)/bin/pip-compile --quiet --extra test --strip-extras --generate-hashes \
	  --no-emit-index-url --no-emit-find-links -o $(LOCK) pyproject.toml

# Benchmarks (not part of the tests; figures in README.md, "Performance"; raw output in bench/out/)
bench: $(STAMP) chromium
	@command -v wrk >/dev/null 2>&1 || { echo "Installing Debian's wrk for the server benchmark"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }
	$(PY) bench/bench_evaluate.py --json bench/out/evaluate.json
	$(PY) bench/bench_server.py --json bench/out/server.json
	$(PY) bench/page_weight.py --json bench/out/page_weight.json
