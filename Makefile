# The two commands: `make run` (set up and serve the demo) and `make test`.
# Without DATABASE_URL, an embedded PostgreSQL (pgserver) is started under var/pgdata.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test setup migrate lint format db-stop clean

run: migrate
	$(BIN)/python manage.py import_transcripts fixtures/transcripts
	@echo ""
	@echo "Serving http://$(HOST):$(PORT)/  (Ctrl-C to stop)"
	@echo "To use the admin, create a user first:  $(BIN)/python manage.py createsuperuser"
	@echo ""
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

test: setup
	$(BIN)/pytest

setup: $(VENV)/.installed
	$(BIN)/python manage.py collectstatic --noinput --verbosity 0

migrate: setup
	$(BIN)/python manage.py migrate --noinput

$(VENV)/.installed: requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: setup
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

db-stop:
	$(BIN)/python -c "from archive import embedded_db; embedded_db.stop()"

clean: db-stop
	rm -rf $(VENV) var
