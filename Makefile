# Two commands for a newcomer: `make demo` (set up, then run the main job) and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python

.PHONY: install demo test release bench lint clean

$(VENV)/installed: requirements.txt
	@# Debian packages: bubblewrap sandboxes student kernels; chromium drives the formgrader test;
	@# postgresql is the multi-machine gradebook the parallel-grading tests run against.
	@{ command -v bwrap && command -v chromium && ls /usr/lib/postgresql/*/bin/initdb; } >/dev/null 2>&1 \
	  || { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null && apt-get update -qq \
	  && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq bubblewrap chromium postgresql >/dev/null; } \
	  || echo "note: install bubblewrap, chromium and postgresql (Debian packages) for the sandbox and the tests"
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip 2>&1 | grep -v "^WARNING: Location" || true
	$(PY) -m pip install --quiet -r requirements.txt 2>&1 | grep -v "^WARNING: Location" || true
	$(PY) -c "import nbgrader, torch, numpy, pytest" && touch $@

install: $(VENV)/installed

demo: install
	$(PY) -m tools.demo

test: install
	$(PY) -m pytest

release: install
	$(PY) -m tools.course release

bench: install
	$(PY) -m tools.bench

lint: install
	$(VENV)/bin/ruff check autograder tools tests nbgrader_config.py

clean:
	rm -rf build
