#!/usr/bin/env bash
# Word error rate of each shipped transcript against its script: lower-cased words without punctuation, digits
# kept as written (so "50" against "fifty" counts as an error). Usage: samples/wer.sh [slug ...]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
slugs=("$@")
if [ ${#slugs[@]} -eq 0 ]; then
  for f in "$here"/calls/*.transcript.json; do slugs+=("$(basename "$f" .transcript.json)"); done
fi
words() { perl -CSD -pe '$_ = lc; s/[^\p{L}\p{N}]+/ /g'; }
for slug in "${slugs[@]}"; do
  ref="$(jq -r '.turns[].text' "$here/calls/$slug.json" | words)"
  hyp="$(jq -r '.segments[].text' "$here/calls/$slug.transcript.json" | words)"
  printf '%s\n%s\n' "$ref" "$hyp" | awk -v slug="$slug" '
    NR == 1 { n = split($0, r, " ") }
    NR == 2 { m = split($0, h, " ")
      for (j = 0; j <= m; j++) prev[j] = j
      for (i = 1; i <= n; i++) {
        cur[0] = i
        for (j = 1; j <= m; j++) {
          best = prev[j - 1] + (r[i] != h[j]); if (prev[j] + 1 < best) best = prev[j] + 1
          if (cur[j - 1] + 1 < best) best = cur[j - 1] + 1; cur[j] = best
        }
        for (j = 0; j <= m; j++) prev[j] = cur[j]
      }
      printf "%-28s %5d words  WER %5.1f%%\n", slug, n, 100 * prev[m] / n }'
done
