# Skills Connector: make install | run | test | lint | eval | redteam | bench
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1
export ANONYMIZED_TELEMETRY := False

.PHONY: install run test lint eval redteam bench browser postgres clean

install: $(STAMP)

# TORCH_INDEX: where to take torch from first, at the version pyproject.toml pins. PyPI's Linux torch is the
# CUDA build (several GB); `make install TORCH_INDEX=https://download.pytorch.org/whl/cpu` takes the CPU
# build, as the Dockerfile does. Unset, pip chooses (here it finds the CPU wheel on local disk).
TORCH_INDEX ?=
TORCH_PIN = $(shell sed -n 's/^ *"\(torch==[^"]*\)",$$/\1/p' pyproject.toml)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(if $(TORCH_INDEX),$(BIN)/pip install --quiet --index-url $(TORCH_INDEX) '$(TORCH_PIN)')
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

# Debian's Chromium for the widget's browser tests (Playwright cannot download its own here).
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; fi; }

# Debian's PostgreSQL server binaries for the store tests, which start their own server as an unprivileged
# user in a temp dir (Debian keeps initdb under /usr/lib/postgresql/VERSION/bin, off PATH).
postgres:
	@ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || command -v initdb >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null; \
	  else sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null; fi; }

run: install
	$(BIN)/connector ingest
	$(BIN)/connector serve

test: install browser postgres
	$(BIN)/python -m pytest

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

eval: install
	$(BIN)/connector eval

# Attacks and honest look-alikes, on the extractive path and with a model scripted to obey the attacks.
redteam: install
	$(BIN)/connector redteam

bench: install
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) data .pytest_cache
