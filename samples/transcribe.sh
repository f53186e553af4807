#!/usr/bin/env bash
# Makes samples/calls/<slug>.transcript.json with CallReview's own pipeline (`transcribe --json`), so a fresh
# install has transcripts for the sample calls even before any model is installed. Re-run after render.sh.
# Usage: samples/transcribe.sh [--model <ggml model>] [slug ...]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/.." && pwd)"
model_args=()
if [ "${1:-}" = "--model" ]; then model_args=(--model "$2"); shift 2; fi
slugs=("$@")
if [ ${#slugs[@]} -eq 0 ]; then
  for f in "$here"/calls/*.mp3; do slugs+=("$(basename "$f" .mp3)"); done
fi
dotnet build "$repo/web" -nologo -v quiet >/dev/null
for slug in "${slugs[@]}"; do
  language="$(jq -r .language "$here/calls/$slug.json")"
  out="$here/calls/$slug.transcript.json"
  dotnet run --project "$repo/web" --no-build -- transcribe "$here/calls/$slug.mp3" --layout agent-left \
    --language "$language" --threads "$(nproc)" "${model_args[@]}" --json > "$out.tmp"
  mv "$out.tmp" "$out"
  echo "transcribed $slug ($language)"
done
