# Rapport: `make run` starts the app, `make test` runs everything CI runs.
# Everything is installed into .venv from the pinned lock file (requirements.lock).

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

# Shared libraries that Qt and WeasyPrint load, and the Debian packages that provide them.
SYSTEM_LIBS := libEGL.so.1:libegl1 libxkbcommon.so.0:libxkbcommon0 \
	libxkbcommon-x11.so.0:libxkbcommon-x11-0 libxcb-cursor.so.0:libxcb-cursor0 \
	libfontconfig.so.1:libfontconfig1 libpango-1.0.so.0:libpango-1.0-0 \
	libpangoft2-1.0.so.0:libpangoft2-1.0-0 libharfbuzz.so.0:libharfbuzz0b \
	libharfbuzz-subset.so.0:libharfbuzz-subset0 \
	libdbus-1.so.3:libdbus-1-3 libGL.so.1:libgl1

.PHONY: run test lint typecheck boundaries pytest pytest-no-qt system-deps lock screenshots clean

run: $(STAMP)
	$(VENV)/bin/rapport

$(STAMP): requirements.lock pyproject.toml | system-deps
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --require-hashes -r requirements.lock
	$(PY) -m pip install --quiet --no-deps -e .
	touch $(STAMP)

system-deps:
	@missing=""; \
	for pair in $(SYSTEM_LIBS); do \
	  lib=$${pair%%:*}; pkg=$${pair##*:}; \
	  ldconfig -p | grep -q "$$lib" || missing="$$missing $$pkg"; \
	done; \
	fc-list 2>/dev/null | grep -qi . || missing="$$missing fontconfig fonts-dejavu-core"; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "Installing system libraries Qt and WeasyPrint need:$$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	  else \
	    echo "Rapport needs these system libraries. Install them with:"; \
	    echo "  sudo apt-get install$$missing"; exit 2; \
	  fi; \
	fi

test: lint typecheck boundaries pytest pytest-no-qt bench-small

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

typecheck: $(STAMP)
	$(VENV)/bin/mypy forms reports desktop

boundaries: $(STAMP)
	$(VENV)/bin/lint-imports

pytest: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest

# The forms/ and reports/ tests again, in a process where PySide6 cannot be imported.
pytest-no-qt: $(STAMP)
	RAPPORT_NO_QT=1 $(PY) -m pytest -c tests/no_qt.ini --rootdir . tests/forms tests/reports

# Regenerate the lock file after changing dependencies in pyproject.toml.
lock: $(STAMP)
	$(PY) -m pip install --quiet uv
	$(VENV)/bin/uv pip compile --universal --python-version 3.11 --extra dev \
	  --generate-hashes pyproject.toml -o requirements.lock

screenshots: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(PY) packaging/screenshots.py
	$(PY) -m tests.bench.report_pages

clean:
	rm -rf $(VENV) build *.egg-info

# Packaging (packaging/README.md): a one-folder PyInstaller bundle and its .tar.gz, built in a
# venv of its own so that PyInstaller never becomes a dependency of Rapport.
PACKAGE_VENV := packaging/build/venv
PACKAGE_STAMP := $(PACKAGE_VENV)/.installed
PACKAGE_DIST := packaging/dist
PACKAGE_VERSION = $(shell sed -n 's/^version = "\(.*\)"/\1/p' pyproject.toml)
PACKAGE_ARCHIVE = $(PACKAGE_DIST)/rapport-$(PACKAGE_VERSION)-linux-$(shell uname -m).tar.gz

.PHONY: package package-smoke package-validate

package: $(PACKAGE_STAMP)
	bash packaging/build.sh $(PACKAGE_VENV) $(PACKAGE_DIST)

$(PACKAGE_STAMP): requirements.lock packaging/requirements-build.txt pyproject.toml | system-deps
	test -d $(PACKAGE_VENV) || $(PYTHON) -m venv $(PACKAGE_VENV)
	$(PACKAGE_VENV)/bin/python -m pip install --quiet --require-hashes \
	  -r requirements.lock -r packaging/requirements-build.txt
	$(PACKAGE_VENV)/bin/python -m pip install --quiet --no-deps --no-build-isolation -e .
	touch $(PACKAGE_STAMP)

# Unpacks the .tar.gz of `make package` and runs the frozen program: --version, demo, a PDF
# report, the GUI (packaging/README.md lists the checks).
package-smoke:
	bash packaging/smoke_test.sh $(PACKAGE_ARCHIVE)

# The Linux desktop entry and AppStream metadata pass their validators.
package-validate:
	bash packaging/validate.sh

# The scale benchmark (issue 7): synthetic databases in build/bench, generated again only when
# the generator, the built-in forms or the schema change; results in tests/bench/results.json.
BENCH := build/bench
BENCH_SOURCES := $(wildcard tests/bench/generate_database.py tests/bench/synthetic_company.py \
	tests/bench/answer_patterns.py forms/library/*.yaml forms/store/tables.py \
	forms/store/migrations/versions/rev*.py)

.PHONY: bench bench-small

$(BENCH)/rapport-%.db: $(BENCH_SOURCES) | $(STAMP)
	$(PY) -m tests.bench.generate_database --size $* -o $@

bench: $(BENCH)/rapport-full.db $(BENCH)/rapport-small.db | $(STAMP)
	QT_QPA_PLATFORM=offscreen $(PY) -m tests.bench.scale_bench \
	  --big $(BENCH)/rapport-full.db --reference $(BENCH)/rapport-small.db
	$(PY) -m tests.bench.report_bench

# CI: fresh tiny databases and one run of every measurement, targets shown but not enforced.
bench-small: $(STAMP)
	$(PY) -m tests.bench.generate_database --size tiny -o $(BENCH)/ci/rapport-tiny.db
	$(PY) -m tests.bench.generate_database --size micro -o $(BENCH)/ci/rapport-micro.db
	QT_QPA_PLATFORM=offscreen $(PY) -m tests.bench.scale_bench --ci \
	  --big $(BENCH)/ci/rapport-tiny.db --reference $(BENCH)/ci/rapport-micro.db
