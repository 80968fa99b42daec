# RII-Portal. Quick start: `make run`, `make test`. See README.md.
SHELL   := /bin/bash
BIN     := .bin/rii
GO      ?= go
# Browser tests need time on 2 cores; packages run in parallel.
TESTFLAGS ?= -timeout 25m

.PHONY: run build test generate fmt lint clean assets bench help

help:
	@echo "make run       local portal on http://localhost:8080 (local PostgreSQL, migrations, demo content)"
	@echo "make test      the whole test suite (real PostgreSQL, Chromium + axe-core)"
	@echo "make build     build $(BIN)"
	@echo "make generate  regenerate templ code"
	@echo "make fmt       format Go and templ files"
	@echo "make lint      vet, formatting, generated code and vendored assets up to date"
	@echo "make assets    copy the pinned KERN UX files from node_modules into web/static/vendor"
	@echo "make clean     remove build output and the local database"

run: build
	@$(BIN) dev

build:
	$(GO) build -o $(BIN) ./cmd/rii

# axe-core (browser tests) comes from npm; install it when missing or outdated.
node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error

test: node_modules/.package-lock.json
	@command -v chromium >/dev/null || [ -x "$${RII_CHROMIUM:-/usr/bin/chromium}" ] || \
		echo "Hinweis: Chromium fehlt – Browser- und Barrierefreiheitstests werden übersprungen (CI installiert es: bash .ci/run)."
	$(GO) test $(TESTFLAGS) ./...

generate:
	$(GO) tool templ generate

fmt:
	gofmt -w $$(git ls-files '*.go' | grep -v '_templ\.go$$')
	$(GO) tool templ fmt .

lint: node_modules/.package-lock.json
	$(GO) vet ./...
	@out=$$(gofmt -l $$(git ls-files '*.go' | grep -v '_templ\.go$$')); \
		if [ -n "$$out" ]; then echo "gofmt would change: $$out"; exit 1; fi
	@$(GO) tool templ fmt -fail -log-level error web || { echo "templ fmt changed files (run: make fmt, then commit)"; exit 1; }
	@$(GO) tool templ generate >/dev/null 2>&1; \
		if [ -n "$$(git status --porcelain -- '*_templ.go')" ]; then \
		echo "generated templ code is out of date (run: make generate, then commit)"; git status --porcelain -- '*_templ.go'; exit 1; fi
	@$(MAKE) --no-print-directory assets >/dev/null; \
		if [ -n "$$(git status --porcelain -- web/static/vendor)" ]; then \
		echo "web/static/vendor differs from the pinned npm packages (run: make assets, then commit)"; exit 1; fi
	@echo "lint: ok"

# The KERN files the portal serves, from the pinned package. The Fira Sans
# faces are subset to Latin (German, Western European names, typographic
# punctuation, €): about 32 KB instead of 130 KB each, so a first visit stays
# well under 200 KB. Needs pyftsubset (Debian: fonttools, python3-brotli);
# the output is deterministic, so `make lint` can compare it byte for byte.
KERN := node_modules/@kern-ux/native
FONT_UNICODES := U+0000-00FF,U+0100-017F,U+0218-021B,U+02C6,U+02DA,U+02DC,U+2010-2027,U+2030-203A,U+2044,U+20AC,U+2122,U+2190-2193,U+2212,U+FEFF,U+FFFD
assets: node_modules/.package-lock.json
	@command -v pyftsubset >/dev/null || { echo "pyftsubset fehlt: apt-get install fonttools python3-brotli"; exit 1; }
	@mkdir -p web/static/vendor/kern/fonts/fira-sans
	cp $(KERN)/dist/kern.min.css $(KERN)/LICENSE.md web/static/vendor/kern/
	cp $(KERN)/dist/fonts/fira-sans.css web/static/vendor/kern/fonts/
	for f in $$(grep -o 'fira-sans/[A-Za-z-]*\.woff2' $(KERN)/dist/fonts/fira-sans.css); do \
		pyftsubset $(KERN)/dist/fonts/$$f --unicodes='$(FONT_UNICODES)' --layout-features='*' \
			--flavor=woff2 --output-file=web/static/vendor/kern/fonts/$$f 2>/dev/null; done

# Go benchmarks, then one table of every public page at 500 and 10,000
# initiatives, hot, cold and against the same bytes as a static file
# (wrk on loopback only, 5 s a cell, about 10 minutes on 2 cores; needs wrk:
# apt-get install -y wrk). BENCHFLAGS="-profile DIR" writes CPU profiles.
bench: build
	$(GO) test -run '^$$' -bench . -skip BenchmarkDashboard -benchmem ./...
	# Every dashboard page and export over 10,000 initiatives, 1,000 events and
	# 100,000 registrations: the p95-ms column is each one's server time (< 100),
	# a true 95th percentile of 100 requests (of 20 it would be the slowest).
	$(GO) test ./internal/server -run '^$$' -bench 'BenchmarkDashboard$$' -benchtime=100x
	$(GO) run ./cmd/loadtest -sizes 500,10000 -duration 5s $(BENCHFLAGS)
	# The tail at 64 connections once more with the load generator on a CPU
	# of its own (portal and PostgreSQL on CPU 0, wrk on CPU 1): sharing
	# them, wrk's own waits for a CPU make most of its 99th percentile.
	$(GO) build -o $(BIN)-loadtest ./cmd/loadtest
	taskset -c 0 $(BIN)-loadtest -sizes 10000 -duration 5s -registrations=false -only '64 connections' -wrk-cpus 1
	$(GO) run ./cmd/soak -bin $(BIN) -duration $(SOAK)

# The soak run of `make bench`: mixed public and signed-in traffic against
# the real binary (loopback only); shorten it with e.g. make bench SOAK=1m.
SOAK ?= 5m

clean:
	rm -rf .bin .data
