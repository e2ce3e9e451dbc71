# The two commands: `make run` (set up and serve the demo) and `make test`.
# Without DATABASE_URL, an embedded PostgreSQL (pgserver) is started under var/pgdata.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run serve test setup migrate lint format golden fidelity screenshots db-stop clean

# Whole-file parser outputs the tests compare against (statements/tests/test_corpus.py).
GOLDEN_SOURCES := fixtures/transcripts/lavrov-atamkulov-2019-01-28.en.txt \
	fixtures/corpus/kremlin-en-news/57192.html \
	fixtures/corpus/whitehouse-press-briefings/2024-08-07-on-the-record-press-gaggle-by-white-house-national-security-communications-advisor-john-kirby-19.md

# The demo data: the seed, and the real Kremlin (CC BY 4.0) and White House (CC0) transcripts
# of fixtures/corpus; the Singapore records there are for tests only.
DEMO_TRANSCRIPTS := fixtures/transcripts fixtures/corpus/kremlin-en-news \
	fixtures/corpus/whitehouse-press-briefings

run: migrate
	$(BIN)/python manage.py import_transcripts $(DEMO_TRANSCRIPTS)
	@echo ""
	@echo "Serving http://$(HOST):$(PORT)/  (Ctrl-C to stop)"
	@echo "To use the admin, create a user first:  $(BIN)/python manage.py createsuperuser"
	@echo "(editors: staff users in the Editors group, see README)"
	@echo ""
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

# The production configuration, locally: static files collected, gunicorn with
# gunicorn.conf.py (processes and threads sized from the CPUs, access log on stdout).
serve: migrate
	@echo "Serving http://$(HOST):$(PORT)/ with gunicorn (Ctrl-C to stop)"
	$(BIN)/gunicorn archive.wsgi --bind $(HOST):$(PORT)

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

# Rewrite the golden outputs after a deliberate parser change; review `git diff fixtures/golden`.
golden: setup
	mkdir -p fixtures/golden
	for source in $(GOLDEN_SOURCES); do \
		name=$$(basename "$${source%.*}"); \
		$(BIN)/python manage.py parse_transcript "$$source" \
			| $(BIN)/python -m json.tool --no-ensure-ascii > "fixtures/golden/$$name.json" || exit 1; \
	done

# Retake the README's screenshots (docs/screenshots/) with the browser tests.
screenshots: setup
	UPDATE_SCREENSHOTS=1 $(BIN)/pytest statements/tests/test_browser.py statements/tests/test_browser_admin.py

# Speaker-turn precision/recall and words kept on the real corpus (see README).
fidelity: setup
	$(BIN)/python bench/fidelity.py fixtures/corpus

db-stop:
	$(BIN)/python -c "from archive import embedded_db; embedded_db.stop()"

clean: db-stop
	rm -rf $(VENV) var
