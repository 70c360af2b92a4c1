"""Several requests in one message: splitting the message against multi-intent labels, measured.

    python -m eval.eval_several_requests

Scores tests/nlu/several_requests.yml (messages of one, two or three requests, written apart, each labelled with
its requests in the order asked) two ways, each trained on data/nlu:
- split: the shipped pipeline (config.yml): the message is cut where it may divide, every part classified, the
  parts put back together as requests (nlu_components/several_requests.py);
- multi-intent labels: Rasa's other way, one label per combination ("ask_bill+request_payment_link"), learnt from
  examples made by joining two training examples of two requests with a joining word, for every ordered pair of the
  requests a message may ask together; the splitting components are left out.
A message counts as right when its requests come out exactly, in order; a message of one request that comes out as
several is a false split. The split is also scored at other thresholds of how surely a part must be classified to
be a request of its own (request_clauses.SURE), the trained model unchanged. `--split-only` skips the multi-intent
model (two minutes more). Writes results/eval/several_requests.json with every miss.
"""
from __future__ import annotations

import argparse
import json
import random
import tempfile
from pathlib import Path

import yaml

from eval.eval_nlu import ROOT, predict, train
from evn.domain.language import request_clauses
from evn.domain.language.request_clauses import TOGETHER

SET = ROOT / "tests" / "nlu" / "several_requests.yml"
SPLITTING = ("nlu_components.several_requests.RequestParts", "nlu_components.several_requests.SeveralRequests")
JOINERS = (" rồi ", ", ", " xong ", " với ", ". ", " và ", " luôn, ", " tiện thể ", " sau đó ", " ")
PER_PAIR = 12  # joined examples per ordered pair of requests
SURE_SWEEP = (0.6, 0.7, 0.8, 0.9)


def requests_of(parse: dict) -> list[str]:
    found = parse.get("requests")
    if found:
        return [str(request["intent"]["name"]) for request in found]
    return [name for name in str(parse["intent"]["name"]).split("+") if name]


def score(messages: list[dict], predicted: list[list[str]]) -> dict:
    several = [(m, p) for m, p in zip(messages, predicted, strict=True) if len(m["requests"]) > 1]
    single = [(m, p) for m, p in zip(messages, predicted, strict=True) if len(m["requests"]) == 1]
    asked = sum(len(m["requests"]) for m, _ in several)
    served = sum(len(set(m["requests"]) & set(p)) for m, p in several)
    return {
        "several_exact": f"{sum(m['requests'] == p for m, p in several)}/{len(several)}",
        "several_requests_found": f"{served}/{asked}",
        "single_exact": f"{sum(m['requests'] == p for m, p in single)}/{len(single)}",
        "single_false_split": f"{sum(len(p) > 1 for _, p in single)}/{len(single)}",
        "misses": [{"text": m["text"], "expected": m["requests"], "got": p}
                   for m, p in zip(messages, predicted, strict=True) if m["requests"] != p],
    }


def multi_intent_data(out: Path, seed: int = 7) -> Path:
    """data/nlu plus joined examples labelled with both requests, as one Rasa NLU file."""
    from rasa.shared.nlu.training_data.loading import load_data
    from rasa.shared.nlu.training_data.message import Message
    from rasa.shared.nlu.training_data.training_data import TrainingData

    data = load_data(str(ROOT / "data" / "nlu"))
    by_intent: dict[str, list[str]] = {}
    for example in data.intent_examples:
        by_intent.setdefault(example.get("intent"), []).append(example.get("text"))
    rng = random.Random(seed)
    joined = []
    for first in sorted(TOGETHER & set(by_intent)):
        for second in sorted(TOGETHER & set(by_intent)):
            if first != second:
                joined += [Message(data={"text": rng.choice(by_intent[first]) + rng.choice(JOINERS)
                                         + rng.choice(by_intent[second]), "intent": f"{first}+{second}"})
                           for _ in range(PER_PAIR)]
    path = out / "nlu_multi.yml"
    path.write_text(data.merge(TrainingData(training_examples=joined)).nlu_as_yaml())
    return path


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--split-only", action="store_true")
    args = parser.parse_args()
    messages = yaml.safe_load(SET.read_text())["messages"]
    texts = [m["text"] for m in messages]
    report: dict = {"messages": len(messages), "sure": request_clauses.SURE}
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        model, seconds = train(ROOT / "config.yml", ROOT / "data" / "nlu", out / "split")
        shipped = request_clauses.SURE
        for sure in SURE_SWEEP:
            request_clauses.SURE = sure
            found = score(messages, [requests_of(p) for p in predict(model, texts)])
            report[f"split_at_{sure}"] = {k: v for k, v in found.items() if k != "misses"}
            if sure == shipped:
                report["split"] = {"train_seconds": round(seconds), **found}
        request_clauses.SURE = shipped
        if args.split_only:
            return _write(report)
        config = yaml.safe_load((ROOT / "config.yml").read_text())
        config["pipeline"] = [c for c in config["pipeline"] if c["name"] not in SPLITTING]
        (out / "multi.yml").write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False))
        model, seconds = train(out / "multi.yml", multi_intent_data(out), out / "multi")
        report["multi_intent_labels"] = {"train_seconds": round(seconds), **score(
            messages, [requests_of(p) for p in predict(model, texts)])}
    return _write(report)


def _write(report: dict) -> int:
    path = ROOT / "results" / "eval" / "several_requests.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(report, indent=2, ensure_ascii=False))
    for way, found in report.items():
        if isinstance(found, dict):
            print(way, {k: v for k, v in found.items() if k != "misses"})
    print(f"Every miss: {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
