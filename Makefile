# Two commands on a fresh machine: `make run` (the portal) and `make test` (the tests).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test lint migrate demo clean

# The settings default to production; these targets run on a laptop and say so.
run migrate demo: export DJANGO_DEBUG ?= true

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
# e-mail written to var/mail); Ctrl-C stops all three.
run: demo
	@echo "PartnerXpress on http://$(HOST):$(PORT)/  (logins in README.md; e-mail lands in var/mail/)"
	@trap 'kill 0' INT TERM EXIT; \
	$(BIN)/celery -A partnerxpress worker --loglevel=INFO --concurrency=2 --max-tasks-per-child=100 & \
	$(BIN)/celery -A partnerxpress beat --loglevel=INFO & \
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

test: $(STAMP) lint
	DJANGO_DEBUG=true $(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/pytest $(PYTEST_ARGS)

clean:
	rm -rf $(VENV) var
