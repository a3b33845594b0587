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

.PHONY: all site serve build check deps test bench fuzz vet clean

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

## deps: install the Debian or Ubuntu packages the tests and the benchmark
## need, as root or through sudo; otherwise print the command and stop
# Each entry is package:probe, the probe a command or a file the package
# installs. npm is separate from nodejs on Debian, and part of it elsewhere.
DEB_DEPS := chromium:chromium fonts-noto-cjk:/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc \
	libxml2-utils:xmllint nodejs:node npm:npm git:git
deps:
	@need=""; for d in $(DEB_DEPS); do p=$${d%%:*}; probe=$${d#*:}; \
		case $$probe in /*) test -e $$probe ;; *) command -v $$probe >/dev/null || \
			{ test $$p = chromium && command -v chromium-browser >/dev/null; } ;; esac || need="$$need $$p"; \
	done; test -z "$$need" && exit 0; \
	cmd="apt-get update && apt-get install -y --no-install-recommends$$need"; \
	if ! command -v apt-get >/dev/null; then echo "make: the tests need$$need; install them with this system's package manager" >&2; exit 1; fi; \
	if [ "$$(id -u)" = 0 ]; then sudo=""; \
	elif command -v sudo >/dev/null && { sudo -n true 2>/dev/null || [ -t 0 ]; }; then sudo="sudo"; \
	else echo "make: the tests need$$need; run: sudo sh -c '$$cmd'" >&2; exit 1; fi; \
	echo "installing$$need"; \
	$$sudo env DEBIAN_FRONTEND=noninteractive sh -c "$${cmd/install -y/install -y -qq}" >/dev/null || \
		{ echo "make: installing$$need failed; run: sudo sh -c '$$cmd'" >&2; exit 1; }

# The full corpus, which the corpus-scale tests and the benchmark read; the
# tests skip, naming it, when it is not set (see internal/testcorpus).
OGARCHIVE_CORPUS ?=
export OGARCHIVE_CORPUS

## test: every test, browser and schema tests included, then every fuzz
## target for a bounded number of inputs; set OGARCHIVE_CORPUS=../shared/corpus
## to include the corpus-scale tests
test: deps vet
	npm ci --prefix sitetest --no-audit --no-fund
	$(GO) tool gotestsum --format pkgname -- -count=1 -timeout 40m ./...
	@$(MAKE) --no-print-directory fuzz FUZZTIME=$(FUZZ_TEST) FUZZMINIMIZE=0

## bench: full-size archive benchmark, search against Pagefind included;
## figures go to docs/BENCHMARKS.md; BENCH_FLAGS="-scale 10" measures an
## archive 10 times the size instead (go run ./bench -h lists the flags)
BENCH_FLAGS ?=
# The bench also makes a noisy query set with another seed, through the
# eval's make-variants.py, which runs Debian's opencc.
bench: DEB_DEPS += opencc:opencc python3:python3
bench: deps $(BIN)
	npm ci --prefix bench --no-audit --no-fund
	$(GO) run ./bench -bin $(BIN) -corpus $(or $(OGARCHIVE_CORPUS),../shared/corpus) -out docs/BENCHMARKS.md $(BENCH_FLAGS)

## fuzz: run each fuzz target longer than make test does
# Targets as package:Target. go test runs their seeds anyway; -fuzz explores
# beyond them, coverage-guided, one target per run. A failing input is saved
# under the package's testdata/fuzz/ and stays a regression test.
FUZZ_TARGETS := ./generator/transcript:FuzzParse ./generator/weblink:FuzzCheck \
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
