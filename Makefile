# Rapport: `make run` starts the app, `make test` runs everything CI runs.
# Everything is installed into .venv from the pinned lock file (requirements.lock).

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test lint typecheck boundaries pytest pytest-no-qt pytest-qt system-deps lock screenshots clean

run: system-deps
	$(VENV)/bin/rapport

$(STAMP): requirements.lock pyproject.toml
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --require-hashes -r requirements.lock
	$(PY) -m pip install --quiet --no-deps -e .
	touch $(STAMP)

# The shared libraries that Qt's plugins and WeasyPrint load, read from the installed plugins
# themselves (ldd) and mapped to Debian packages: installed with apt-get when run as root,
# otherwise the exact `sudo apt-get install ...` line is printed (exit 2).
system-deps: $(STAMP)
	@$(PY) packaging/system_libraries.py --install

test: lint typecheck boundaries pytest bench-small

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/vulture

typecheck: $(STAMP)
	$(VENV)/bin/mypy forms reports desktop

boundaries: $(STAMP)
	$(VENV)/bin/lint-imports

# Every test once, with line coverage: the forms/ and reports/ tests in a process where PySide6
# cannot be imported (which proves the two lower layers never depend on the app), the rest with
# Qt offscreen. The run fails when coverage drops below COVERAGE_MIN (the figure in the README
# minus a few points, so that a run without a PostgreSQL server still passes).
COVERAGE_MIN := 90

pytest: pytest-no-qt pytest-qt
	@total=$$($(VENV)/bin/coverage report --format=total); \
	echo "Line coverage of forms/, reports/ and desktop/: $$total % (at least $(COVERAGE_MIN) % needed)"; \
	[ "$$total" -ge $(COVERAGE_MIN) ] || { echo "Coverage fell below $(COVERAGE_MIN) %: test what changed." >&2; exit 2; }

# On two cores (pytest-xdist). The tests marked `alone` run afterwards with nothing beside
# them: one checks that the window never freezes while a report is made, which a second busy
# process would distort.
pytest-no-qt: system-deps
	RAPPORT_NO_QT=1 $(PY) -m pytest -c tests/no_qt.ini --rootdir . --cov --cov-report= -n 2 \
	  tests/forms tests/reports

pytest-qt: system-deps
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest --cov --cov-append --cov-report= -n 2 \
	  -m "not alone" --ignore=tests/forms --ignore=tests/reports
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest --cov --cov-append --cov-report= \
	  -m alone --ignore=tests/forms --ignore=tests/reports

# Regenerate the lock file after changing dependencies in pyproject.toml.
lock: $(STAMP)
	$(PY) -m pip install --quiet uv
	$(VENV)/bin/uv pip compile --universal --python-version 3.11 --extra dev \
	  --generate-hashes pyproject.toml -o requirements.lock

screenshots: system-deps
	QT_QPA_PLATFORM=offscreen $(PY) packaging/screenshots.py
	$(PY) -m tests.bench.report_pages

clean:
	rm -rf $(VENV) build *.egg-info .coverage

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
	tests/bench/answer_patterns.py forms/authoring/library/*.yaml forms/storage/tables.py \
	forms/storage/migrations/versions/rev*.py)

.PHONY: bench bench-small bench-forms

$(BENCH)/rapport-%.db: $(BENCH_SOURCES) | $(STAMP)
	$(PY) -m tests.bench.generate_database --size $* -o $@

bench: $(BENCH)/rapport-full.db $(BENCH)/rapport-small.db | $(STAMP)
	QT_QPA_PLATFORM=offscreen $(PY) -m tests.bench.scale_bench \
	  --big $(BENCH)/rapport-full.db --reference $(BENCH)/rapport-small.db
	$(PY) -m tests.bench.report_bench

# How validating and finalizing grow with a form's size (100, 1,000, 10,000 questions); about 3 minutes.
bench-forms: $(STAMP)
	$(PY) -m tests.bench.form_size_bench

# CI: fresh tiny databases and one run of every measurement, targets shown but not enforced.
bench-small: system-deps
	$(PY) -m tests.bench.generate_database --size tiny -o $(BENCH)/ci/rapport-tiny.db
	$(PY) -m tests.bench.generate_database --size micro -o $(BENCH)/ci/rapport-micro.db
	QT_QPA_PLATFORM=offscreen $(PY) -m tests.bench.scale_bench --ci \
	  --big $(BENCH)/ci/rapport-tiny.db --reference $(BENCH)/ci/rapport-micro.db
