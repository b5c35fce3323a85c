# Two commands on a fresh machine: `make run` (the portal) and `make test` (the tests).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run serve test lint migrate demo clean

# The settings default to production; these targets run on a laptop and say so.
run serve migrate demo: export DJANGO_DEBUG ?= true
# Links in e-mails and letters lead to the address served, unless PORTAL_URL says otherwise.
run serve: export PORTAL_URL ?= http://$(HOST):$(PORT)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

migrate: $(STAMP)
	$(BIN)/python manage.py migrate --noinput

demo: migrate
	$(BIN)/python manage.py seed_demo

# Web, worker and beat together on embedded defaults (SQLite, a folder as the Celery broker,
# e-mail written to var/mail); Ctrl-C or SIGTERM stops all three.
run: demo serve

# The three processes on an existing database, under partnerxpress/supervise.py.
serve: $(STAMP)
	@echo "PartnerXpress on http://$(HOST):$(PORT)/  (logins in README.md; e-mail lands in var/mail/, its links to $(PORTAL_URL))"
	@$(BIN)/python -m partnerxpress.supervise $(HOST):$(PORT)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

test: $(STAMP) lint
	DJANGO_DEBUG=true $(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/pytest $(PYTEST_ARGS)

clean:
	rm -rf $(VENV) var
