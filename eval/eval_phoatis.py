"""Intent accuracy of this project's NLU pipeline on PhoATIS, a public Vietnamese intent set, with and without
diacritics.

    python -m eval.eval_phoatis --export-from-mirror /work/.mirror/VinAIResearch+JointIDSF/repo --to /tmp/phoatis
    python -m eval.eval_phoatis --data /tmp/phoatis        # or: PHOATIS_DIR=/tmp/phoatis python -m eval.eval_phoatis

Why: our held-out set (eval/eval_nlu.py) is small and written by us. PhoATIS (github.com/VinAIResearch/JointIDSF,
syllable level: 4.478 training sentences, 4.275 distinct, and 893 test sentences about flights) is written by others
and has published results, so it shows whether the pipeline's choices (one spelling per word, accent-free training
copies, a TF-IDF linear SVM) hold beyond our own data. Its terms forbid redistributing it: it is read at run time
from a copy outside the repository (`--export-from-mirror` writes one) and never stored here.

The pipeline is config.yml's from the tokenizer up to and including the intent classifier, with config.yml's
options; the components after it concern this project's own intents. It is trained on the train split only (nothing
is tuned, so the dev split has no use) and run in this process, component by component, as the default recipe's
train and predict graphs run it: the training data stays in memory, no YAML and no model archive are written.
A multi-intent ("airfare#flight") is one label, as in the original evaluation, where a test intent never seen in
training is an error, as it is here.
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

if TYPE_CHECKING:
    from rasa.engine.recipes.default_recipe import DefaultV1Recipe

ROOT = Path(__file__).resolve().parents[1]
# Rasa's telemetry off and TensorFlow's start-up chatter down, as ops.stack.QUIET_ENV sets them for `make eval`
# (eval.eval_nlu's helpers are not imported: they bring in the process supervisor and its HTTP stack).
QUIET_ENV = {"RASA_TELEMETRY_ENABLED": "false", "SQLALCHEMY_SILENCE_UBER_WARNING": "1", "TF_CPP_MIN_LOG_LEVEL": "2"}
SPLITS = ("train", "test")
FILES = ("seq.in", "label")
MIRROR_FOLDER = "PhoATIS/syllable-level"


def export(git_dir: Path, to: Path, revision: str = "HEAD") -> str:
    """Write the syllable-level train and test files of a JointIDSF git mirror into `to`; returns the commit read.

    `to` must lie outside the repository: the dataset may not be redistributed, so it must never be committed."""
    to = to.resolve()
    if to == ROOT or ROOT in to.parents:
        raise SystemExit(f"{to} is inside the repository: PhoATIS must stay outside it.")
    git = ["git", "--git-dir", str(git_dir)]
    commit = subprocess.run([*git, "rev-parse", f"{revision}^{{commit}}"], check=True, capture_output=True,
                            text=True).stdout.strip()
    for split in SPLITS:
        (to / split).mkdir(parents=True, exist_ok=True)
        for name in FILES:
            blob = subprocess.run([*git, "show", f"{commit}:{MIRROR_FOLDER}/{split}/{name}"], check=True,
                                  capture_output=True).stdout
            (to / split / name).write_bytes(blob)
    return commit


def read_split(data: Path, split: str) -> tuple[list[str], list[str]]:
    """Sentences and their intents, line by line (`seq.in` and `label` are parallel files)."""
    texts = (data / split / "seq.in").read_text(encoding="utf-8").splitlines()
    labels = (data / split / "label").read_text(encoding="utf-8").splitlines()
    if len(texts) != len(labels):
        raise SystemExit(f"{data / split}: {len(texts)} sentences but {len(labels)} labels.")
    pairs = [(text.strip(), label.strip()) for text, label in zip(texts, labels, strict=True) if text.strip()]
    return [text for text, _ in pairs], [label for _, label in pairs]


def pipeline_config() -> list[tuple[dict[str, Any], DefaultV1Recipe.RegisteredComponent]]:
    """config.yml's components up to and including the first intent classifier, each with its options and its
    registered class (resolved as the default recipe resolves a name), so that a change there is measured here."""
    from rasa.engine.recipes.default_recipe import DefaultV1Recipe

    pipeline: list[dict[str, Any]] = yaml.safe_load((ROOT / "config.yml").read_text(encoding="utf-8"))["pipeline"]
    components = []
    for entry in pipeline:
        registered = DefaultV1Recipe._from_registry(entry["name"])
        components.append((entry, registered))
        if DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER in registered.types:
            return components
    raise SystemExit("config.yml has no intent classifier.")


@dataclass
class TrainedPipeline:
    names: list[str]
    components: list[Any]  # each has Rasa's `process(messages)`
    distinct_examples: int  # Rasa's TrainingData drops repeated (sentence, intent) pairs
    training_examples: int  # those and the tokenizer's accent-free copies
    seconds: float

    def intents(self, texts: list[str]) -> list[str]:
        """The classifier's intent for each text, as Rasa's predict graph finds it (no fallback in this pipeline)."""
        from rasa.shared.nlu.constants import INTENT, TEXT
        from rasa.shared.nlu.training_data.message import Message

        messages = [Message(data={TEXT: text}) for text in texts]
        for component in self.components:
            messages = component.process(messages)
        # The first component (nlu_components/several_requests.RequestParts) appends the parts a message may divide
        # into after the messages themselves; the classifier's intent of each whole message is the measure.
        return [message.get(INTENT)["name"] for message in messages[:len(texts)]]


def train(texts: list[str], labels: list[str], storage_dir: Path) -> TrainedPipeline:
    """Train the pipeline as the default recipe's graph does (rasa/engine/recipes/default_recipe.py): each component
    created from its defaults and its config.yml options, trained if trainable, loaded back from the model storage,
    and, for tokenizers and featurizers, run on the training data the next component learns from."""
    from rasa.engine.graph import ExecutionContext, GraphSchema
    from rasa.engine.recipes.default_recipe import DefaultV1Recipe
    from rasa.engine.storage.local_model_storage import LocalModelStorage
    from rasa.engine.storage.resource import Resource
    from rasa.shared.nlu.constants import INTENT, TEXT
    from rasa.shared.nlu.training_data.message import Message
    from rasa.shared.nlu.training_data.training_data import TrainingData

    preprocessors = {DefaultV1Recipe.ComponentType.MESSAGE_TOKENIZER, DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER}
    started = time.perf_counter()
    data = TrainingData(training_examples=[Message(data={TEXT: text, INTENT: label})
                                           for text, label in zip(texts, labels, strict=True)])
    distinct = len(data.intent_examples)
    storage = LocalModelStorage(storage_dir)
    context = ExecutionContext(GraphSchema({}), "eval_phoatis")
    components = []
    pipeline = pipeline_config()
    for index, (entry, registered) in enumerate(pipeline):
        options = {key: value for key, value in entry.items() if key != "name"}
        config = {**registered.clazz.get_default_config(), **options}
        resource = Resource(f"train_{entry['name']}{index}")
        component: Any = registered.clazz.create(config, storage, resource, context)
        if registered.is_trainable:
            component.train(data)
            component = registered.clazz.load(config, storage, resource, context)
        if registered.types & preprocessors:
            data = component.process_training_data(data)
        components.append(component)
    seconds = time.perf_counter() - started
    names = [entry.get("alias") or entry["name"].rsplit(".", 1)[-1] for entry, _ in pipeline]
    return TrainedPipeline(names, components, distinct, len(data.intent_examples), seconds)


def percent(right: int, total: int) -> str:
    return f"{100 * right / total:.2f} %"


def evaluate(data: Path) -> str:
    """Train on the train split, classify the test split as written and with its diacritics removed, and
    return the Markdown report."""
    from sklearn.metrics import f1_score

    from nlu_components.normalise import fold

    train_texts, train_labels = read_split(data, "train")
    test_texts, test_labels = read_split(data, "test")
    with tempfile.TemporaryDirectory(prefix="eval_phoatis_") as tmp:
        pipeline = train(train_texts, train_labels, Path(tmp))
        rows = []
        for name, texts in (("with diacritics", test_texts),
                            ("diacritics removed (`fold`)", [fold(text) for text in test_texts])):
            started = time.perf_counter()
            predicted = pipeline.intents(texts)
            seconds = time.perf_counter() - started
            right = sum(gold == guess for gold, guess in zip(test_labels, predicted, strict=True))
            macro_f1 = f1_score(test_labels, predicted, average="macro", zero_division=0)
            rows.append(f"| test, {name} | {len(texts)} | {percent(right, len(texts))} | {macro_f1:.4f} "
                        f"| {seconds:.1f} |")
    copies = pipeline.training_examples - pipeline.distinct_examples
    known = set(train_labels)
    unseen = Counter(label for label in test_labels if label not in known)
    lines = [
        f"PhoATIS syllable level, intents; config.yml's pipeline: {' → '.join(pipeline.names)}",
        "",
        "| set | sentences | intent accuracy | macro F1 | seconds |",
        "|---|---|---|---|---|",
        f"| train (training time) | {len(train_texts)} ({pipeline.distinct_examples} distinct, +{copies} accent-free "
        f"copies) | | | {pipeline.seconds:.1f} |",
        *rows,
        "",
        f"Test sentences whose intent is not in the train split (always wrong): {sum(unseen.values())} "
        f"({', '.join(f'{label} {count}' for label, count in unseen.most_common())}). Test sentences also in the "
        f"train split (scored, as in the original evaluation): {len(set(test_texts) & set(train_texts))}.",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=os.environ.get("PHOATIS_DIR"), metavar="DIR",
                        help="holds train/seq.in, train/label, test/seq.in, test/label (default: $PHOATIS_DIR)")
    parser.add_argument("--export-from-mirror", type=Path, metavar="GITDIR",
                        help="git directory of a VinAIResearch/JointIDSF mirror: write its data to --to and stop")
    parser.add_argument("--to", type=Path, metavar="DIR", help="where --export-from-mirror writes (outside the repo)")
    args = parser.parse_args(argv)
    if args.export_from_mirror is not None:
        if args.to is None:
            parser.error("--export-from-mirror needs --to DIR")
        commit = export(args.export_from_mirror, args.to)
        print(f"{MIRROR_FOLDER} train and test of JointIDSF commit {commit} written to {args.to.resolve()}")
        return 0
    if args.data is None:
        parser.error("give --data DIR or set PHOATIS_DIR")
    for key, value in QUIET_ENV.items():
        os.environ.setdefault(key, value)  # before Rasa is imported
    print(evaluate(args.data))
    return 0


if __name__ == "__main__":
    sys.exit(main())
