#!/usr/bin/env bash
# Print the path of the application environment's Python: 3.13 where pyenv (or the system) has it, else
# Debian 12's 3.11 — both with years of security support, unlike the Rasa server's 3.10.
set -euo pipefail
for want in 3.13 3.11; do
  for candidate in "$(command -v "python$want" 2>/dev/null || true)" "$HOME/.pyenv/versions/$want"*/bin/python \
                   "/usr/bin/python$want"; do
    [ -n "$candidate" ] && [ -x "$candidate" ] || continue
    if "$candidate" -c "import sys, venv; sys.exit(0 if '%d.%d' % sys.version_info[:2] == '$want' else 1)" 2>/dev/null; then
      echo "$candidate"; exit 0
    fi
  done
done
echo "Không tìm thấy Python 3.13 hay 3.11 cho môi trường ứng dụng. Cài bằng: pyenv install 3.13 — hoặc apt-get install python3.11 python3.11-venv" >&2
exit 1
