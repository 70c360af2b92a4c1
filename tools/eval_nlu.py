"""`make eval`: how well the assistant understands Vietnamese as customers type it.

    python -m tools.eval_nlu [--config config.yml] [--heldout tests/nlu/heldout.yml] [--folds 5]

Trains the NLU pipeline on data/nlu, then on the held-out set (never trained on):
intent accuracy and macro F1 overall, without and with diacritics; entity F1
per entity (type and span must match); the confusion pairs left; and the
fallback threshold that serves customers best (a wrong answer costs what a
right one gains, a "em chưa hiểu" costs nothing). Then k-fold cross-validation
on the training data. Writes results/eval/<config name>.json.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path

from tools.stack import QUIET_ENV

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


def train(config: Path, out: Path) -> tuple[Path, float]:
    started = time.perf_counter()
    subprocess.run(
        [str(BIN / "rasa"), "train", "nlu", "--config", str(config), "--nlu", "data/nlu", "--out", str(out),
         "--fixed-model-name", "nlu"],
        cwd=ROOT, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        env={**os.environ, **QUIET_ENV, "RASA_CACHE_DIRECTORY": str(out / "cache")},
    )
    return out / "nlu.tar.gz", time.perf_counter() - started


def predict(model: Path, texts: list[str]) -> list[dict]:
    from rasa.core.agent import Agent

    agent = Agent.load(str(model))

    async def run() -> list[dict]:
        return [await agent.parse_message(text) for text in texts]

    return asyncio.run(run())


def f1(tp: int, fp: int, fn: int) -> float:
    return 0.0 if tp == 0 else 2 * tp / (2 * tp + fp + fn)


def score(gold: list[str], predicted: list[str]) -> dict:
    from sklearn.metrics import accuracy_score, f1_score

    if not gold:
        return {"n": 0}
    return {
        "n": len(gold),
        "accuracy": round(accuracy_score(gold, predicted), 4),
        "macro_f1": round(f1_score(gold, predicted, average="macro", zero_division=0), 4),
    }


def choose_threshold(results: list[tuple[bool, float]]) -> dict:
    best, curve = None, []
    for step in range(0, 80, 5):
        threshold = step / 100
        kept_right = sum(1 for ok, conf in results if ok and conf >= threshold)
        kept_wrong = sum(1 for ok, conf in results if not ok and conf >= threshold)
        utility = kept_right - kept_wrong
        row = {"threshold": threshold, "answered_right": kept_right, "answered_wrong": kept_wrong,
               "fallback": len(results) - kept_right - kept_wrong, "utility": utility}
        curve.append(row)
        if best is None or utility > best["utility"]:
            best = row
    return {**best, "curve": curve}


def evaluate_heldout(model: Path, heldout: Path) -> dict:
    from rasa.shared.nlu.training_data.loading import load_data

    from nlu_components.normalise import has_diacritics

    from nlu_components.normalise import fold

    trained = {" ".join(fold(e.get("text")).lower().split()) for e in load_data("data/nlu").intent_examples}
    examples, overlap = [], 0
    for example in load_data(str(heldout)).intent_examples:
        # "never trained on": a held-out sentence that also stands in the training data
        # (short replies such as "ok" are bound to) is not scored.
        if " ".join(fold(example.get("text")).lower().split()) in trained:
            overlap += 1
        else:
            examples.append(example)
    texts = [e.get("text") for e in examples]
    parses = predict(model, texts)
    gold = [e.get("intent") for e in examples]
    # The intent the classifier chose (a fallback hides it; score the underlying ranking).
    predicted = [
        next((r["name"] for r in p.get("intent_ranking", []) if r["name"] != "nlu_fallback"), p["intent"]["name"])
        for p in parses
    ]
    confidence = [
        next((r["confidence"] for r in p.get("intent_ranking", []) if r["name"] != "nlu_fallback"), 0.0)
        for p in parses
    ]
    plain = [i for i, t in enumerate(texts) if not has_diacritics(t)]
    accented = [i for i, t in enumerate(texts) if has_diacritics(t)]
    counts: dict[str, Counter] = defaultdict(Counter)
    entity_errors = []
    for example, parse in zip(examples, parses):
        want = {(e["entity"], e["start"], e["end"]) for e in example.get("entities") or []}
        got = {(e["entity"], e["start"], e["end"]) for e in parse.get("entities", [])}
        for entity, *_ in want & got:
            counts[entity]["tp"] += 1
        for entity, *_ in got - want:
            counts[entity]["fp"] += 1
        for entity, *_ in want - got:
            counts[entity]["fn"] += 1
        if want != got:
            entity_errors.append({"text": example.get("text"), "missed": sorted(want - got), "extra": sorted(got - want)})
    entities = {name: round(f1(c["tp"], c["fp"], c["fn"]), 4) for name, c in sorted(counts.items())}
    total = Counter()
    for c in counts.values():
        total.update(c)
    errors = [
        {"text": t, "intent": g, "predicted": p, "confidence": round(c, 3)}
        for t, g, p, c in zip(texts, gold, predicted, confidence) if g != p
    ]
    return {
        "excluded_as_in_training": overlap,
        "overall": score(gold, predicted),
        "without_diacritics": score([gold[i] for i in plain], [predicted[i] for i in plain]),
        "with_diacritics": score([gold[i] for i in accented], [predicted[i] for i in accented]),
        "entity_f1": entities,
        "entity_f1_micro": round(f1(total["tp"], total["fp"], total["fn"]), 4),
        "confusions": Counter(f"{e['intent']} -> {e['predicted']}" for e in errors).most_common(15),
        "fallback": choose_threshold([(g == p, c) for g, p, c in zip(gold, predicted, confidence)]),
        "errors": errors,
        "entity_errors": entity_errors[:40],
    }


def cross_validate(config: Path, folds: int, out: Path) -> dict:
    result = subprocess.run(
        [str(BIN / "rasa"), "test", "nlu", "--nlu", "data/nlu", "--config", str(config), "--cross-validation",
         "--folds", str(folds), "--out", str(out)],
        cwd=ROOT, capture_output=True, text=True, env={**os.environ, **QUIET_ENV},
    )
    log = result.stdout + result.stderr
    found = {}
    for metric in ("Accuracy", "F1-score"):
        match = re.search(rf"Intent evaluation results.*?test {metric}: ([0-9.]+) \(([0-9.]+)\)", log, re.S)
        if match:
            found[f"intent_{metric.lower()}"] = {"mean": float(match.group(1)), "std": float(match.group(2))}
    return found or {"error": "could not read the cross-validation summary", "tail": log[-2000:]}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--config", type=Path, default=ROOT / "config.yml")
    parser.add_argument("--heldout", type=Path, default=ROOT / "tests" / "nlu" / "heldout.yml")
    parser.add_argument("--folds", type=int, default=5, help="0 skips cross-validation")
    args = parser.parse_args()
    report: dict = {"config": str(args.config.relative_to(ROOT) if args.config.is_relative_to(ROOT) else args.config)}
    with tempfile.TemporaryDirectory() as tmp:
        model, seconds = train(args.config, Path(tmp))
        report["nlu_train_seconds"] = round(seconds, 1)
        report["heldout"] = evaluate_heldout(model, args.heldout)
        if args.folds:
            report["cross_validation"] = cross_validate(args.config, args.folds, Path(tmp) / "cv")
    out = ROOT / "results" / "eval" / f"{args.config.stem}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, indent=2, ensure_ascii=False))
    print_summary(report)
    print(f"\nDetails (every error): {out.relative_to(ROOT)}")
    return 0


def print_summary(report: dict) -> None:
    held = report["heldout"]
    print(f"Config: {report['config']} — NLU training {report['nlu_train_seconds']} s; "
          f"held-out sentences also in the training data, not scored: {held['excluded_as_in_training']}")
    print("| held-out set | n | intent accuracy | macro F1 |\n|---|---|---|---|")
    for part in ("overall", "without_diacritics", "with_diacritics"):
        row = held[part]
        print(f"| {part.replace('_', ' ')} | {row['n']} | {row.get('accuracy', '-')} | {row.get('macro_f1', '-')} |")
    print("\n| entity | F1 |\n|---|---|")
    for name, value in held["entity_f1"].items():
        print(f"| {name} | {value} |")
    print(f"| all (micro) | {held['entity_f1_micro']} |")
    print("\nConfusions left (gold -> predicted, count):")
    for pair, count in held["confusions"]:
        print(f"  {pair}: {count}")
    fb = held["fallback"]
    print(f"\nFallback threshold chosen: {fb['threshold']} (answered right {fb['answered_right']}, "
          f"answered wrong {fb['answered_wrong']}, fallback {fb['fallback']})")
    print("  threshold: right / wrong / fallback — " + ", ".join(
        f"{row['threshold']}: {row['answered_right']}/{row['answered_wrong']}/{row['fallback']}"
        for row in fb["curve"] if row["threshold"] in (0.3, 0.4, 0.5, 0.6, 0.7)))
    if "cross_validation" in report:
        print(f"Cross-validation: {json.dumps(report['cross_validation'])}")


if __name__ == "__main__":
    sys.exit(main())
