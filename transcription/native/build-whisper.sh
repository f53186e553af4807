#!/usr/bin/env bash
# Builds whisper.cpp (libwhisper + ggml, whisper-cli) and our C shim, then installs them into
# transcription/native/lib/. Builds are cached by a hash of every input, so a rerun with nothing
# changed only reinstalls. Cache: ${CALLREVIEW_NATIVE_CACHE:-$HOME/.cache/callreview/native}.
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
  # Every library and whisper-cli end up side by side in lib/, so they find each other there.
  -DCMAKE_BUILD_WITH_INSTALL_RPATH=ON '-DCMAKE_INSTALL_RPATH=$ORIGIN'
)

script_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
install_dir="$script_dir/lib"
cache_dir=${CALLREVIEW_NATIVE_CACHE:-$HOME/.cache/callreview/native}

fail() { echo "build-whisper: error: $*" >&2; exit 1; }

ensure_tools() {
  local missing=()
  command -v cmake >/dev/null || missing+=(cmake)
  command -v g++ >/dev/null || missing+=(g++)
  command -v gcc >/dev/null || missing+=(gcc)
  if ((${#missing[@]})) && [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null; then
    echo "build-whisper: installing cmake g++ with apt-get" >&2
    apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq cmake g++ >&2 \
      || fail "apt-get install cmake g++ failed"
    missing=()
    command -v cmake >/dev/null || missing+=(cmake)
    command -v g++ >/dev/null || missing+=(g++)
    command -v gcc >/dev/null || missing+=(gcc)
  fi
  ((${#missing[@]} == 0)) || fail "missing tools: ${missing[*]} (install them, e.g. 'apt-get install cmake g++')"
  command -v npm >/dev/null || fail "missing tool: npm (needed to fetch $PKG_NAME@$PKG_VERSION; e.g. 'apt-get install npm')"
  command -v readelf >/dev/null || fail "missing tool: readelf (install binutils)"
}

fetch_sources() {
  local src_root="$cache_dir/src/$PKG_NAME-$PKG_VERSION"
  if [[ ! -f "$src_root/.complete" ]]; then
    rm -rf "$src_root" && mkdir -p "$src_root"
    (cd "$src_root" && npm pack --silent "$PKG_NAME@$PKG_VERSION" >/dev/null) \
      || fail "npm pack $PKG_NAME@$PKG_VERSION failed"
    tar -xzf "$src_root/$PKG_NAME-$PKG_VERSION.tgz" -C "$src_root" "$WHISPER_SUBDIR" \
      || fail "could not extract $WHISPER_SUBDIR from $PKG_NAME-$PKG_VERSION.tgz"
    touch "$src_root/.complete"
  fi
  whisper_src="$src_root/$WHISPER_SUBDIR"
}

build_whisper() {
  local work="$1" stage="$1/stage"
  rm -rf "$work" && mkdir -p "$work"
  cmake -S "$whisper_src" -B "$work/build" "${CMAKE_FLAGS[@]}" >"$work/cmake.log" 2>&1 \
    || fail "cmake configure failed, see $work/cmake.log"
  cmake --build "$work/build" --target whisper whisper-cli -j "$(nproc)" >"$work/build.log" 2>&1 \
    || fail "cmake build failed, see $work/build.log"

  mkdir -p "$stage"
  # One real file per library, named by its SONAME (what the loader asks for): no symlinks, which
  # MSBuild's copy would turn into duplicates.
  local lib soname
  while IFS= read -r lib; do
    soname=$(readelf -d "$lib" | sed -n 's/.*(SONAME).*\[\(.*\)\]/\1/p')
    cp "$lib" "$stage/${soname:-$(basename "$lib")}"
  done < <(find "$work/build" -type f -name '*.so*')
  cp "$work/build/bin/whisper-cli" "$stage/"
  rm -rf "$work/build"
  touch "$work/.complete"
}

build_shim() {
  local out="$1"
  rm -rf "$out" && mkdir -p "$out"
  gcc -std=gnu11 -O2 -fPIC -shared -fvisibility=hidden -Wall -Wextra -Werror \
    -I "$whisper_src/include" -I "$whisper_src/ggml/include" \
    "$script_dir/callreview_whisper.c" "$whisper_dir/stage/libwhisper.so.1" \
    -Wl,-rpath,'$ORIGIN' -Wl,-soname,libcallreview_whisper.so -Wl,--no-undefined \
    -o "$out/libcallreview_whisper.so" 2>"$out/shim.log" \
    || fail "compiling callreview_whisper.c failed: $(cat "$out/shim.log")"
}

ensure_tools
mkdir -p "$cache_dir"
exec 9>"$cache_dir/.lock"
flock 9

# Two keys: editing the shim recompiles one C file, not whisper.cpp.
whisper_key=$( {
  echo "$PKG_NAME@$PKG_VERSION" "${CMAKE_FLAGS[*]}" "$(gcc -dumpfullversion)"
  sha256sum "${BASH_SOURCE[0]}" | cut -d' ' -f1
} | sha256sum | cut -c1-16)
shim_key=$( {
  echo "$whisper_key"
  sha256sum "$script_dir/callreview_whisper.c" "$script_dir/callreview_whisper.h" | cut -d' ' -f1
} | sha256sum | cut -c1-16)
whisper_dir="$cache_dir/whisper-$whisper_key"
shim_dir="$whisper_dir/shim-$shim_key"

whisper_action="cached" shim_action="cached"
if [[ ! -f "$whisper_dir/.complete" ]]; then
  fetch_sources
  build_whisper "$whisper_dir"
  whisper_action="built"
  # Older builds are dead weight once their inputs changed.
  find "$cache_dir" -maxdepth 1 -name 'whisper-*' ! -name "whisper-$whisper_key" -exec rm -rf {} +
fi
if [[ ! -f "$shim_dir/libcallreview_whisper.so" ]]; then
  fetch_sources
  find "$whisper_dir" -maxdepth 1 -name 'shim-*' -exec rm -rf {} +
  build_shim "$shim_dir"
  shim_action="built"
fi

rm -rf "$install_dir" && mkdir -p "$install_dir"
cp "$whisper_dir/stage/"* "$shim_dir/libcallreview_whisper.so" "$install_dir/"
echo "build-whisper: whisper.cpp $whisper_action ($PKG_NAME@$PKG_VERSION, key $whisper_key), shim $shim_action (key $shim_key); installed $(ls "$install_dir" | wc -l) files in $install_dir"
