"""`make eval`: how well the assistant understands Vietnamese as customers type it.

    python -m eval.eval_nlu [--variant shipped] [--folds 5]

Trains the NLU pipeline of config.yml (or a variant of it) on data/nlu and scores:
- the held-out test set tests/nlu/heldout.yml (written apart, never trained or
  tuned on): intent accuracy and macro F1 overall, without and with diacritics,
  entity F1 per entity (type and span must match), the confusion pairs left;
- the development sets tests/nlu/dev.yml and dev2.yml (intents only, written apart on
  07/12; their errors guided the training data, so they are reported, not trusted);
- k-fold cross-validation on the training data (folds keep an example and its
  accent-free copy together). Its out-of-fold predictions choose the fallback
  threshold: a wrong answer costs what a right one gains, "em chưa hiểu" costs
  nothing. The held-out curve is shown beside it, not used to choose.
Writes results/eval/<variant>.json with every error.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from pathlib import Path

import yaml

from ops.stack import QUIET_ENV

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
TEST_SET = ROOT / "tests" / "nlu" / "heldout.yml"
DEV_SET = ROOT / "tests" / "nlu" / "dev.yml"
DEV2_SET = ROOT / "tests" / "nlu" / "dev2.yml"
THRESHOLDS = [step / 100 for step in range(0, 95, 5)]

TOKENIZER = "nlu_components.vietnamese_tokenizer.VietnameseTokenizer"
CLASSIFIER = "nlu_components.tfidf_intent_classifier.TfidfIntentClassifier"


def _replace(pipeline: list[dict], name: str, *new: dict) -> list[dict]:
    index = next(i for i, component in enumerate(pipeline) if component["name"] == name)
    return pipeline[:index] + list(new) + pipeline[index + 1:]


def _previous_classifier(pipeline: list[dict]) -> list[dict]:
    """What shipped before: word unigram counts straight into Rasa's logistic regression."""
    words = next(c for c in pipeline if c.get("alias") == "words")
    pipeline = [({**c, "max_ngram": 1} if c is words else c) for c in pipeline]
    return _replace(pipeline, CLASSIFIER, {"name": "LogisticRegressionClassifier", "max_iter": 1000, "random_state": 7})


# The shipped pipeline and what it is measured against (`make eval-compare`).
VARIANTS: dict[str, Callable[[list[dict]], list[dict]]] = {
    "shipped": lambda pipeline: pipeline,
    "without_normaliser": lambda pipeline: _replace(pipeline, TOKENIZER, {"name": "WhitespaceTokenizer"}),
    "pyvi_segmenter": lambda pipeline: _replace(
        pipeline, TOKENIZER, {"name": "nlu_components.pyvi_tokenizer.PyviTokenizer"}
    ),
    "logistic_regression": _previous_classifier,
}


def variant_config(variant: str, out: Path) -> Path:
    config = yaml.safe_load((ROOT / "config.yml").read_text())
    config["pipeline"] = VARIANTS[variant](config["pipeline"])
    path = out / f"{variant}.yml"
    path.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False))
    return path


def train(config: Path, nlu: Path, out: Path) -> tuple[Path, float]:
    started = time.perf_counter()
    subprocess.run(
        [str(BIN / "rasa"), "train", "nlu", "--config", str(config), "--nlu", str(nlu), "--out", str(out),
         "--fixed-model-name", "nlu"],
        cwd=ROOT, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        env={**os.environ, **QUIET_ENV, "RASA_CACHE_DIRECTORY": str(out / "cache"), "PYTHONHASHSEED": "0"},
    )
    return out / "nlu.tar.gz", time.perf_counter() - started


def predict(model: Path, texts: list[str]) -> list[dict]:
    import logging

    from rasa.core.agent import Agent
    from rasa.utils.log_utils import configure_structlog

    configure_structlog(logging.WARNING)  # one debug line per parsed sentence otherwise
    agent = Agent.load(str(model))

    async def run() -> list[dict]:
        return [await agent.parse_message(text) for text in texts]

    return asyncio.run(run())


def key(text: str) -> str:
    from nlu_components.normalise import fold

    return " ".join(fold(text).lower().split())


def top_intent(parse: dict) -> tuple[str, float]:
    """The classifier's choice and confidence (a fallback would hide it)."""
    for ranked in parse.get("intent_ranking", []):
        if ranked["name"] != "nlu_fallback":
            return ranked["name"], ranked["confidence"]
    return parse["intent"]["name"], 0.0


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


def fallback_curve(results: list[tuple[bool, float]]) -> list[dict]:
    curve = []
    for threshold in THRESHOLDS:
        right = sum(1 for ok, confidence in results if ok and confidence >= threshold)
        wrong = sum(1 for ok, confidence in results if not ok and confidence >= threshold)
        curve.append({"threshold": threshold, "answered_right": right, "answered_wrong": wrong,
                      "fallback": len(results) - right - wrong, "utility": right - wrong})
    return curve


def best_threshold(curve: list[dict]) -> dict:
    return max(curve, key=lambda row: (row["utility"], -row["threshold"]))


def evaluate_set(model: Path, path: Path, trained: set[str]) -> dict:
    from rasa.shared.nlu.training_data.loading import load_data

    from nlu_components.normalise import has_diacritics

    examples, overlap = [], 0
    for example in load_data(str(path)).intent_examples:
        if key(example.get("text")) in trained:
            overlap += 1  # a sentence also in the training data is not scored
        else:
            examples.append(example)
    texts = [e.get("text") for e in examples]
    parses = predict(model, texts)
    gold = [e.get("intent") for e in examples]
    predicted, confidence = zip(*(top_intent(p) for p in parses), strict=True) if parses else ((), ())
    plain = [i for i, t in enumerate(texts) if not has_diacritics(t)]
    accented = [i for i, t in enumerate(texts) if has_diacritics(t)]
    counts: dict[str, Counter] = defaultdict(Counter)
    entity_errors = []
    for example, parse in zip(examples, parses, strict=True):
        want = {(e["entity"], e["start"], e["end"]) for e in example.get("entities") or []}
        got = {(e["entity"], e["start"], e["end"]) for e in parse.get("entities", [])}
        for entity, *_ in want & got:
            counts[entity]["tp"] += 1
        for entity, *_ in got - want:
            counts[entity]["fp"] += 1
        for entity, *_ in want - got:
            counts[entity]["fn"] += 1
        if want != got:
            entity_errors.append(
                {"text": example.get("text"), "missed": sorted(want - got), "extra": sorted(got - want)}
            )
    total: Counter = Counter()
    for c in counts.values():
        total.update(c)
    errors = [{"text": t, "intent": g, "predicted": p, "confidence": round(c, 3)}
              for t, g, p, c in zip(texts, gold, predicted, confidence, strict=True) if g != p]
    return {
        "excluded_as_in_training": overlap,
        "overall": score(gold, list(predicted)),
        "without_diacritics": score([gold[i] for i in plain], [predicted[i] for i in plain]),
        "with_diacritics": score([gold[i] for i in accented], [predicted[i] for i in accented]),
        "entity_f1": {name: round(f1(c["tp"], c["fp"], c["fn"]), 4) for name, c in sorted(counts.items())},
        "entity_f1_micro": round(f1(total["tp"], total["fp"], total["fn"]), 4),
        "confusions": Counter(f"{e['intent']} -> {e['predicted']}" for e in errors).most_common(15),
        "fallback_curve": fallback_curve([(g == p, c) for g, p, c in zip(gold, predicted, confidence, strict=True)]),
        "errors": errors,
        "entity_errors": entity_errors[:40],
    }


def cross_validate(config: Path, folds: int, out: Path, seed: int = 7) -> dict:
    """Grouped k-fold over the training examples; returns per-fold scores and out-of-fold confidences."""
    import statistics

    from rasa.shared.nlu.training_data.loading import load_data
    from rasa.shared.nlu.training_data.training_data import TrainingData

    data = load_data(str(ROOT / "data" / "nlu"))
    groups = sorted({key(e.get("text")) for e in data.intent_examples})
    random.Random(seed).shuffle(groups)
    fold_of = {group: i % folds for i, group in enumerate(groups)}
    accuracies, macro_f1s, outcomes, errors = [], [], [], []
    for fold in range(folds):
        train_part = [e for e in data.intent_examples if fold_of[key(e.get("text"))] != fold]
        test_part = [e for e in data.intent_examples if fold_of[key(e.get("text"))] == fold]
        fold_dir = out / f"fold{fold}"
        (fold_dir / "nlu").mkdir(parents=True)
        subset = TrainingData(training_examples=train_part, entity_synonyms=data.entity_synonyms,
                              regex_features=data.regex_features, lookup_tables=data.lookup_tables)
        (fold_dir / "nlu" / "train.yml").write_text(subset.nlu_as_yaml())
        model, _ = train(config, fold_dir / "nlu", fold_dir)
        parses = predict(model, [e.get("text") for e in test_part])
        gold = [e.get("intent") for e in test_part]
        predicted, confidence = zip(*(top_intent(p) for p in parses), strict=True)
        row = score(gold, list(predicted))
        accuracies.append(row["accuracy"])
        macro_f1s.append(row["macro_f1"])
        outcomes += [(g == p, c) for g, p, c in zip(gold, predicted, confidence, strict=True)]
        errors += [f"{g} -> {p}" for g, p in zip(gold, predicted, strict=True) if g != p]
    curve = fallback_curve(outcomes)
    return {
        "folds": folds,
        "intent_accuracy": {"mean": round(statistics.mean(accuracies), 4),
                            "std": round(statistics.pstdev(accuracies), 4)},
        "intent_macro_f1": {"mean": round(statistics.mean(macro_f1s), 4),
                            "std": round(statistics.pstdev(macro_f1s), 4)},
        "confusions": Counter(errors).most_common(10),
        "fallback_curve": curve,
        "fallback_threshold": best_threshold(curve),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--variant", choices=sorted(VARIANTS), default="shipped")
    parser.add_argument("--folds", type=int, default=5, help="0 skips cross-validation")
    args = parser.parse_args()
    from rasa.shared.nlu.training_data.loading import load_data

    data = load_data(str(ROOT / "data" / "nlu"))
    trained = {key(e.get("text")) for e in data.intent_examples}
    report: dict = {"variant": args.variant, "training_examples": len(data.intent_examples)}
    with tempfile.TemporaryDirectory() as tmp:
        config = variant_config(args.variant, Path(tmp))
        model, seconds = train(config, ROOT / "data" / "nlu", Path(tmp))
        report["nlu_train_seconds"] = round(seconds, 1)
        report["heldout"] = evaluate_set(model, TEST_SET, trained)
        report["dev"] = evaluate_set(model, DEV_SET, trained)
        report["dev2"] = evaluate_set(model, DEV2_SET, trained)
        if args.folds:
            report["cross_validation"] = cross_validate(config, args.folds, Path(tmp) / "cv")
    out = ROOT / "results" / "eval" / f"{args.variant}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, indent=2, ensure_ascii=False))
    print_summary(report)
    print(f"\nDetails (every error): {out.relative_to(ROOT)}")
    return 0


def _curve_line(curve: list[dict]) -> str:
    return ", ".join(f"{row['threshold']}: {row['answered_right']}/{row['answered_wrong']}/{row['fallback']}"
                     for row in curve if row["threshold"] in (0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8))


def print_summary(report: dict) -> None:
    held, dev = report["heldout"], report["dev"]
    print(f"Variant: {report['variant']} — {report['training_examples']} training examples, "
          f"NLU training {report['nlu_train_seconds']} s")
    print("| set | n | intent accuracy | macro F1 |\n|---|---|---|---|")
    for part in ("overall", "without_diacritics", "with_diacritics"):
        row = held[part]
        print(f"| held-out, {part.replace('_', ' ')} | {row['n']} | "
              f"{row.get('accuracy', '-')} | {row.get('macro_f1', '-')} |")
    for name, scored in (("development set", dev), ("development set 2", report["dev2"])):
        for part in ("overall", "without_diacritics"):
            row = scored[part]
            print(f"| {name}, {part.replace('_', ' ')} | {row['n']} | "
                  f"{row.get('accuracy', '-')} | {row.get('macro_f1', '-')} |")
    if "cross_validation" in report:
        cv = report["cross_validation"]
        print(f"| {cv['folds']}-fold cross-validation (training data) | {report['training_examples']} | "
              f"{cv['intent_accuracy']['mean']} ± {cv['intent_accuracy']['std']} | "
              f"{cv['intent_macro_f1']['mean']} ± {cv['intent_macro_f1']['std']} |")
    print(f"(held-out sentences also in the training data, not scored: {held['excluded_as_in_training']}; "
          f"development sets: {dev['excluded_as_in_training']}, {report['dev2']['excluded_as_in_training']})")
    print("\n| entity (held-out) | F1 |\n|---|---|")
    for name, value in held["entity_f1"].items():
        print(f"| {name} | {value} |")
    print(f"| all (micro) | {held['entity_f1_micro']} |")
    print("\nConfusions left on the held-out set (gold -> predicted, count):")
    for pair, count in held["confusions"]:
        print(f"  {pair}: {count}")
    if "cross_validation" in report:
        cv = report["cross_validation"]
        chosen = cv["fallback_threshold"]
        print(f"\nFallback threshold chosen on the out-of-fold predictions: {chosen['threshold']} "
              f"(right {chosen['answered_right']}, wrong {chosen['answered_wrong']}, fallback {chosen['fallback']})")
        print("  cross-validation, threshold: right/wrong/fallback — " + _curve_line(cv["fallback_curve"]))
    print("  held-out, threshold: right/wrong/fallback — " + _curve_line(held["fallback_curve"]))


if __name__ == "__main__":
    sys.exit(main())
