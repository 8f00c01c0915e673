# Keel — two commands on a fresh Debian machine: `make demo` and `make test`.
SHELL := /bin/bash
SWIFT ?= swift
APT_PACKAGES := libopenblas-dev liblapacke-dev libsqlite3-dev coinor-libcbc-dev pkg-config
BENCH_PACKAGES := sqlite3 bc time wrk curl
KEEL_RELEASE := .build/release/keel
DEMO_DB ?= out/demo.sqlite


.PHONY: deps bench-deps apt-install build release demo test bench bench-import bench-load bench-forecast bench-plan bench-anomaly bench-route clean format
.PHONY: bench-forecast-scale bench-forecast-db
.PHONY: bench-http

## deps: install the system libraries with apt-get when any is missing (nothing when all are there)
deps:
	@$(MAKE) --no-print-directory apt-install PACKAGES="$(APT_PACKAGES)"

bench-deps:
	@$(MAKE) --no-print-directory apt-install PACKAGES="$(BENCH_PACKAGES)"

apt-install:
	@missing=""; for p in $(PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  SUDO=""; [ "$$(id -u)" = 0 ] || SUDO=sudo; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing; \
	else echo "system packages present"; fi

build: deps
	$(SWIFT) build

release: deps
	$(SWIFT) build -c release --product keel

## demo: fresh database from Datasets/demo, the nightly batch, a summary and the report
demo: release
	@mkdir -p out
	$(KEEL_RELEASE) demo --db $(DEMO_DB)

test: deps notebook-venv
	$(SWIFT) build --build-tests
	KEEL_ISOLATED_MEMORY_TEST=1 $(SWIFT) test --skip-build --filter StreamingTests
	$(SWIFT) test --skip-build --parallel --num-workers 2

## bench: release-build benchmarks, each printing Keel's figure beside its peer's
bench: bench-import bench-load bench-forecast bench-plan

bench-import: release bench-deps
	bash Benchmarks/import.sh

bench-load: deps
	$(SWIFT) build -c release --product keel-bench
	.build/release/keel-bench demand-load

format:
	bash Scripts/format.sh

clean:
	rm -rf .build out

## bench-forecast: Keel's automatic forecast beside statsforecast (installed into .build/venv)
bench-forecast: release
	@test -x .build/venv/bin/python || python3 -m venv .build/venv
	@.build/venv/bin/python -c "import statsforecast" 2>/dev/null || .build/venv/bin/pip install -q statsforecast
	KEEL_SHARED=$(CURDIR)/../shared/datasets .build/venv/bin/python Benchmarks/forecast/bench.py $(CURDIR)/.build/release/keel .build/bench-forecast $(BENCH_FORECAST_ARGS)

## bench-forecast-db: the nightly database-mode forecast on the demo retailer with and without its price and promotion drivers, at three origins
bench-forecast-db: release
	@mkdir -p .build/bench-forecast-db
	@test -f .build/bench-forecast-db/demo.sqlite || $(KEEL_RELEASE) import --db .build/bench-forecast-db/demo.sqlite Datasets/demo
	python3 Benchmarks/forecast/db_origins.py $(KEEL_RELEASE) .build/bench-forecast-db/demo.sqlite $(BENCH_FORECAST_DB_ARGS)

## bench-forecast-scale: an M5-sized panel (30,490 series × 1,941 days) from the database to a written forecast run, timed (target ≤ 120 s, ≤ 4 GiB)
bench-forecast-scale: release bench-deps
	$(SWIFT) build -c release --product keel-bench
	bash Benchmarks/forecast_scale.sh

## bench-plan: replenishment + transfers on a generated 50-store retailer, the simulator against a tuned min/max rule, planning speed
bench-plan: release
	bash Benchmarks/plan.sh

## bench-policy: speed of the inventory policy maths (KeelPolicy compiled with -O)
bench-policy:
	bash Benchmarks/policy/run.sh

## notebook-venv: nbformat in .build/venv for the test that validates keel report's notebook (Scripts/validate_notebook.py)
.PHONY: notebook-venv
notebook-venv:
	@test -x .build/venv/bin/python || python3 -m venv .build/venv
	@.build/venv/bin/python -c "import nbformat, jsonschema" 2>/dev/null || .build/venv/bin/pip install -q nbformat

## bench-anomaly: generated retailers with injected anomalies → per-kind precision/recall, FP per 100k transactions, timing
BENCH_ANOMALY_SIZES ?= 12:400:730:42 12:400:730:7 50:2000:365:42
bench-anomaly: deps
	$(SWIFT) build -c release --product keel-bench
	@for s in $(BENCH_ANOMALY_SIZES); do IFS=: read st sk dy sd <<< "$$s"; \
	  .build/release/keel-bench anomaly --stores $$st --skus $$sk --days $$dy --seed $$sd || exit 1; done

## bench-anomaly-10m: the speed target on ≥ 10M sales lines (50 stores × 2000 skus × 540 days, seed 42)
.PHONY: bench-anomaly-10m
bench-anomaly-10m: deps
	$(SWIFT) build -c release --product keel-bench
	.build/release/keel-bench anomaly --stores 50 --skus 2000 --days 540 --seed 42

## bench-route: batch sourcing vs the Cbc optimum (300 orders × 30 nodes) and vs a nearest-node greedy (20,000 × 50)
bench-route: deps
	$(SWIFT) build -c release --product keel-route-bench
	.build/release/keel-route-bench

## bench-http: POST /v1/sourcing/options under wrk load (64 connections) while keel plan writes; then a 10,000-request reservation storm with SQL invariant checks
bench-http: release bench-deps
	$(SWIFT) build -c release --product keel-bench
	bash Benchmarks/http/bench.sh
