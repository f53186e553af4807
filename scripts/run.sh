#!/usr/bin/env bash
# Runs CallReview on http://127.0.0.1:5000 with the embedded SQLite database, demo data and sample calls.
# Usage: scripts/run.sh [--urls http://127.0.0.1:5000] [other app options]
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
cd "$REPO_ROOT"

require_packages ffmpeg
require_dotnet
require_whisper

export CallReview__DataDirectory="${CallReview__DataDirectory:-$REPO_ROOT/data}"
dotnet build web -c Release -nologo -v quiet
app=(dotnet run --project web -c Release --no-build --)
"${app[@]}" migrate
exec "${app[@]}" "$@"
