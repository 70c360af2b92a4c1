#!/usr/bin/env bash
# Print the path of a Python 3.10 interpreter (the version .python-version asks for).
set -euo pipefail
want=$(cat "$(dirname "$0")/../.python-version")
for candidate in "$(command -v "python$want" 2>/dev/null || true)" \
                 "$(pyenv which python 2>/dev/null || true)" \
                 "$HOME/.pyenv/versions/$want"*/bin/python "$(command -v python3 2>/dev/null || true)"; do
  [ -n "$candidate" ] && [ -x "$candidate" ] || continue
  if "$candidate" -c "import sys; sys.exit(0 if '%d.%d' % sys.version_info[:2] == '$want' else 1)" 2>/dev/null; then
    echo "$candidate"; exit 0
  fi
done
echo "Không tìm thấy Python $want (cần cho Rasa 3.6). Cài bằng: pyenv install $want  — hoặc apt-get install python$want python$want-venv" >&2
exit 1
