"""Convert cnsyn's word vectors into plain arrays that qabot ships (retrieval/data/vectors.*).

    .venv/bin/python scripts/convert_cnsyn.py

cnsyn (PyPI, Apache-2.0) keeps 129,691 Chinese word vectors (75 dimensions, from PaddleNLP's
TokenEmbedding) inside a scikit-learn BallTree pickle that unpickles only under scikit-learn 1.1.x.
So this script makes a throwaway venv with those versions pinned, unpickles the tree there (the only
place anything is unpickled), keeps the words jieba's dictionary knows (qabot's segmenter can produce
no others) and writes:

- retrieval/data/vectors.npy        int8 matrix, one unit-length row per word, scaled by 127
- retrieval/data/vectors.words.txt  the words in row order, one a line, each with its jieba part of
                                    speech (nr… marks a person's name, which expansion leaves out)
- retrieval/data/vectors.LICENSE.txt the source and its licence

Run it again to reproduce the files; the output is deterministic.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from throwaway import run_in_venv

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "retrieval" / "data"
PINS = ["cnsyn==1.2.0", "scikit-learn==1.1.3", "numpy<2", "scipy<1.14", "joblib<1.5"]
NOTICE = """Word vectors in vectors.npy and vectors.words.txt

Source: the PyPI package cnsyn 1.2.0 (ShangFR, https://github.com/shangfr/Chinese-Synonyms),
file cnsyn/query/words_tree_mini.m: 129,691 word vectors of 75 dimensions that cnsyn took from
PaddleNLP's TokenEmbedding (trained on a large encyclopedia corpus). Licensed under the Apache
License, Version 2.0 (text below). Converted by scripts/convert_cnsyn.py: rows scaled to unit length
and stored as int8 (x 127); only the {kept:,} words found in jieba's dictionary are kept, less the
{shared:,} that share one vector (the model's row for words it had not learned).

"""


def outer(args: argparse.Namespace) -> int:
    """Make the throwaway venv and run the conversion inside it."""
    from retrieval.lexicon import dictionary_file

    return run_in_venv("cnsyn-", PINS, __file__, ["--dictionary", str(dictionary_file()), "--out", str(args.out)])


def inner(args: argparse.Namespace) -> int:
    """Inside the venv: unpickle the tree, keep dictionary words, write the arrays."""
    import importlib.util

    import joblib
    import numpy as np

    # cnsyn's own module opens its files with a Windows path at import: read the pickle directly.
    package = Path(importlib.util.find_spec("cnsyn").origin).parent
    tree = joblib.load(package / "query" / "words_tree_mini.m")
    vectors = np.asarray(tree["model"].get_arrays()[0], dtype=np.float32)
    words = list(tree["words"])
    known = {}
    for line in Path(args.dictionary).read_text(encoding="utf-8").splitlines():
        fields = line.split()
        if len(fields) >= 2:
            known[fields[0]] = fields[2] if len(fields) > 2 else "x"
    # One vector is shared by thousands of words (3,267 of jieba's: 4S店, 一年, T恤 ...), the model's row
    # for words it had not learned. It means nothing, and it made each of them the others' nearest
    # neighbour: such words get no vector.
    _, group, sizes = np.unique(vectors, axis=0, return_inverse=True, return_counts=True)
    shared = sizes[group.ravel()] > 1
    keep = sorted({w: i for i, w in enumerate(words)
                   if w in known and len(w) > 1 and w.strip() == w and not shared[i]}.items())
    rows = np.array([i for _, i in keep])
    kept = vectors[rows]
    kept /= np.maximum(np.linalg.norm(kept, axis=1, keepdims=True), 1e-9)
    out = Path(args.out)
    np.save(out / "vectors.npy", np.round(kept * 127).astype(np.int8))
    (out / "vectors.words.txt").write_text("".join(f"{w}\t{known[w]}\n" for w, _ in keep), encoding="utf-8")
    licence = (package.parent / "cnsyn-1.2.0.dist-info" / "LICENSE").read_text(encoding="utf-8")
    (out / "vectors.LICENSE.txt").write_text(NOTICE.format(kept=len(keep), shared=int(shared.sum())) + licence, encoding="utf-8")
    print(f"{len(words):,} vectors read, {len(keep):,} kept ({kept.shape[1]} dimensions) in {out}")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(DATA))
    parser.add_argument("--inner", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--dictionary", help=argparse.SUPPRESS)
    args = parser.parse_args()
    return inner(args) if args.inner else outer(args)


if __name__ == "__main__":
    sys.exit(main())
