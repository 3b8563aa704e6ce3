# Two commands: `make run` (demo on 127.0.0.1:8000 with worker and beat, no Postgres or
# Redis needed) and `make test` (lint + the whole suite on PostgreSQL and Redis when
# reachable; CI=true requires both).

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat requirements.txt requirements-dev.txt | cksum | cut -d' ' -f1)

# The demo firm lives in 2021, in the middle of the real NextGen transition; `make run
# FIRMLINK_AS_OF=` runs it on the real date. Each date has its own demo database under var/.
FIRMLINK_AS_OF ?= 2021-06-14
DATABASE_URL ?= sqlite:///$(CURDIR)/var/demo-$(or $(FIRMLINK_AS_OF),today).sqlite3
RUN_ENV := FIRMLINK_AS_OF=$(FIRMLINK_AS_OF) DATABASE_URL=$(DATABASE_URL) FIRMLINK_FIRM_NAME="Demo Firm LLP" DJANGO_SETTINGS_MODULE=firmlink.settings.local

.PHONY: install dirs run test lint format chromium audit clean bench wrk

$(STAMP): requirements.txt requirements-dev.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	rm -f $(VENV)/.installed-* && touch $(STAMP)

install: $(STAMP)

dirs:
	mkdir -p var/mail var/celery-broker var/celery-control

run: install dirs
	$(RUN_ENV) $(BIN)/python manage.py migrate --noinput
	$(RUN_ENV) $(BIN)/python manage.py load_courts
	$(RUN_ENV) $(BIN)/python manage.py seed_demo --if-empty
	$(RUN_ENV) $(BIN)/python manage.py demo_login
	$(RUN_ENV) $(BIN)/honcho --procfile Procfile start

# Browser tests drive Debian's Chromium (Playwright cannot download browsers here).
chromium:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "Installing Debian's chromium for the browser tests (apt-get)..."; \
	  SUDO=$$( [ "$$(id -u)" -eq 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium >/dev/null; }

# wrk, the HTTP load generator `make bench` drives (Debian's package).
wrk:
	@command -v wrk >/dev/null 2>&1 || { \
	  echo "Installing Debian's wrk for the load test (apt-get)..."; \
	  SUDO=$$( [ "$$(id -u)" -eq 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq wrk >/dev/null; }

# The largest firm (200,000 pairs) once, every figure of benchmarks/README.md beside its ceiling (~15 min).
bench: install wrk
	$(BIN)/python -m benchmarks.bench $(BENCH_ARGS)

# axe-core for the accessibility browser test (tests/browser/test_accessibility.py), from the npm registry at
# the version package-lock.json pins; `npm ci` again whenever package.json or the lock file changes.
NODE_STAMP := node_modules/.package-lock.json

$(NODE_STAMP): package.json package-lock.json
	@command -v npm >/dev/null 2>&1 || { \
	  echo "Installing Debian's npm for the accessibility test (apt-get)..."; \
	  SUDO=$$( [ "$$(id -u)" -eq 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq npm >/dev/null; }
	npm ci --no-audit --no-fund
	touch $(NODE_STAMP)

node_modules: $(NODE_STAMP)

# ruff, then the import contract of pyproject.toml (layers: no upward import, no cycle).
lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

test: install dirs lint chromium node_modules
	@services=$$($(BIN)/python scripts/detect_services.py) || exit 1; \
	eval "$$services"; \
	DJANGO_SETTINGS_MODULE=firmlink.settings.test $(BIN)/pytest $(PYTEST_ARGS)

# Known vulnerabilities in the installed packages (pip-audit). It needs pypi.org or api.osv.dev: where
# neither is reachable it prints "AUDIT NOT DONE" (never a false "no known vulnerabilities").
audit: install
	$(BIN)/python scripts/audit_dependencies.py

clean:
	rm -rf $(VENV) var .pytest_cache
