SHELL := /bin/bash
BIN := .venv/bin
PORT ?= 8000
ADDRESS = http://127.0.0.1:$(PORT)
# Links in emails lead to the address `make run` serves, unless SITE_URL says otherwise.
SITE_URL ?= $(ADDRESS)
WITH_SERVICES := set -a && source .services/env.sh && set +a && PATH="$(CURDIR)/$(BIN):$$PATH"
WITH_TEST_SERVICES := set -a && source .services/test-env.sh && set +a && PATH="$(CURDIR)/$(BIN):$$PATH"

.PHONY: help install services test-services stop migrate run test lint format bench browser messages

help:
	@echo "make run        start web, Celery worker and beat at $(ADDRESS)/"
	@echo "make test       lint and the whole test suite"
	@echo "make services   start PostgreSQL and Redis only and print their URLs"
	@echo "make stop       stop the private PostgreSQL and Redis"
	@echo "make bench      run the benchmarks in bench/ (BENCH=name for one)"

.venv/.installed: pyproject.toml package.json package-lock.json scripts/install.sh
	scripts/install.sh
	touch $@

# The compiled catalogues (.mo) are built from the .po files in locale/ and git-ignored.
install: .venv/.installed
	@$(BIN)/python manage.py compilemessages --ignore '.venv' --ignore 'node_modules' -v0

services:
	@scripts/services.sh start

test-services:
	@scripts/services.sh start test

stop:
	@scripts/services.sh stop

migrate: install services
	@$(WITH_SERVICES) python manage.py migrate --noinput
	@$(WITH_SERVICES) python manage.py createcachetable

run: migrate
	@$(WITH_SERVICES) python manage.py collectstatic --noinput -v0
	@$(WITH_SERVICES) python manage.py seed_demo --members 300 --groups 30 -v 0
	@echo "MomCircle is starting at $(ADDRESS)/ (Ctrl-C stops web, worker and beat)"
	@$(WITH_SERVICES) SITE_URL='$(SITE_URL)' honcho start --port $(PORT)

browser:
	@source scripts/os_packages.sh && ensure_os_packages chromium

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

test: install test-services browser lint
	@$(WITH_TEST_SERVICES) pytest -n 2 $(PYTEST_ARGS)

# After a change to the wording: gather the Spanish catalogues' msgids from the code (fill in
# each new msgstr, then `make install` compiles them).
messages: install
	$(BIN)/python manage.py makemessages -l es --ignore '.venv' --ignore 'node_modules' --ignore 'staticfiles' --ignore 'test-artifacts' --ignore 'tests' --no-obsolete
	$(BIN)/python manage.py makemessages -l es -d djangojs --ignore '.venv' --ignore 'node_modules' --ignore 'staticfiles' --no-obsolete

bench: migrate
	@$(WITH_SERVICES) scripts/bench.sh $(BENCH)
