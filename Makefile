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

.PHONY: serve
serve: deps-desktop frontend ## build the CLI with the frontend and run engram serve (the UI in a browser)
	$(GO) build -o build/bin/engram ./cmd/engram
	build/bin/engram serve

.PHONY: dev
dev: deps-desktop ## run the app with live reload (wails dev)
	$(WAILS) dev $(WAILS_FLAGS)

# make test is what CI runs (.ci/run): it installs what the tests need, builds
# the desktop app (and with it frontend/dist, which the Go tests of `engram
# serve` embed and drive in a headless Chromium), then runs every Go test with
# the race detector, the frontend's type check and unit tests, and a
# screenshot check of the real desktop window under Xvfb.
.PHONY: test
# The stale-build check compares frontend/dist before and after the build:
# it fails when the sources changed and dist/ was not rebuilt (make frontend),
# whether or not the rebuilt dist/ has been committed yet.
DIST_SUM = (cd frontend/dist && find . -type f ! -name .gitkeep -print0 | LC_ALL=C sort -z | xargs -0 sha256sum)
test: deps-desktop ## install what the tests need and run them all
	@mkdir -p build/bin && $(DIST_SUM) > build/bin/.dist-before
	$(WAILS) build $(WAILS_FLAGS)
	@$(DIST_SUM) | diff -u build/bin/.dist-before - >/dev/null || { \
		echo "frontend/dist was stale: the build changed it. Run make frontend and commit frontend/dist"; \
		$(DIST_SUM) | diff -u build/bin/.dist-before - ; exit 1; }
	$(GO) vet ./...
	$(GO) test -race -timeout 15m ./...
	cd frontend && npm run typecheck && npm test
	scripts/desktop-smoke.sh

.PHONY: test-frontend
test-frontend: ## type-check and unit-test the frontend
	cd frontend && npm run typecheck && npm test

.PHONY: smoke-desktop
smoke-desktop: ## start the built app on Xvfb and check its screenshot is not blank
	scripts/desktop-smoke.sh

# make bench generates Enron-shaped corpora (deterministic from a seed) and
# measures import, search, graph, start-up and peak memory against SPEC.md's
# budgets, with gap analysis, search through engram daemon's control socket,
# memory (and its golden set), search by meaning (100,000 vectors) and the
# peers of issue 18 (engram import through the CLI, raw lean Bleve and
# SQLite FTS5, which needs the sqlite_fts5 tag); it writes the tables to
# BENCHMARKS.md. BENCH_SIZES and BENCH_REAL
# (a folder of real data) change what it runs.
BENCH_SIZES ?= 10000,100000
.PHONY: bench
bench: ## measure against the budgets and write BENCHMARKS.md
	$(GO) run -tags sqlite_fts5 ./cmd/engram-bench run --sizes $(BENCH_SIZES) $(foreach p,$(BENCH_REAL),--real $(p)) --out BENCHMARKS.md

.PHONY: lint
lint: ## vet the Go code
	$(GO) vet ./...

.PHONY: clean
clean: ## remove build output
	rm -rf build/bin
	find frontend/dist -mindepth 1 ! -name .gitkeep -delete
