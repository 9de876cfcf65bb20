# Waystation — the two commands a newcomer needs: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test install bench lint format browser messages check clean-db

$(BIN)/python:
	$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Python 3.11+ is needed"'
	$(PYTHON) -m venv $(VENV)

$(STAMP): requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	touch $(STAMP)

install: $(STAMP)

# Local development server on SQLite with the Shanghai demo data (loaded once).
run: $(STAMP)
	DJANGO_DEBUG=$${DJANGO_DEBUG:-true} $(BIN)/python manage.py migrate --noinput
	DJANGO_DEBUG=$${DJANGO_DEBUG:-true} $(BIN)/python manage.py load_demo --if-empty
	DJANGO_DEBUG=$${DJANGO_DEBUG:-true} $(BIN)/python manage.py runserver $(HOST):$(PORT)

# Browser tests drive Debian's chromium; install it when missing (as root, e.g. in CI).
browser:
	@scripts/ensure-chromium

test: $(STAMP) browser
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Needs GNU gettext. Compiled catalogues are committed, so run/test do not need it.
messages: $(STAMP)
	DJANGO_DEBUG=true $(BIN)/python manage.py makemessages -l zh_Hans --ignore=.venv --ignore=tests
	DJANGO_DEBUG=true $(BIN)/python manage.py makemessages -d djangojs -l zh_Hans --ignore=.venv --ignore=staticfiles --ignore=static/vendor
	DJANGO_DEBUG=true $(BIN)/python manage.py compilemessages --ignore=.venv

# Benchmarks print figures; they assert nothing about speed. BENCH_DATABASE_URL picks the
# database (default: a separate SQLite file, so the dev database is left alone).
bench: $(STAMP)
	$(BIN)/python -m benchmarks.run $(BENCH_ARGS)

check: $(STAMP)
	DJANGO_DEBUG=true $(BIN)/python manage.py check
	DJANGO_DEBUG=true $(BIN)/python manage.py makemigrations --check --dry-run
