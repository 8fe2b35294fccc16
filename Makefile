# Two commands for a fresh machine with Python 3.11+:  make run   and   make test
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
DEMO_PASSWORD ?= Changchun-2018
HOST ?= 127.0.0.1:8000

.PHONY: run test install demo lint messages clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $@

install: $(VENV)/.installed

## Install, migrate, load the Changchun demo and serve on http://127.0.0.1:8000, with the
## background-export worker (the database queue) running beside the server and stopped with it
run: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo --password '$(DEMO_PASSWORD)'
	$(PY) manage.py db_worker --no-reload & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	$(PY) manage.py runserver $(HOST)

## The whole test suite (browser tests included when /usr/bin/chromium exists)
test: install
	$(PY) -m pytest

lint: install
	$(VENV)/bin/ruff check .

messages: install
	$(PY) manage.py makemessages -l zh_Hans --ignore=.venv --ignore=staticfiles --no-obsolete
	$(PY) manage.py compilemessages -l zh_Hans --ignore=.venv

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles
