# Engram's developer entry points. `make help` lists them.

SHELL := /bin/bash
.DEFAULT_GOAL := help

GO        ?= go
WAILS     ?= $(shell $(GO) env GOPATH)/bin/wails
# webkit2_41 when WebKitGTK 4.1 is installed, empty for 4.0 (Linux only).
WAILS_TAGS ?= $(shell scripts/webkit-tag.sh)
WAILS_FLAGS = -m $(if $(WAILS_TAGS),-tags "$(WAILS_TAGS)")

# The desktop app and `engram serve` read the data directory from here
# (make run ENGRAM_DATA=/tmp/x works as well as the environment variable).
ifdef ENGRAM_DATA
export ENGRAM_DATA
endif

.PHONY: help
help: ## list the targets
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-16s %s\n", $$1, $$2}'

.PHONY: deps-desktop
deps-desktop: ## install what the desktop build needs (apt packages, npm ci, Wails CLI) if missing
	@scripts/deps-desktop.sh

.PHONY: frontend
frontend: ## build the frontend into frontend/dist
	cd frontend && npm run build

# -m: Wails would run `go mod tidy` first; go.mod is not the build's to change.
.PHONY: build-desktop
build-desktop: ## build build/bin/engram-desktop (frontend included)
	$(WAILS) build $(WAILS_FLAGS)

.PHONY: run
run: deps-desktop build-desktop ## build and start the desktop app (engram serve where there is no display)
	@scripts/run-desktop.sh

.PHONY: dev
dev: deps-desktop ## run the app with live reload (wails dev)
	$(WAILS) dev $(WAILS_FLAGS)

.PHONY: test
test: ## run the tests
	$(GO) test -race ./...

.PHONY: test-frontend
test-frontend: ## type-check and unit-test the frontend
	cd frontend && npm run typecheck && npm test

.PHONY: smoke-desktop
smoke-desktop: ## start the built app on Xvfb and check its screenshot is not blank
	scripts/desktop-smoke.sh

.PHONY: bench
bench: ## run the benchmarks
	$(GO) test -run '^$$' -bench . ./...

.PHONY: lint
lint: ## vet the Go code
	$(GO) vet ./...

.PHONY: clean
clean: ## remove build output
	rm -rf build/bin
	find frontend/dist -mindepth 1 ! -name .gitkeep -delete
