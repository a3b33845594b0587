# ogarchive: `make site` builds and serves the default archive; `make test`
# runs every test, browser tests included.
SHELL := /bin/bash
# One fixed value: every change of CGO_ENABLED recompiles Hugo (minutes).
export CGO_ENABLED := 0
GO ?= go
# The repository's records by default, so `build` keeps their turn-id ledger up to date.
RECORDS ?= records
ADDR ?= 127.0.0.1:8080
BIN := build/ogarchive
RECORDS_FLAG := --records $(RECORDS)

.PHONY: all site serve build check test test-short bench fuzz vet fmt clean

all: build

$(BIN): FORCE
	@mkdir -p build
	$(GO) build -o $(BIN) .
FORCE:

## build: generate the site into public/ (RECORDS=dir for a real archive)
build: $(BIN)
	$(BIN) build $(RECORDS_FLAG) --base-url http://$(ADDR)/

## site: build and serve the archive at http://$(ADDR)/
site: build
	$(BIN) serve --dir public --addr $(ADDR)

serve: $(BIN)
	$(BIN) serve --dir public --addr $(ADDR)

## check: report problems in the records
check: $(BIN)
	$(BIN) check $(RECORDS_FLAG)

vet:
	@test -z "$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go'))" || { echo "gofmt needed:"; gofmt -l .; exit 1; }
	$(GO) vet ./...

## test: every test, browser and schema tests included (needs npm and chromium),
## then every fuzz target for a bounded number of inputs
test: vet
	npm ci --prefix sitetest --no-audit --no-fund
	$(GO) test -count=1 -timeout 40m ./...
	@$(MAKE) --no-print-directory fuzz FUZZTIME=$(FUZZ_TEST) FUZZMINIMIZE=0

## bench: full-size archive benchmark, search against Pagefind included (needs
## node, npm and chromium); figures go to docs/BENCHMARKS.md
bench: $(BIN)
	npm ci --prefix bench --no-audit --no-fund
	$(GO) run ./bench -bin $(BIN) -corpus ../shared/corpus -out docs/BENCHMARKS.md

## fuzz: run each fuzz target longer than make test does
# Targets as package:Target. go test runs their seeds anyway; -fuzz explores
# beyond them, coverage-guided, one target per run. A failing input is saved
# under the package's testdata/fuzz/ and stays a regression test.
FUZZ_TARGETS := ./generator/transcript:FuzzParse \
	./sitetest/fuzz:FuzzSanitize ./sitetest/fuzz:FuzzRecordFrontMatter ./sitetest/fuzz:FuzzSlug \
	./sitetest/fuzz:FuzzSpeakersConfig ./sitetest/fuzz:FuzzCamp ./sitetest/fuzz:FuzzPlan \
	./sitetest/fuzz:FuzzPlanCSV ./sitetest/fuzz:FuzzLedger
# FUZZMINIMIZE bounds the shrinking of each new input; make test skips it.
FUZZTIME ?= 60s
FUZZMINIMIZE ?= 10s
FUZZ_TEST ?= 3000x
fuzz:
	@failed=""; for t in $(FUZZ_TARGETS); do \
		echo "fuzz $${t##*:} $(FUZZTIME)"; \
		$(GO) test $${t%%:*} -run '^$$' -fuzz "^$${t##*:}$$" -fuzztime $(FUZZTIME) -fuzzminimizetime $(FUZZMINIMIZE) || failed="$$failed $${t##*:}"; \
	done; test -z "$$failed" || { echo "fuzz targets failed:$$failed"; exit 1; }

clean:
	rm -rf public build
