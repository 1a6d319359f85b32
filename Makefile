# driftd — make demo | make test | make bench | make release
SWIFT ?= swift
# Release builds target x86-64-v3 (AVX2, 2013+ CPUs): default Swift codegen (baseline SSE2)
# halves SIMD bin-search throughput. Override with TARGET_CPU=x86-64 for older hosts.
TARGET_CPU ?= x86-64-v3
RELEASE_FLAGS = -c release -Xswiftc -target-cpu -Xswiftc $(TARGET_CPU) -Xcc -march=$(TARGET_CPU)

.PHONY: deps build release test demo bench clean fixtures

deps:
	@bash scripts/ensure-deps.sh

build: deps
	$(SWIFT) build

release: deps
	$(SWIFT) build $(RELEASE_FLAGS) --product driftd

test: deps
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build

demo: release
	$$($(SWIFT) build $(RELEASE_FLAGS) --show-bin-path)/driftd demo

bench: deps
	cd Benchmarks && $(SWIFT) package --allow-writing-to-package-directory benchmark $(BENCH_ARGS)

fixtures:
	python3 scripts/generate_statistics_fixtures.py

clean:
	rm -rf .build Benchmarks/.build
