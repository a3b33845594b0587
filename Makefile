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

## test: every test, browser and schema tests included
test: vet
	$(GO) test -count=1 -timeout 40m ./...

## bench: full-size archive benchmark; figures go to docs/BENCHMARKS.md
bench: $(BIN)
	$(GO) run ./bench -bin $(BIN) -corpus ../shared/corpus -out docs/BENCHMARKS.md

## fuzz: run each fuzz target longer than make test does
FUZZTIME ?= 60s
fuzz:
	$(GO) test ./generator/transcript -run '^$$' -fuzz FuzzParse -fuzztime $(FUZZTIME)

clean:
	rm -rf public build
