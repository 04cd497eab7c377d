# Sourced by the Makefile's commands: tools installed by setup.sh on PATH.
export PATH="$PWD/end2end/node_modules/.bin:$HOME/.cargo/bin:$PATH"
# A one-off CI build gains nothing from incremental caches, which are most of a debug target's size.
if [ "${CI:-}" = true ]; then export CARGO_INCREMENTAL=0; fi
# How every release is built, served and tested: routes split into wasm chunks, assets precompressed.
RELEASE_FLAGS=(--release --split --precompress)
