"""Where the benchmarks put their numbers: results/<name>.json (git-ignored), quoted in docs/benchmarks.md."""
from __future__ import annotations

import json
from pathlib import Path

from ops.model_fingerprint import ROOT


def save(name: str, result: dict, show: bool = True) -> Path:
    """Writes results/<name>.json; with `show`, prints it too."""
    text = json.dumps(result, indent=2, ensure_ascii=False)
    out = ROOT / "results" / f"{name}.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(text)
    if show:
        print(text)
    return out
