#!/usr/bin/env bash
# Which Python each process of `make run` runs on, read from the running processes: starts the stack in this
# checkout, and for each of its processes runs the binary /proc/PID/exe points to (the process's own interpreter).
#   bench/process_pythons.sh      (after make install, seed and train; ports 5005, 5055 and 8080 free)
set -euo pipefail
cd "$(git -C "$(dirname "$0")" rev-parse --show-toplevel)"
log=$(mktemp)
setsid make run > "$log" 2>&1 &
pid=$!
trap 'kill -INT -- -$pid 2>/dev/null; sleep 10; kill -- -$pid 2>/dev/null || true; rm -f "$log"' EXIT
until grep -q "Chat thử" "$log"; do kill -0 "$pid" 2>/dev/null || { tail -20 "$log"; exit 1; }; sleep 1; done
descendants() {  # every process under $1 (the supervisor starts each server in a session of its own)
  local child
  for child in $(pgrep -P "$1"); do echo "$child"; descendants "$child"; done
}
for process in $(descendants "$pid"); do
  command=$(tr '\0' ' ' < "/proc/$process/cmdline" 2>/dev/null | awk '{print $2, $3}') || continue
  case "$command" in "-m ops.rasa_server"|"-m webapp"|"-m evn.entrypoints.worker"|"-m rasa_sdk"|"-m ops.stack")
    echo "$("$(readlink "/proc/$process/exe")" -c 'import sys; print(sys.version.split()[0])')  $command";;
  esac
done
