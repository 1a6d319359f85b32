# driftd — make demo | make test | make bench | make release | make fuzz | make soak
SWIFT ?= swift
# Release builds target the x86-64-v3 feature set (AVX2, FMA, BMI2; Intel Haswell 2013+, AMD
# Zen): default Swift codegen (baseline SSE2) halves SIMD bin-search throughput. Swift's
# -target-cpu takes CPU names, so the level is spelled `haswell`. For older hosts:
# make release TARGET_CPU=x86-64.
TARGET_CPU ?= haswell
RELEASE_FLAGS = -c release -Xswiftc -target-cpu -Xswiftc $(TARGET_CPU) -Xcc -march=$(TARGET_CPU)

.PHONY: deps build release static test demo bench clean fixtures detection compare-bench host-probe chaos fuzz soak format lint

deps:
	@bash scripts/ensure-deps.sh

build: deps
	$(SWIFT) build

release: deps
	$(SWIFT) build $(RELEASE_FLAGS) --product driftd

# The container image's build step (deploy/container/Dockerfile): a release binary with the Swift
# runtime linked statically, so the runtime image needs only librdkafka1 and libsimdjson14.
static: deps
	$(SWIFT) build $(RELEASE_FLAGS) --static-swift-stdlib --product driftd
	@bin=$$($(SWIFT) build $(RELEASE_FLAGS) --static-swift-stdlib --show-bin-path)/driftd; \
	if ldd "$$bin" | grep -q libswift; then echo "driftd: $$bin still links the Swift runtime dynamically" >&2; exit 1; fi; \
	"$$bin" --version >/dev/null && echo "static build: $$bin (dynamic libraries: $$(ldd "$$bin" | awk '{print $$1}' | tr '\n' ' '))"

# The tests, then the published JSON Schemas against real driftd input and output, then the HTML
# reports (driftd compare --format html, and the daemon's /report under driftd demo) rendered in
# headless Chromium (installed with apt when missing) and their DOM checked; the Kustomize overlays
# rendered with kubectl and every object validated (kubernetes-validate, offline); the Grafana
# dashboard's metrics against a live /metrics scrape; the config file's JSON Schema against the
# example, the fixtures and driftd validate; docs/asyncapi.yaml against the AsyncAPI 3.0.0 schema,
# the source's headers and reason codes, and replayed dead letters.
test: deps lint
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build
	@python3 -c 'import jsonschema' 2>/dev/null || python3 -m pip install -q jsonschema
	python3 scripts/check_event_schemas.py $$($(SWIFT) build --show-bin-path)/driftd
	python3 scripts/check_html_report.py --live $$($(SWIFT) build --show-bin-path)/driftd
	@python3 -c 'import kubernetes_validate' 2>/dev/null || python3 -m pip install -q kubernetes-validate
	python3 scripts/check_kubernetes.py $$($(SWIFT) build --show-bin-path)/driftd
	python3 scripts/check_grafana_dashboard.py $$($(SWIFT) build --show-bin-path)/driftd
	python3 scripts/check_config_schema.py $$($(SWIFT) build --show-bin-path)/driftd
	python3 scripts/check_asyncapi.py $$($(SWIFT) build --show-bin-path)/driftd

# Formatting (.swift-format; swift-format ships with the toolchain): `make format` rewrites the
# sources in place, `make lint` (part of `make test`, so of CI) fails on any finding.
FORMAT_PATHS = Package.swift Sources Tests Benchmarks Fuzz
format:
	$(SWIFT) format format --in-place --recursive --parallel $(FORMAT_PATHS)

lint:
	$(SWIFT) format lint --strict --recursive --parallel $(FORMAT_PATHS)

# The crash harness with many kills (docs/operations.md, "Failure tests"): driftd run as a child
# process, SIGKILLed CHAOS_KILLS times while events arrive; totals and alert ids checked at the end.
CHAOS_KILLS ?= 50
chaos: deps
	$(SWIFT) build --build-tests
	DRIFTD_CHAOS_KILLS=$(CHAOS_KILLS) $(SWIFT) test --skip-build --filter CrashRecoveryTests

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
	$$($(SWIFT) build -c release $(BENCH_FLAGS) --show-bin-path)/PerformanceSummary $(if $(BENCH_ARGS),--partial) $(BENCH_RESULTS) || status=$$?; \
	exit $$status

# `driftd compare` speed (docs/compare.md, "Speed"): release build, two seeded 200,000-row x 40-column
# CSVs (scripts/make_compare_bench.py) in a temporary directory, `driftd baseline build` of the
# first, then `driftd compare` of the second with --timings (wall and CPU per phase) under
# /usr/bin/time (whole process: CPU and peak memory), automatic methods and --method ks.
# With Evidently importable by EVIDENTLY_PYTHON (default: the venv of scripts/evidently_compare_bench.py's
# docstring, else python3), its DataDriftPreset runs on the same two files in the same run and the
# ratios Evidently / (baseline build + compare) are printed (wall time, CPU, peak memory).
# COMPARE_BENCH_ARGS passes options to the data script (e.g. --rows 50000 --jsonl).
EVIDENTLY_PYTHON ?= $(firstword $(wildcard /tmp/evidently-venv/bin/python) python3)
TIME_FORMAT = %e %U %S %M
compare-bench: release
	@[ -x /usr/bin/time ] || { s=; [ "$$(id -u)" -eq 0 ] || s=sudo; $$s apt-get install -y -qq time > /dev/null; }
	@bin=$$($(SWIFT) build $(RELEASE_FLAGS) --show-bin-path)/driftd; \
	dir=$$(mktemp -d); trap 'rm -rf "$$dir"' EXIT; \
	show() { awk -v what="$$1" '{printf "compare-bench: %s: whole process %.2f s wall, %.2f s user + %.2f s sys, peak RSS %d MB\n", what, $$1, $$2, $$3, $$4/1024}' "$$2"; }; \
	python3 scripts/make_compare_bench.py --out "$$dir" $(COMPARE_BENCH_ARGS) > /dev/null && \
	echo "compare-bench: $$(wc -l < "$$dir/current.csv") lines, $$(du -h "$$dir/current.csv" | cut -f1) per CSV" && \
	/usr/bin/time -o "$$dir/build.time" -f "$(TIME_FORMAT)" \
		"$$bin" baseline build --input "$$dir/train.csv" --model bench --output "$$dir/bench.json" > /dev/null && \
	show "baseline build" "$$dir/build.time" && \
	for method in auto ks; do \
		echo "compare-bench: --method $$method"; \
		/usr/bin/time -o "$$dir/compare-$$method.time" -f "$(TIME_FORMAT)" \
			"$$bin" compare --baseline "$$dir/bench.json" --input "$$dir/current.csv" --method $$method \
			--format json --timings > "$$dir/report-$$method.json" || exit $$?; \
		show "compare --method $$method" "$$dir/compare-$$method.time"; \
	done; \
	paste "$$dir/build.time" "$$dir/compare-auto.time" > "$$dir/driftd.time"; \
	awk '{printf "compare-bench: baseline build + compare: %.2f s wall, %.2f s CPU, peak RSS %d MB\n", $$1+$$5, $$2+$$3+$$6+$$7, ($$4>$$8?$$4:$$8)/1024}' "$$dir/driftd.time"; \
	if [ -f "$$dir/current.jsonl" ]; then \
		echo "compare-bench: JSON lines, --method auto"; \
		/usr/bin/time -o "$$dir/jsonl.time" -f "$(TIME_FORMAT)" \
			"$$bin" compare --baseline "$$dir/bench.json" --input "$$dir/current.jsonl" \
			--format json --timings > "$$dir/report-jsonl.json" || exit $$?; \
		show "compare JSON lines" "$$dir/jsonl.time"; \
	fi; \
	if $(EVIDENTLY_PYTHON) -c "import evidently" 2> /dev/null; then \
		echo "compare-bench: Evidently $$($(EVIDENTLY_PYTHON) -c 'import evidently; print(evidently.__version__)') DataDriftPreset on the same two files"; \
		/usr/bin/time -o "$$dir/evidently.time" -f "$(TIME_FORMAT)" \
			$(EVIDENTLY_PYTHON) scripts/evidently_compare_bench.py "$$dir/train.csv" "$$dir/current.csv" "$$dir/evidently.json" \
			2> "$$dir/evidently.log" || { cat "$$dir/evidently.log"; exit 1; }; \
		show "Evidently" "$$dir/evidently.time"; \
		paste "$$dir/evidently.time" "$$dir/driftd.time" | awk '{ \
			printf "compare-bench: Evidently / driftd (baseline build + compare): %.1fx wall, %.1fx CPU, %.1fx peak memory\n", \
				$$1/($$5+$$9), ($$2+$$3)/($$6+$$7+$$10+$$11), $$4/($$8>$$12?$$8:$$12)}'; \
	else \
		echo "compare-bench: Evidently not importable by $(EVIDENTLY_PYTHON): no ratio (see scripts/evidently_compare_bench.py)"; \
	fi

# How much of two cores this host gives for SIMD work and for scalar work, outside driftd
# (scripts/host_scaling_probe.c: pthreads, private data). Read it beside the Dispatch figures
# (docs/performance.md, "Dispatch").
host-probe:
	@mkdir -p .build && gcc -O2 -mavx2 -o .build/host_scaling_probe scripts/host_scaling_probe.c -lpthread && \
	.build/host_scaling_probe

# libFuzzer targets on the event decoders and the configuration loader (Fuzz/, scripts/fuzz.sh):
# FUZZ_SECONDS per target; fails on any crash or sanitizer report. Not part of `make test`.
FUZZ_SECONDS ?= 60
fuzz: deps
	FUZZ_SECONDS=$(FUZZ_SECONDS) bash scripts/fuzz.sh

# The release daemon on the embedded broker for SOAK_SECONDS at half its measured maximum rate
# (or SOAK_RATE events/s); fails if RSS grows more than 5 % or the processed count differs from
# the events produced (scripts/soak.py). Not part of `make test`.
SOAK_SECONDS ?= 600
soak: release
	@python3 -c 'import confluent_kafka' 2>/dev/null || python3 -m pip install -q confluent-kafka
	python3 scripts/soak.py --driftd $$($(SWIFT) build $(RELEASE_FLAGS) --show-bin-path)/driftd \
		--seconds $(SOAK_SECONDS) $(if $(SOAK_RATE),--rate $(SOAK_RATE))

detection:
	bash Benchmarks/DetectionQuality/run.sh $(DETECTION_ARGS)

fixtures:
	python3 scripts/generate_statistics_fixtures.py
	python3 scripts/generate_cusum_fixtures.py
	python3 scripts/generate_latency_fixtures.py
	python3 scripts/generate_detection_fixtures.py

clean:
	rm -rf .build Fuzz/.build Benchmarks/*/.build Benchmarks/*/.benchmarkResults
