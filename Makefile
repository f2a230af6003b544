# aomdoctor: the two commands a new user runs first are `make demo` and `make test`.
GO          ?= go
STATICCHECK ?= honnef.co/go/tools/cmd/staticcheck@v0.8.2
BIN         := bin/aomdoctor
DEMO_STORE  ?= fixtures/stores/new-store-mistakes
FUZZTIME    ?= 15s
# Each settings reader's fuzz target, run by `make fuzz`; their seed corpora run in `make test`.
FUZZ_TARGETS := FuzzSniff FuzzReadPHP FuzzReadSettingsHTML FuzzReadJSON FuzzReadYAML FuzzReadINI

.PHONY: all build demo test fmt-check vet staticcheck unit fuzz readme clean

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
	@for t in $(FUZZ_TARGETS); do \
		echo "== $$t ($(FUZZTIME))"; \
		$(GO) test -run='^$$' -fuzz="^$$t$$" -fuzztime=$(FUZZTIME) ./checks/evidence || exit 1; \
	done

# Rewrites the README's rule table and the golden files from the code.
readme:
	$(GO) test ./cmd/aomdoctor -run 'TestREADME|TestGolden' -update

clean:
	rm -rf bin
