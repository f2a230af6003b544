# aomdoctor: the two commands a new user runs first are `make demo` and `make test`.
GO          ?= go
STATICCHECK ?= honnef.co/go/tools/cmd/staticcheck@v0.8.2
BIN         := bin/aomdoctor
DEMO_STORE  ?= fixtures/stores/new-store-mistakes
FUZZTIME    ?= 15s
# Every reader's fuzz target as package:target, run by `make fuzz`; their seed
# corpora run in `make test`.
FUZZ_TARGETS := \
	./checks/evidence:FuzzSniff ./checks/evidence:FuzzReadPHP ./checks/evidence:FuzzReadSettingsHTML \
	./checks/evidence:FuzzReadJSON ./checks/evidence:FuzzReadYAML ./checks/evidence:FuzzReadINI \
	./checks/evidence/reports:FuzzSniff ./checks/evidence/reports:FuzzRead \
	./checks/evidence/cartmail:FuzzCartmailSniff ./checks/evidence/cartmail:FuzzCartmailRead \
	./checks/evidence/linklist:FuzzLinklistRead ./checks/evidence/amazonurl:FuzzClassify

.PHONY: all build demo test fmt-check vet staticcheck unit fuzz bench bench-go readme clean

all: build

build:
	$(GO) build -o $(BIN) ./cmd/aomdoctor

# Runs the checker on a bundled store with several mistakes. The checker exits 1
# when it finds errors; the demo shows that code instead of failing make.
demo: build
	@echo "$$ aomdoctor check $(DEMO_STORE)"
	@./$(BIN) check $(DEMO_STORE); echo "(exit code $$?: 0 nothing found, 1 findings, 2 bad input, 3 a rule failed)"

test: fmt-check vet staticcheck unit

fmt-check:
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi

vet:
	$(GO) vet ./...

staticcheck:
	$(GO) run $(STATICCHECK) ./...

unit:
	$(GO) test -race -count=1 ./...

fuzz:
	@for pt in $(FUZZ_TARGETS); do \
		pkg=$${pt%%:*}; t=$${pt##*:}; \
		echo "== $$pkg $$t ($(FUZZTIME))"; \
		$(GO) test -run='^$$' -fuzz="^$$t$$" -fuzztime=$(FUZZTIME) $$pkg || exit 1; \
	done

# Generates large evidence and many store bundles (never committed: a
# temporary folder) and prints throughput, peak memory, the ratio to Miller,
# triage's stores per second and its MB/s beside cat's, against the targets.
# Takes a few minutes. Installs Debian's miller when missing (the ratio needs
# it). BENCH_FLAGS passes flags, e.g. BENCH_FLAGS="-year-stores 100".
bench: build
	@command -v mlr >/dev/null 2>&1 || { echo "installing Debian's miller for the ratio ..."; \
		$$( [ "$$(id -u)" = 0 ] || echo sudo ) apt-get install -y -q miller >/dev/null 2>&1 || \
		{ $$( [ "$$(id -u)" = 0 ] || echo sudo ) apt-get update -q >/dev/null 2>&1 && \
		  $$( [ "$$(id -u)" = 0 ] || echo sudo ) apt-get install -y -q miller >/dev/null 2>&1; } || \
		echo "could not install miller: the ratio will not be measured"; }
	$(GO) run ./cmd/aomdoctor-bench -bin $(BIN) $(BENCH_FLAGS)

# The readers' Go benchmarks (allocations and MB/s of one reader at a time).
bench-go:
	$(GO) test -run='^$$' -bench=. -benchmem ./checks/...

# Rewrites the README's rule table and the golden files from the code.
readme:
	$(GO) test ./cmd/aomdoctor -run 'TestREADME|TestGolden' -update

clean:
	rm -rf bin
