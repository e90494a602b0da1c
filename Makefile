# 创城 — the two commands: `make run` and `make test`. Everything else here supports them.
SHELL := /bin/bash
PY := .venv/bin/python
PIP := .venv/bin/pip
HOST ?= 127.0.0.1
PORT ?= 8000
PG_URL ?= postgres://postgres@127.0.0.1:5432/test
PYTEST_WORKERS ?= 2

.PHONY: run test setup venv npm migrate bootstrap serve test-sqlite test-postgres browser-deps lint check-arch bench clean

run: setup migrate bootstrap serve

setup: venv npm

venv: .venv/.installed
.venv/.installed: requirements.txt requirements-dev.txt
	@test -x $(PY) || python3.11 -m venv .venv || python3 -m venv .venv
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet -r requirements-dev.txt
	@touch $@

npm: node_modules/.installed
node_modules/.installed: package.json
	npm install --no-audit --no-fund --silent
	@touch $@

migrate: venv
	$(PY) manage.py migrate --noinput

bootstrap: venv
	$(PY) manage.py bootstrap

# The periodic jobs (escalation, dashboard figures, audit sealing, notices, completeness) run beside the
# server in `manage.py run_periodic`, the embedded stand-in for celery beat; it stops with the server.
serve:
	@echo "创城 正在 http://$(HOST):$(PORT)/ 上运行（Ctrl+C 停止）；定时任务在后台进程中运行"
	@$(PY) manage.py run_periodic & periodic=$$!; \
	trap 'kill $$periodic 2>/dev/null' EXIT INT TERM; \
	$(PY) manage.py runserver $(HOST):$(PORT) --noreload

# Browser tests need Debian's Chromium; install it when we may (root with apt), else they skip.
browser-deps:
	@if [ ! -x /usr/bin/chromium ]; then \
	  if [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null; then \
	    echo "Installing Debian chromium for browser tests"; \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk >/dev/null) || echo "chromium install failed: browser tests will be skipped"; \
	  else echo "No /usr/bin/chromium and cannot install it: browser tests will be skipped"; fi; \
	fi
	@if ! command -v soffice >/dev/null && [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null; then \
	  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libreoffice-writer-nogui >/dev/null || echo "libreoffice install failed: PDF conversion tests will be skipped"; \
	fi

test: setup browser-deps lint check-arch test-sqlite test-postgres

lint: venv
	.venv/bin/ruff check .
	$(PY) tools/check_file_sizes.py

check-arch: venv
	$(PY) tools/check_architecture.py

test-sqlite: venv
	@echo "== Test suite on SQLite =="
	env -u DATABASE_URL $(PY) -m pytest -n $(PYTEST_WORKERS) --dist loadfile

test-postgres: venv
	@url="$${DATABASE_URL:-$(PG_URL)}"; \
	if $(PY) tools/db_reachable.py "$$url"; then \
	  echo "== Test suite on PostgreSQL ($$url) =="; \
	  DATABASE_URL="$$url" $(PY) -m pytest -n $(PYTEST_WORKERS) --dist loadfile -m "not browser"; \
	else \
	  echo "== PostgreSQL not reachable at $$url: skipping the PostgreSQL pass =="; \
	fi

bench: venv
	$(PY) bench/run_all.py

clean:
	rm -rf .venv node_modules var/chuangcheng.sqlite3*
