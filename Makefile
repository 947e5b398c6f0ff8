# The README's commands. `make run` and `make test` set up everything they need on a fresh machine.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
# Parallel test processes (pytest-xdist); `make test TEST_WORKERS=0` runs in this process.
TEST_WORKERS ?= 2

.PHONY: run test setup install lint deadcode format messages clean

run: setup ## Run the portal with its real content on SQLite (no Redis needed)
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

# The suite starts Django in a few dozen subprocesses (gunicorn, Celery workers, manage.py): they
# reuse the project's compiled bytecode even where the environment turns writing it off.
test: install .env ## Run the whole test suite
	$(BIN)/python manage.py compiletranslations
	PYTHONDONTWRITEBYTECODE= S4C_TESTING=1 $(BIN)/python -m pytest -n $(TEST_WORKERS) --dist loadgroup $(PYTEST_ARGS)

setup: install .env
	$(BIN)/python manage.py compiletranslations
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_south4care

install: $(VENV)/.installed

# uv installs the same versions as pip in a quarter of the time (docs/performance.md, "CI");
# pip is the fallback where uv cannot be had.
$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	($(BIN)/python -m pip install --quiet uv && $(BIN)/uv pip install --quiet --compile-bytecode --python $(BIN)/python -e '.[dev]') \
		|| $(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

# A developer's local settings: debug mode and a random secret key, never committed.
.env:
	@$(PYTHON) -c "import secrets; print('DEBUG=true'); print('SECRET_KEY=' + secrets.token_urlsafe(64))" > .env
	@echo "wrote .env (debug mode for local development; see .env.example for every setting)"

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/vulture
	$(BIN)/deptry .

# Likely dead code, for a human sweep: grep templates, URLs, settings and task names before
# deleting (Django reaches many names by string).
deadcode: install
	$(BIN)/vulture --min-confidence 60

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Refresh the Arabic catalogues after changing user-facing strings (needs GNU gettext).
messages: install ## Update the Arabic catalogues from the source (then translate what is new)
	$(BIN)/python manage.py updatetranslations
	$(BIN)/python manage.py compiletranslations

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles .pytest_cache
