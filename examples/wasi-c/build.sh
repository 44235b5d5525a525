#!/bin/sh
# Rebuilds wasi-c.wasm from src/wc.c when Debian's clang for wasm32-wasi is installed; otherwise keeps the
# checked-in binary (a fresh clone without clang still builds and packs). Then packs the signed .buf.
set -eu
cd "$(dirname "$0")"
if command -v clang >/dev/null 2>&1 && [ -f /usr/lib/wasm32-wasi/libc.a ]; then
  clang --target=wasm32-wasi -O2 -Wall -Wextra -Werror -Wl,--strip-all -o wasi-c.wasm.tmp src/wc.c
  mv wasi-c.wasm.tmp wasi-c.wasm
  echo "built wasi-c.wasm with $(clang --version | head -n 1)"
else
  echo "clang for wasm32-wasi not found: using the checked-in wasi-c.wasm (see README for the apt packages)"
fi
exec fayger-build-example pack
