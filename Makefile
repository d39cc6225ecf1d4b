# Gendan: the two commands are `make run` (try it) and `make test` (check it).
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV := .venv
PY := $(VENV)/bin/python
GENDAN := $(VENV)/bin/gendan
BIND ?= 127.0.0.1:8000
# pytest workers: the suite runs faster on two processes; PYTEST_WORKERS=0 runs in one.
PYTEST_WORKERS ?= 2

# Installing again only when pyproject.toml changed: the stamp's name carries its checksum.
PYPROJECT_SUM := $(shell sha256sum pyproject.toml | cut -c1-16)
INSTALLED := $(VENV)/.installed-$(PYPROJECT_SUM)
INSTALLED_TEST := $(VENV)/.installed-test-$(PYPROJECT_SUM)

# mypy runs on the packages that are clean today (accounts, documents, ledger, orders and tasks
# are not yet); grow the list until it is just `gendan`.
MYPY_TARGETS ?= gendan/api gendan/catalog gendan/contracts gendan/core gendan/credit \
	gendan/customers gendan/demo gendan/milestones gendan/emergency gendan/intake gendan/notifications \
	gendan/planning gendan/production gendan/purchasing gendan/reviews gendan/scheduling \
	gendan/monitoring gendan/aftersales \
	gendan/shipping \
	gendan/workdays gendan/env.py gendan/cli.py gendan/settings.py gendan/urls.py gendan/wsgi.py

.PHONY: help run test lint install install-test clean

help:
	@echo "make run    install, migrate, load the demo (empty database only), serve at http://$(BIND)/"
	@echo "make test   install test tools, the browser and a CJK font, lint, type-check, run the tests"
	@echo "make clean  remove the virtualenv, caches and collected static files (keeps data/)"

$(PY):
	@python=$$(scripts/find-python.sh) && echo "creating $(VENV) with $$python" && \
		"$$python" -m venv $(VENV)

$(INSTALLED): | $(PY)
	rm -f $(VENV)/.installed-*
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e .
	touch $@

$(INSTALLED_TEST): $(INSTALLED)
	$(PY) -m pip install --quiet -e '.[test]'
	touch $@

install: $(INSTALLED)

install-test: $(INSTALLED_TEST)

run: install
	$(GENDAN) migrate --noinput
	$(GENDAN) demo --if-empty
	BIND=$(BIND) GENDAN=$(GENDAN) scripts/run.sh

lint: install-test
	$(VENV)/bin/ruff check gendan tests
	$(VENV)/bin/ruff format --check gendan tests
	$(GENDAN) makemigrations --check --dry-run
	$(VENV)/bin/mypy --follow-imports=silent $(MYPY_TARGETS)

test: install-test
	scripts/install-browser.sh
	scripts/install-fonts.sh
	@$(MAKE) --no-print-directory lint
	$(PY) -m pytest $(if $(filter-out 0,$(PYTEST_WORKERS)),-n $(PYTEST_WORKERS)) -q -p no:cacheprovider

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache gendan.egg-info build dist data/static
	find . -name __pycache__ -type d -prune -exec rm -rf {} +

# Translations: collect the strings of every app into gendan/locale/zh_Hans/LC_MESSAGES/django.po,
# list what still needs a translation (new or fuzzy), and compile the .mo that is committed with it.
.PHONY: messages
messages: install
	cd gendan && ../$(GENDAN) makemessages -l zh_Hans --no-obsolete --add-location=file
	@cd gendan/locale/zh_Hans/LC_MESSAGES && msgfmt --statistics -o /dev/null django.po && \
		msgattrib --untranslated --no-location --no-wrap django.po | grep -A1 '^msg\(ctxt\|id\) ' || true; \
		msgattrib --only-fuzzy --no-location --no-wrap django.po | grep -A1 '^msg\(ctxt\|id\) ' || true
	cd gendan && ../$(GENDAN) compilemessages -l zh_Hans
