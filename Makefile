# Pôles — the two commands (`make run`, `make test`) and a few helpers.
# Everything is driven by CMake presets (CMakePresets.json); builds go to build/<preset>/.

SHELL := /bin/bash
JOBS ?= $(shell nproc)
DB ?= poles.db
PORT ?= 8080

.PHONY: run install package test bench deps web-deps build build-ci build-asan test-ci test-asan build-tsan test-tsan fuzz clean help format format-check lint

help:
	@echo "make run    install, build, create the demo database if absent, serve the dashboard"
	@echo "make test   install, build (warnings as errors), run every test, then again under ASan+UBSan"
	@echo "make bench  run the benchmarks and regenerate docs/performance.md"
	@echo "make install  build, then install into PREFIX (default /usr/local): bin/poles, share/poles, share/doc/poles"
	@echo "make package  the Debian package (cpack): service unit, /etc/poles/poles.toml, nginx site (docs/ops.md)"
	@echo "make format apply .clang-format to every C++ file (make format-check: the check make test runs)"
	@echo "make lint   clang-tidy on every source file (.clang-tidy)"
	@echo "make test-tsan  the server, jobs and store concurrency tests under ThreadSanitizer"

deps:
	scripts/install-deps

# The dashboard's npm packages, exactly as locked (web/package-lock.json).
web/node_modules/.package-lock.json: web/package-lock.json | deps
	cd web && npm ci --no-audit --no-fund
web-deps: web/node_modules/.package-lock.json

# --- run ---------------------------------------------------------------------------------
build: deps web-deps
	cmake --preset release >/dev/null
	cmake --build --preset release -j $(JOBS) --target poles

run: build
	scripts/run-demo build/release/src/cli/poles "$(DB)" "$(PORT)"

# The binary reads its dashboard and methods under $(PREFIX)/share/poles (src/core/paths.h).
PREFIX ?= /usr/local
install: build
	cmake --install build/release --prefix "$(PREFIX)"

# The Debian package of the release build (docs/ops.md): build/release/poles_<version>_<arch>.deb.
package: build
	cd build/release && cpack -G DEB

# --- test --------------------------------------------------------------------------------
build-ci: deps web-deps
	cmake --preset ci >/dev/null
	cmake --build --preset ci -j $(JOBS)

# When tests fail, they are run once more, alone and with their output, at the end of the log
# (where a CI excerpt shows it, and whether the failure repeats); the run fails either way.
RERUN_FAILED = { echo "=== failed tests, run again alone with their output ==="; \
  ctest --preset $(1) --rerun-failed --output-on-failure -j 1; exit 1; }

test-ci: build-ci
	ctest --preset ci -j $(JOBS) || $(call RERUN_FAILED,ci)

build-asan: deps web-deps
	cmake --preset asan >/dev/null
	cmake --build --preset asan -j $(JOBS)

# Sanitizer run: every test except those labelled `slow` (their code paths are covered by the
# fast tests; under ASan they would take most of the 30-minute budget) and the named access
# attacks (label `regression`: the same rows run in access_expectations, which the sanitizer run
# keeps). The asan preset does not even build the slow executables (POLES_SKIP_SLOW_TESTS).
test-asan: build-asan
	export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1; \
	  ctest --preset asan -j $(JOBS) || $(call RERUN_FAILED,asan)

# ThreadSanitizer: the server (its API tests and the hostile client), the impact jobs and the
# store's concurrency tests (label `concurrency`), built alone in their preset.
build-tsan: deps web-deps
	cmake --preset tsan >/dev/null
	cmake --build --preset tsan -j $(JOBS)

test-tsan: build-tsan
	export TSAN_OPTIONS=halt_on_error=1:second_deadlock_stack=1; \
	  ctest --preset tsan -j $(JOBS) || $(call RERUN_FAILED,tsan)

# Seconds per fuzz target: 10 in `make test` (its 30-minute budget); longer campaigns with
# `make fuzz FUZZ_SECONDS=600`.
FUZZ_SECONDS ?= 10
# The targets are built in the sanitizer tree (build/asan, clang): only they, when called alone.
fuzz: deps
	cmake --preset asan >/dev/null
	cmake --build --preset asan -j $(JOBS) --target fuzz_csv_import fuzz_xlsx
	scripts/run-fuzz build/asan $(FUZZ_SECONDS)

test: format-check test-ci test-asan fuzz

# --- clang-tidy --------------------------------------------------------------------------
# Every source file of src/ checked with .clang-tidy (compile commands of the dev preset); any
# finding fails. Not part of `make test`: clang-tidy 14 takes about 35 minutes over src/ on two
# cores, more than the test budget leaves beside the sanitizer stage. Run it before merging.
lint: deps
	cmake --preset dev >/dev/null
	cmake --build --preset dev -j $(JOBS) --target poles >/dev/null
	git ls-files -z 'src/*.cpp' | xargs -0 -n 4 -P $(JOBS) clang-tidy -p build/dev --quiet
	@echo "lint: clang-tidy reports nothing"

# --- formatting --------------------------------------------------------------------------
# Every C++ file the repository tracks, formatted by .clang-format (so diffs show only meaning).
FORMAT_FILES = git ls-files -z '*.cpp' '*.h'
format:
	$(FORMAT_FILES) | xargs -0 clang-format -i
format-check: deps
	@$(FORMAT_FILES) | xargs -0 clang-format --dry-run -Werror \
	  || { echo "format-check: run 'make format' (files above differ from .clang-format)"; exit 1; }
	@echo "format-check: every C++ file follows .clang-format"

# --- bench -------------------------------------------------------------------------------
bench: deps
	cmake --preset release >/dev/null
	cmake --build --preset release -j $(JOBS) --target poles poles_bench network_bench select_bench evaluate_bench impact_bench resolve_bench
	scripts/run-bench build/release

clean:
	rm -rf build
