#!/usr/bin/env bash
# Runs CallReview on http://127.0.0.1:5000 with the embedded SQLite database (in ./data), demo users and the
# sample calls. Set CALLREVIEW_DEMO=0 for an empty installation (the first admin's one-time password is then
# printed in the log). Extra arguments go to the app, e.g. --urls http://0.0.0.0:8080
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
cd "$REPO_ROOT"

require_packages ffmpeg libgomp1
require_dotnet

demo="${CALLREVIEW_DEMO:-1}"
if [ "$demo" != "0" ]; then
  # The demo's admin signs in like the other demo users; a real installation configures its own.
  export CallReview__Admin__Email="${CallReview__Admin__Email:-admin@demo.callreview.local}"
  export CallReview__Admin__Password="${CallReview__Admin__Password:-demo-password-1}"
fi

dotnet build web -c Release -nologo -v quiet
app=(dotnet run --project web -c Release --no-build --)
"${app[@]}" migrate
if [ "$demo" != "0" ]; then
  "${app[@]}" seed-demo
fi
echo "CallReview: open http://127.0.0.1:5000 (data in ${CallReview__DataDirectory:-$REPO_ROOT/data})"
exec "${app[@]}" "$@"
