# driftd — make demo | make test | make bench | make release
SWIFT ?= swift
# Release builds target the x86-64-v3 feature set (AVX2, FMA, BMI2; Intel Haswell 2013+, AMD
# Zen): default Swift codegen (baseline SSE2) halves SIMD bin-search throughput. Swift's
# -target-cpu takes CPU names, so the level is spelled `haswell`. For older hosts:
# make release TARGET_CPU=x86-64.
TARGET_CPU ?= haswell
RELEASE_FLAGS = -c release -Xswiftc -target-cpu -Xswiftc $(TARGET_CPU) -Xcc -march=$(TARGET_CPU)

.PHONY: deps build release test demo bench clean fixtures detection

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

# Benchmarks (Benchmarks/Performance, ordo-one/package-benchmark): one summary line per figure,
# each with its reference measured side by side. Swift's -target-cpu takes CPU names, not the
# x86-64-v3 level: haswell is the x86-64-v3 feature set (AVX2, FMA, BMI2). Full output of the
# benchmark tool: Benchmarks/Performance/.benchmarkResults/benchmark.log.
BENCH_FLAGS = -Xswiftc -target-cpu -Xswiftc $(TARGET_CPU)
BENCH_RESULTS = .benchmarkResults
bench: deps
	@cd Benchmarks/Performance && rm -rf $(BENCH_RESULTS) && mkdir -p $(BENCH_RESULTS) && status=0; \
	echo "building and running benchmarks (several minutes; log: Benchmarks/Performance/$(BENCH_RESULTS)/benchmark.log)"; \
	$(SWIFT) package $(BENCH_FLAGS) --allow-writing-to-package-directory benchmark --format jmh --path $(BENCH_RESULTS) \
		--no-progress $(BENCH_ARGS) > $(BENCH_RESULTS)/benchmark.log 2>&1 || { status=$$?; tail -n 30 $(BENCH_RESULTS)/benchmark.log; }; \
	$(SWIFT) build -c release $(BENCH_FLAGS) --product PerformanceSummary > $(BENCH_RESULTS)/summary-build.log 2>&1 && \
	$$($(SWIFT) build -c release $(BENCH_FLAGS) --show-bin-path)/PerformanceSummary $(BENCH_RESULTS) || status=$$?; \
	exit $$status

detection:
	bash Benchmarks/DetectionQuality/run.sh $(DETECTION_ARGS)

fixtures:
	python3 scripts/generate_statistics_fixtures.py
	python3 scripts/generate_cusum_fixtures.py

clean:
	rm -rf .build Benchmarks/*/.build Benchmarks/*/.benchmarkResults
