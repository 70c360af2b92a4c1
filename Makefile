# make run   — install what is missing, seed the demo database, train if stale, start everything
# make test  — install what is missing, then every test (unit, integration, Rasa data/stories, end-to-end)
# make bench — latency, training time, lookup and seeding numbers

SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
RASA := $(VENV)/bin/rasa
STAMP := $(VENV)/.installed

export RASA_TELEMETRY_ENABLED := false
export SQLALCHEMY_SILENCE_UBER_WARNING := 1
export TF_CPP_MIN_LOG_LEVEL := 2
export RASA_PORT ?= 5005
export ACTIONS_PORT ?= 5055
CUSTOMERS ?= 1000

.PHONY: install run seed train test test-unit test-integration test-rasa test-e2e bench validate clean

install: $(STAMP)

$(STAMP): requirements.txt .python-version
	@test -x $(PY) || { echo "Tạo môi trường Python 3.10 ở $(VENV)…"; "$$(tools/python310.sh)" -m venv $(VENV); }
	$(PY) -m pip install --quiet --upgrade "pip==24.0"
	$(PY) -m pip install --progress-bar on -r requirements.txt
	$(PY) -m pip check
	@touch $(STAMP)

seed: install
	$(PY) -m evn.seed --customers $(CUSTOMERS)

train: install
	$(PY) -m tools.model_fingerprint

run: install seed train
	$(PY) -m tools.stack

validate: install
	$(RASA) data validate --domain domain --data data --config config.yml --fail-on-warnings

test-unit: install
	$(PY) -m pytest tests/unit -q

test-integration: install
	$(PY) -m pytest tests/integration -q -rs

test-rasa: install validate train
	ACTIONS_PORT=$(ACTIONS_PORT) $(RASA) test core --model models --stories tests/stories --fail-on-prediction-errors --out results/core

test-e2e: install train
	$(PY) -m pytest tests/e2e -q -rs

test: test-unit test-integration test-rasa test-e2e

bench: install train
	$(PY) -m tools.bench

clean:
	rm -rf results var/log
