#!/usr/bin/env bash
# A cold first `make run`, timed until it prints where to chat: a fresh clone of COMMIT, new environments under
# a scratch folder and an empty pip cache (the downloads are part of it). Stops the stack afterwards.
#   bench/first_run.sh COMMIT [SCRATCH]      e.g. bench/first_run.sh HEAD /tmp/first-run
set -euo pipefail
commit=${1:?commit}; scratch=${2:-/tmp/evn-first-run}
repo=$(git -C "$(dirname "$0")" rev-parse --show-toplevel)
rm -rf "$scratch" && mkdir -p "$scratch/pip-cache"
git clone -q "$repo" "$scratch/repo" && git -C "$scratch/repo" checkout -q "$commit"
cd "$scratch/repo"
export PIP_CACHE_DIR=$scratch/pip-cache
unset APP_PYTHON RASA_PYTHON
started=$(date +%s.%N)
setsid make run VENV="$scratch/venv" APP_VENV="$scratch/app" > "$scratch/make-run.log" 2>&1 &
pid=$!
trap 'kill -INT -- -$pid 2>/dev/null; sleep 10; kill -- -$pid 2>/dev/null || true' EXIT
until grep -q "Chat thử" "$scratch/make-run.log" 2>/dev/null; do
  kill -0 "$pid" 2>/dev/null || { tail -20 "$scratch/make-run.log"; echo "make run stopped" >&2; exit 1; }
  sleep 1
done
echo "first make run of $commit: $(echo "$(date +%s.%N) - $started" | bc) s (log: $scratch/make-run.log)"
