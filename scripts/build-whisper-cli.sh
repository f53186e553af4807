#!/usr/bin/env bash
# Optional: builds whisper.cpp's own command-line tool, whisper-cli, which only the `benchmark` command uses
# as its reference (the app itself transcribes with Whisper.net and needs no compiler). Sources come from the
# npm package nodejs-whisper@0.3.1 (whisper.cpp 1.9.1); CMake with portable AVX2/FMA/F16C flags, about three
# minutes on two cores. Cached by a hash of its inputs; prints the path of whisper-cli as its last line.
# Cache: ${CALLREVIEW_NATIVE_CACHE:-$HOME/.cache/callreview/native}.
set -euo pipefail

readonly PKG_NAME=nodejs-whisper
readonly PKG_VERSION=0.3.1
readonly WHISPER_SUBDIR=package/cpp/whisper.cpp
readonly CMAKE_FLAGS=(
  -DCMAKE_BUILD_TYPE=Release
  -DBUILD_SHARED_LIBS=ON
  -DGGML_NATIVE=OFF -DGGML_AVX=ON -DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON
  -DWHISPER_BUILD_TESTS=OFF -DWHISPER_BUILD_SERVER=OFF -DWHISPER_BUILD_EXAMPLES=ON
  -DWHISPER_CURL=OFF -DWHISPER_SDL2=OFF
  # whisper-cli and its libraries end up side by side, so they find each other there.
  -DCMAKE_BUILD_WITH_INSTALL_RPATH=ON '-DCMAKE_INSTALL_RPATH=$ORIGIN'
)

cache_dir=${CALLREVIEW_NATIVE_CACHE:-$HOME/.cache/callreview/native}

fail() { echo "build-whisper-cli: error: $*" >&2; exit 1; }

ensure_tools() {
  local missing=()
  for tool in cmake g++ make npm readelf; do
    command -v "$tool" >/dev/null || missing+=("$tool")
  done
  ((${#missing[@]} == 0)) || fail "missing tools: ${missing[*]} (e.g. 'apt-get install cmake g++ make npm binutils')"
}

ensure_tools
mkdir -p "$cache_dir"
exec 9>"$cache_dir/.lock"
flock 9

key=$(echo "$PKG_NAME@$PKG_VERSION" "${CMAKE_FLAGS[*]}" "$(gcc -dumpfullversion)" | sha256sum | cut -c1-16)
out="$cache_dir/whisper-cli-$key"
if [[ ! -f "$out/.complete" ]]; then
  src_root="$cache_dir/src/$PKG_NAME-$PKG_VERSION"
  if [[ ! -f "$src_root/.complete" ]]; then
    rm -rf "$src_root" && mkdir -p "$src_root"
    (cd "$src_root" && npm pack --silent "$PKG_NAME@$PKG_VERSION" >/dev/null) || fail "npm pack $PKG_NAME@$PKG_VERSION failed"
    tar -xzf "$src_root/$PKG_NAME-$PKG_VERSION.tgz" -C "$src_root" "$WHISPER_SUBDIR" \
      || fail "could not extract $WHISPER_SUBDIR from $PKG_NAME-$PKG_VERSION.tgz"
    touch "$src_root/.complete"
  fi
  rm -rf "$out" && mkdir -p "$out"
  cmake -S "$src_root/$WHISPER_SUBDIR" -B "$out/build" "${CMAKE_FLAGS[@]}" >"$out/cmake.log" 2>&1 \
    || fail "cmake configure failed, see $out/cmake.log"
  cmake --build "$out/build" --target whisper-cli -j "$(nproc)" >"$out/build.log" 2>&1 \
    || fail "cmake build failed, see $out/build.log"
  # One real file per library, named by its SONAME (what the loader asks for).
  while IFS= read -r lib; do
    soname=$(readelf -d "$lib" | sed -n 's/.*(SONAME).*\[\(.*\)\]/\1/p')
    cp "$lib" "$out/${soname:-$(basename "$lib")}"
  done < <(find "$out/build" -type f -name '*.so*')
  cp "$out/build/bin/whisper-cli" "$out/"
  rm -rf "$out/build"
  touch "$out/.complete"
  # Older builds are dead weight once their inputs changed.
  find "$cache_dir" -maxdepth 1 -name 'whisper-cli-*' ! -name "whisper-cli-$key" -exec rm -rf {} +
fi
echo "$out/whisper-cli"
