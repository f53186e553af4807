#!/usr/bin/env bash
# Runs the whole test suite (unit, HTTP, real ffmpeg + whisper.cpp, real-browser journeys) and ends with
# one line "N passed, N failed". Extra arguments go to dotnet test (e.g. --filter ...).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
cd "$REPO_ROOT"

require_packages ffmpeg libgomp1 espeak-ng sox chromium chromium-driver sqlite3
require_dotnet

export CALLREVIEW_TESTDATA="${CALLREVIEW_TESTDATA:-$REPO_ROOT/../shared/testdata}"
if [ ! -d "$CALLREVIEW_TESTDATA/models" ]; then
  echo "test: test data not found at $CALLREVIEW_TESTDATA (set CALLREVIEW_TESTDATA)" >&2
  exit 1
fi

log="$(mktemp)"
trap 'rm -f "$log"' EXIT
set +e
dotnet test CallReview.sln -c Release -nologo "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e

# dotnet test prints "Passed!  - Failed: F, Passed: P, Skipped: S, Total: T" per test assembly.
passed=$(grep -Eo 'Passed: +[0-9]+' "$log" | awk '{s+=$2} END {print s+0}')
failed=$(grep -Eo 'Failed: +[0-9]+' "$log" | awk '{s+=$2} END {print s+0}')
skipped=$(grep -Eo 'Skipped: +[0-9]+' "$log" | awk '{s+=$2} END {print s+0}')
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then
  failed=1  # the build or the runner failed before counting tests
fi
echo "${passed} passed, ${failed} failed, ${skipped} skipped"
exit "$status"
