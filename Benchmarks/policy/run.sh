#!/usr/bin/env bash
# Compiles Benchmarks/policy/main.swift with the KeelPolicy sources (-O) and runs it.
set -euo pipefail
cd "$(dirname "$0")/../.."
mkdir -p .build/bench-policy
swiftc -O -module-name PolicyBench Sources/KeelPolicy/*.swift Benchmarks/policy/main.swift -o .build/bench-policy/policy-bench
.build/bench-policy/policy-bench
