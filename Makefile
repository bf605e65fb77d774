# gonx — one Makefile for the whole workspace.
#
#   make run     the main job: the notebook server with examples/notebooks open
#   make test    setup, then gofmt, go vet, staticcheck and go test for every module
#   make build   the commands into bin/ (what the Docker image ships)
#   make docker  the livebook image from deploy/docker/Dockerfile
#   make bench   side-by-side benchmarks against peer systems
#   make lint    gofmt, go vet and staticcheck only
#   make setup   install what the targets above need (safe to run twice)
#
# Every recipe runs in bash with -euo pipefail from the repository root, wherever make
# was started from (make -C, make -f path/to/Makefile), so a target either finishes
# or stops at the first failure with the failing command printed.

SHELL       := bash
.SHELLFLAGS := -euo pipefail -c
.ONESHELL:
.DEFAULT_GOAL := help
MAKEFLAGS   += --no-print-directory

ROOT := $(patsubst %/,%,$(dir $(abspath $(lastword $(MAKEFILE_LIST)))))
ifeq ($(wildcard $(ROOT)/go.work),)
$(error gonx: $(ROOT) has no go.work; run make from a gonx checkout (make -C path/to/gonx TARGET))
endif

# Modules of the workspace, in dependency order.
MODULES := nx axon scidata livebook examples bench
# Modules whose tests also run under the race detector (they hold concurrent code).
RACE_MODULES := nx scidata livebook

# Tools pinned by version, installed into .tools/ inside the checkout.
TOOLS       := $(ROOT)/.tools
STATICCHECK_VERSION := v0.8.2
STATICCHECK := $(TOOLS)/staticcheck-$(STATICCHECK_VERSION)
# gopls gives livebook's Go cells completion, hover docs and signature help
# (v0.24 needs a newer Go than the workspace's).
GOPLS_VERSION := v0.23.0
GOPLS       := $(TOOLS)/gopls-$(GOPLS_VERSION)

# Debian packages the tests need (python3-numpy regenerates golden files; chromium runs
# livebook's browser test).
APT_TEST  := python3-numpy chromium
# Debian packages the peer benchmarks need (gcc builds the OpenBLAS peer, bench/peers/gemm.c).
APT_BENCH := libopenblas-dev python3-numpy python3-torch gcc libc6-dev
# Flags for gonxbench, e.g. make bench BENCHFLAGS='-quick' or BENCHFLAGS='-tables gemm -sizes 512'.
BENCHFLAGS ?=

GO ?= go
export GOTOOLCHAIN ?= local

define step
	printf '\n==> %s\n' "$(1)"
endef

# The deployment checker (deploy/check): its own module outside the workspace, so that
# the k8s.io/api types it decodes manifests into stay out of the gonx modules.
DEPLOY_CHECK := deploy/check
DOCKER_IMAGE ?= gonx/livebook:latest

.PHONY: help setup setup-bench run tour build test lint fmt-check vet staticcheck nocgo gotest deploy-check docker bench tidy ui

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(ROOT)/Makefile | sed -E 's/:.*## /\t/' | expand -t 14

setup: ## install Go tools and Debian packages the targets need (idempotent)
	@cd $(ROOT)
	$(call step,setup: checking the Go toolchain)
	command -v $(GO) >/dev/null || { echo "setup: go not found on PATH; install Go 1.26 first" >&2; exit 1; }
	$(GO) version
	$(call step,setup: Debian packages: $(APT_TEST))
	$(ROOT)/scripts/apt-install $(APT_TEST)
	$(call step,setup: staticcheck $(STATICCHECK_VERSION))
	if [ ! -x "$(STATICCHECK)" ]; then
		mkdir -p $(TOOLS)
		GOBIN=$(TOOLS) GOFLAGS= $(GO) install honnef.co/go/tools/cmd/staticcheck@$(STATICCHECK_VERSION)
		mv $(TOOLS)/staticcheck $(STATICCHECK)
	fi
	$(STATICCHECK) -version
	$(call step,setup: gopls $(GOPLS_VERSION))
	if [ ! -x "$(GOPLS)" ]; then
		mkdir -p $(TOOLS)
		tmp=$$(mktemp -d)
		GOBIN=$$tmp GOFLAGS= $(GO) install golang.org/x/tools/gopls@$(GOPLS_VERSION)
		mv $$tmp/gopls $(GOPLS)
		rmdir $$tmp
	fi
	$(GOPLS) version

setup-bench: setup ## install the peer systems the benchmarks compare against
	@cd $(ROOT)
	$(call step,setup-bench: Debian packages: $(APT_BENCH))
	$(ROOT)/scripts/apt-install $(APT_BENCH)

run: ## the notebook server on localhost with examples/notebooks open
	@cd $(ROOT)
	$(call step,run: livebook server on examples/notebooks (Ctrl-C stops it))
	GONX_ROOT=$(ROOT) $(if $(wildcard $(GOPLS)),GONX_GOPLS=$(GOPLS)) $(GO) run ./livebook/cmd/livebook server --home examples/notebooks

tour: ## print a short tour of nx and axon in the terminal
	@cd $(ROOT)
	$(call step,tour: examples/cmd/tour)
	$(GO) run ./examples/cmd/tour

build: ## build the commands into bin/ (livebook, scidata)
	@cd $(ROOT)
	$(call step,build: bin/livebook bin/scidata)
	mkdir -p bin
	$(GO) build -o bin/livebook ./livebook/cmd/livebook
	$(GO) build -o bin/scidata ./scidata/cmd/scidata

fmt-check:
	@cd $(ROOT)
	$(call step,gofmt: checking formatting)
	bad=$$(gofmt -l $(MODULES) $(DEPLOY_CHECK) | grep -v '/testdata/' || true)
	if [ -n "$$bad" ]; then echo "gofmt: these files need gofmt -w:" >&2; echo "$$bad" >&2; exit 1; fi

vet:
	@cd $(ROOT)
	for m in $(MODULES); do
		$(call step,go vet: $$m)
		(cd $$m && $(GO) vet ./...)
	done

staticcheck:
	@cd $(ROOT)
	for m in $(MODULES); do
		$(call step,staticcheck: $$m)
		(cd $$m && $(STATICCHECK) ./...)
	done

gotest:
	@cd $(ROOT)
	for m in $(MODULES); do
		if [[ " $(RACE_MODULES) " == *" $$m "* ]]; then race=-race; else race=; fi
		$(call step,go test $$race: $$m)
		(cd $$m && $(GO) test $$race -count=1 ./...)
	done

deploy-check: ## check deploy/docker/Dockerfile and the deploy/k8s manifests (no Docker, no cluster)
	@cd $(ROOT)/$(DEPLOY_CHECK)
	$(call step,deploy-check: go vet + staticcheck + go test of the checker)
	export GOWORK=off
	$(GO) vet ./...
	$(STATICCHECK) ./...
	$(GO) test -count=1 ./...
	$(call step,deploy-check: Dockerfile and Kubernetes manifests)
	$(GO) run . -dockerfile ../docker/Dockerfile ../k8s/*.yaml

docker: ## build the livebook image (needs Docker; DOCKER_IMAGE=gonx/livebook:latest)
	@cd $(ROOT)
	command -v docker >/dev/null || { echo "docker: the docker command is not installed; see deploy/README.md" >&2; exit 1; }
	$(call step,docker: $(DOCKER_IMAGE) from deploy/docker/Dockerfile)
	docker build -f deploy/docker/Dockerfile -t $(DOCKER_IMAGE) .

nocgo:
	@cd $(ROOT)
	$(call step,CGO_ENABLED=0 go build: nx (the GPU runtime loads CUDA without cgo))
	(cd nx && CGO_ENABLED=0 $(GO) build ./...)
	$(call step,CGO_ENABLED=0 go test: nx/cuda (purego without cgo against the fake CUDA libraries))
	(cd nx && CGO_ENABLED=0 $(GO) test -count=1 ./cuda)

lint: setup fmt-check vet staticcheck ## gofmt, go vet and staticcheck for every module

test: setup fmt-check vet staticcheck nocgo gotest build deploy-check ## setup, lint, go test, build and the deployment check
	@printf '\n==> test: every module passed\n'

bench: setup-bench ## side-by-side benchmarks against peers (tables of ratios; BENCHFLAGS=-quick)
	@cd $(ROOT)
	$(call step,bench: gonxbench $(BENCHFLAGS) (how to read the tables: bench/README.md))
	$(GO) run ./bench/cmd/gonxbench $(BENCHFLAGS)

ui: ## rebuild livebook's browser UI (livebook/ui/dist, committed) with npm and esbuild
	@cd $(ROOT)/livebook/ui
	command -v npm >/dev/null || { echo "ui: npm not found; install Node.js 20 or later" >&2; exit 1; }
	$(call step,ui: npm ci)
	npm ci --no-audit --no-fund
	$(call step,ui: tsc --noEmit)
	npx tsc --noEmit
	$(call step,ui: esbuild into livebook/ui/dist)
	node build.mjs

tidy: ## go mod tidy in every module
	@cd $(ROOT)
	for m in $(MODULES); do (cd $$m && $(GO) mod tidy); done
