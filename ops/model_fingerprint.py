"""Train only when the training inputs changed since the newest model.

A content hash of config.yml, domain.yml, data/, the code of the custom NLU components and
dialogue policies (the model stores what they learnt, in their format) and of the core's
domain modules they read (the tokenizer's value kinds come from evn/domain) is stored next
to each model (models/<model>.fingerprint); file times are useless after a git clone.
"""
from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import time
from pathlib import Path

from ops.environments import rasa_executable

ROOT = Path(__file__).resolve().parents[1]
INPUTS = ("config.yml", "domain.yml", "data", "nlu_components", "dialogue_policies", "evn/domain")
CODE = ("nlu_components", "dialogue_policies", "evn/domain")


def fingerprint(root: Path = ROOT) -> str:
    digest = hashlib.sha256()
    for name in INPUTS:
        path = root / name
        files = sorted(p for p in path.rglob("*") if p.is_file() and "__pycache__" not in p.parts) \
            if path.is_dir() else [path]
        for file in files:
            digest.update(str(file.relative_to(root)).encode())
            digest.update(file.read_bytes())
    return digest.hexdigest()


def code_fingerprint(root: Path = ROOT) -> str:
    """A content hash of the code the trained components run (not the data they learn from)."""
    digest = hashlib.sha256()
    for name in CODE:
        for file in sorted(p for p in (root / name).rglob("*.py") if "__pycache__" not in p.parts):
            digest.update(str(file.relative_to(root)).encode())
            digest.update(file.read_bytes())
    return digest.hexdigest()


def newest_model(root: Path = ROOT) -> Path | None:
    models = sorted((root / "models").glob("*.tar.gz"), key=lambda p: p.stat().st_mtime)
    return models[-1] if models else None


def is_stale(root: Path = ROOT) -> bool:
    model = newest_model(root)
    if model is None:
        return True
    stamp = model.with_name(model.name.removesuffix(".tar.gz") + ".fingerprint")
    return not stamp.exists() or stamp.read_text().strip() != fingerprint(root)


def train(root: Path = ROOT) -> float:
    """Runs `rasa train`; returns the seconds it took."""
    expected = fingerprint(root)
    started = time.perf_counter()
    # A fixed hash seed: Python's per-process string hashing orders sets, and through them the examples the
    # classifier sees, so two trainings of the same inputs gave models that differ on borderline messages.
    # Rasa's training cache knows a component by its name, settings and data, not by its code: a cache per
    # version of the code, or a changed tokenizer would be trained past with the classifier of the old one.
    cache = root / ".rasa" / f"cache-{code_fingerprint(root)[:16]}"
    subprocess.run(
        [rasa_executable(), "train", "--fixed-model-name", f"evn-{int(time.time())}"],
        cwd=root, check=True,
        env={**os.environ, "PYTHONHASHSEED": "0", "RASA_CACHE_DIRECTORY": os.environ.get(
            "RASA_CACHE_DIRECTORY", str(cache))},
    )
    elapsed = time.perf_counter() - started
    model = newest_model(root)
    if model is None:
        raise RuntimeError("rasa train wrote no model in models/")
    model.with_name(model.name.removesuffix(".tar.gz") + ".fingerprint").write_text(expected)
    return elapsed


def main() -> int:
    current = newest_model()
    if "--force" not in sys.argv and current is not None and not is_stale():
        print(f"Mô hình {current.name} đã khớp dữ liệu huấn luyện; không cần huấn luyện lại.")
        return 0
    print("Dữ liệu huấn luyện đã thay đổi: đang huấn luyện mô hình (rasa train)…", flush=True)
    seconds = train()
    trained = newest_model()
    print(f"Huấn luyện xong trong {seconds:.0f} s: models/{trained.name if trained else '?'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
