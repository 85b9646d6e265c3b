# ragmesh: every step a fresh machine needs. `make up` and `make test` run `setup` first.
SHELL := /bin/bash
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
BIN := $(VENV)/bin
GRPCURL_VERSION ?= v1.9.4
export PATH := $(abspath $(BIN)):$(PATH)

.PHONY: setup generate check-generated lint breaking test test-unit test-integration up clean

setup: $(VENV)/.installed $(BIN)/grpcurl

$(VENV)/.installed: pyproject.toml
	test -x $(PY) || python3.11 -m venv $(VENV) || python3 -m venv $(VENV)
	$(PIP) install -q --upgrade "pip>=25.1"
	# torch first and alone: its CPU-usable wheel is large; pip's cache makes reinstalls quick.
	$(PIP) install -q "torch>=2.5"
	$(PIP) install -q -e . --group dev
	# xds-protos ships stale copies of opentelemetry-proto, googleapis-common-protos and
	# envoy/__init__.py over the real packages; put the real files back (tests/unit/test_install.py).
	$(PIP) install -q --force-reinstall --no-deps \
	  "opentelemetry-proto==$$($(PIP) show opentelemetry-proto | sed -n 's/^Version: //p')" \
	  "googleapis-common-protos==$$($(PIP) show googleapis-common-protos | sed -n 's/^Version: //p')"
	touch $@

$(BIN)/grpcurl:
	GOBIN=$(abspath $(BIN)) go install github.com/fullstorydev/grpcurl/cmd/grpcurl@$(GRPCURL_VERSION)

generate: $(VENV)/.installed
	$(BIN)/buf generate

# CI: regenerating must not change generated/ (no stale or hand-edited stubs).
check-generated: generate
	@git add -N generated >/dev/null 2>&1 || true
	@git diff --exit-code --stat -- generated || (echo "generated/ is stale: run 'make generate' and commit" >&2; exit 1)

lint: $(VENV)/.installed
	$(BIN)/buf lint
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy services mesh

# Contracts that shipped must stay compatible: compare with main (or BREAKING_AGAINST).
BREAKING_AGAINST ?= .git\#branch=main
breaking: $(VENV)/.installed
	$(BIN)/buf breaking --against '$(BREAKING_AGAINST)'

test: setup
	$(PY) -m pytest -q

test-unit: setup
	$(PY) -m pytest -q tests/unit

test-integration: setup
	$(PY) -m pytest -q -m integration

up: setup
	$(BIN)/ragmesh up --demo

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
