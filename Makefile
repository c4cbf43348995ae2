# The two commands a newcomer needs: `make demo` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
STAMP := $(VENV)/.installed
LANGUAGE_FLAGS := -l fr -l es -l ru -l ar -l fa

.PHONY: demo test test-fast bench bench-smoke lint messages compilemessages openapi clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Reinstall only when a requirements file changes.
$(STAMP): $(BIN)/python requirements.txt requirements-dev.txt pyproject.toml
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $(STAMP)

compilemessages: $(STAMP)
	$(BIN)/python -m website.compile_catalogues

# load_demo's last lines name the site, the admin and its account; PORT reaches both
# commands, so that the demo's site and the links in e-mails follow it.
# `make demo DEBUG=0` serves it as production does: gunicorn, static files collected and
# served hashed and compressed by WhiteNoise, over plain HTTP on this machine only.
DEBUG ?= 1
ifeq ($(DEBUG),0)
DEMO_ENV := SECRET_KEY=demo-only-$(shell hostname)-not-for-production DEBUG=0 \
	SECURE_COOKIES=0 SERVE_MEDIA=1 TASKS_BACKEND=immediate PORT=$(PORT)
DEMO_SERVER := $(BIN)/gunicorn website.wsgi --workers 2 --bind 127.0.0.1:$(PORT)
else
DEMO_ENV := DEBUG=1 PORT=$(PORT)
DEMO_SERVER := $(BIN)/python manage.py runserver 127.0.0.1:$(PORT)
endif
demo: compilemessages
	$(DEMO_ENV) $(BIN)/python manage.py migrate --no-input -v 0
	$(DEMO_ENV) $(BIN)/python manage.py load_demo
	$(DEMO_ENV) $(BIN)/python manage.py collectstatic --no-input -v 0
	$(DEMO_ENV) $(DEMO_SERVER)

test: compilemessages
	$(BIN)/python -m pytest

# Everything but the slow tests (browsers, packaging, load_demo, fuzzing), on the kept test database.
test-fast: compilemessages
	$(BIN)/python -m pytest -m "not slow"

# The site under gunicorn and wrk beside a bare Django view, on this machine's PostgreSQL
# and Redis (bench/run.py); figures in bench/results.json and a table. BENCH_ARGS passes
# options, e.g. BENCH_ARGS="--duration 5 --runs 1".
bench: compilemessages
	./system-packages.sh wrk
	$(BIN)/python -m bench.run $(BENCH_ARGS)

# The same code on tiny data, in a database of its own, dropped at the end.
bench-smoke: compilemessages
	./system-packages.sh wrk
	$(BIN)/python -m bench.run --smoke $(BENCH_ARGS)

# Rewrite the OpenAPI snapshot that tests compare against, after a deliberate API change.
openapi: $(STAMP)
	$(BIN)/python -m tests.snapshots.write_openapi

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# Regenerate the gettext catalogues of the plugin and of the site.
messages: $(STAMP)
	cd appeals && ../$(BIN)/python ../manage.py makemessages $(LANGUAGE_FLAGS) --no-obsolete --add-location=file
	$(BIN)/python manage.py makemessages $(LANGUAGE_FLAGS) --no-obsolete --add-location=file --ignore=appeals --ignore=.venv --ignore=tests

clean:
	rm -rf $(VENV) .pytest_cache
