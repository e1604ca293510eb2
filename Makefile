# Linli's two commands, and the steps under them. A thin wrapper over CMake presets (as Neovim's).
#   make run    build everything and serve the app with demo data at http://127.0.0.1:8080
#   make test   every test: native unit and server tests, the same unit tests as WebAssembly
#               under Node, and the browser end-to-end tests in Chromium
.PHONY: all bootstrap build native wasm run test test-native test-wasm test-e2e test-asan fuzz clean distclean

export NODE_PATH := /usr/share/nodejs
PORT ?= 8080
JOBS ?= $(shell nproc 2>/dev/null || echo 2)
CMAKE_BUILD = cmake --build --parallel $(JOBS) --preset

all: build

bootstrap:
	@bash scripts/bootstrap.sh

build/dev/build.ninja: | bootstrap
	cmake --preset dev >/dev/null
build/wasm/build.ninja: | bootstrap
	cmake --preset wasm >/dev/null
build/asan/build.ninja: | bootstrap
	cmake --preset asan >/dev/null

native: bootstrap build/dev/build.ninja
	$(CMAKE_BUILD) dev
wasm: bootstrap build/wasm/build.ninja
	$(CMAKE_BUILD) wasm

build: native wasm

run: build
	@mkdir -p var
	@echo "Linli: serving http://127.0.0.1:$(PORT)  (database var/linli.db; Ctrl+C stops)"
	@echo "Demo accounts (password linli-demo): zhang.bin centre, hebin.li committee, guanli.wang department, chuhai.chen field"
	./build/dev/sync-server/linli-server --host 127.0.0.1 --port $(PORT) --db var/linli.db \
	  --web build/wasm/web --seed-demo

test-native: native
	ctest --preset dev
test-wasm: wasm
	ctest --preset wasm
test-e2e: build
	cd tests/e2e && node --test --test-concurrency=1
test: build
	@bash scripts/test_all.sh

test-asan: bootstrap build/asan/build.ninja
	$(CMAKE_BUILD) asan
	ctest --preset asan

# The wire decoder under libFuzzer (clang) for FUZZ_SECONDS; crashes land in build/fuzz/fuzz-crashes/.
FUZZ_SECONDS ?= 60
fuzz: bootstrap
	cmake --preset fuzz -DLINLI_FUZZ_SECONDS=$(FUZZ_SECONDS) >/dev/null
	$(CMAKE_BUILD) fuzz --target fuzz

clean:
	rm -rf build/dev build/asan build/wasm build/fuzz build/e2e-shots
distclean:
	rm -rf build var tests/e2e/node_modules
