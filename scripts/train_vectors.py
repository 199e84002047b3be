"""Learn word vectors from People's Daily text with gensim (Word2Vec), as retrieval/data/domain.*.

    .venv/bin/python scripts/train_vectors.py [--corpus ../shared/corpus/bulk ../shared/corpus/transcripts]

The text is cut by qabot's own segmenter (no sub-words), one paragraph a sentence; a throwaway venv
with gensim pinned trains skip-gram Word2Vec on it (fixed seed, one worker: reproducible), and only
words of jieba's dictionary are kept, with their part of speech, so that names are known as names.
Written like the cnsyn vectors (scripts/convert_cnsyn.py): int8 unit rows x 127 and a word list.
"""
from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
DATA = ROOT / "retrieval" / "data"
SHARED = ROOT.parent / "shared" / "corpus"
PINS = ["gensim==4.4.0"]
SETTINGS = dict(vector_size=100, window=5, min_count=5, sg=1, negative=10, epochs=5, seed=1, workers=1)
NOTICE = """Word vectors in domain.npy and domain.words.txt

Learned by scripts/train_vectors.py (gensim {version} Word2Vec, {settings}) from People's Daily text:
{sources}: {sentences:,} paragraphs, {tokens:,} words cut by qabot's segmenter. {kept:,} words of
jieba's dictionary kept; rows scaled to unit length and stored as int8 (x 127).
"""


def segment(corpus: list[Path], out: Path) -> tuple[int, int]:
    """One line of space-separated words per paragraph of every .txt file under the folders."""
    from retrieval.segment import SegmentOptions

    segmenter = SegmentOptions(subwords=False).segmenter()
    sentences = tokens = 0
    with out.open("w", encoding="utf-8") as sink:
        for folder in corpus:
            for file in sorted(folder.rglob("*.txt")):
                if file.name.upper().startswith("README"):
                    continue
                for line in file.read_text(encoding="utf-8", errors="replace").splitlines():
                    words = segmenter.terms(line)
                    if len(words) > 2:
                        sink.write(" ".join(words) + "\n")
                        sentences += 1
                        tokens += len(words)
    return sentences, tokens


def outer(args: argparse.Namespace) -> int:
    from retrieval.lexicon import dictionary_file

    corpus = [Path(c) for c in args.corpus]
    with tempfile.TemporaryDirectory(prefix="w2v-") as tmp:
        text = Path(tmp) / "sentences.txt"
        sentences, tokens = segment(corpus, text)
        print(f"{sentences:,} paragraphs, {tokens:,} words", flush=True)
        venv = Path(tmp) / "venv"
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        python = venv / "bin" / "python"
        subprocess.run([str(python), "-m", "pip", "install", "--quiet", *PINS], check=True)
        dictionary = dictionary_file()
        sources = ", ".join(f"{c.name}/" for c in corpus)
        return subprocess.run([str(python), __file__, "--inner", "--text", str(text), "--dictionary", str(dictionary),
                               "--out", str(args.out), "--stats", f"{sentences},{tokens},{sources}"]).returncode


def inner(args: argparse.Namespace) -> int:
    import gensim
    import numpy as np
    from gensim.models import Word2Vec
    from gensim.models.word2vec import LineSentence

    model = Word2Vec(LineSentence(args.text), **SETTINGS)
    tags = {}
    for line in Path(args.dictionary).read_text(encoding="utf-8").splitlines():
        fields = line.split()
        if len(fields) >= 2:
            tags[fields[0]] = fields[2] if len(fields) > 2 else "x"
    words = sorted(w for w in model.wv.index_to_key if w in tags and len(w) > 1)
    matrix = np.stack([model.wv[w] for w in words]).astype(np.float32)
    matrix /= np.maximum(np.linalg.norm(matrix, axis=1, keepdims=True), 1e-9)
    out = Path(args.out)
    np.save(out / "domain.npy", np.round(matrix * 127).astype(np.int8))
    (out / "domain.words.txt").write_text("".join(f"{w}\t{tags[w]}\n" for w in words), encoding="utf-8")
    sentences, tokens, sources = args.stats.split(",", 2)
    settings = ", ".join(f"{k}={v}" for k, v in SETTINGS.items())
    (out / "domain.LICENSE.txt").write_text(NOTICE.format(
        version=gensim.__version__, settings=settings, sources=sources, sentences=int(sentences),
        tokens=int(tokens), kept=len(words)), encoding="utf-8")
    print(f"{len(model.wv.index_to_key):,} words learned, {len(words):,} kept in {out}")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", nargs="+", default=[str(SHARED / "bulk"), str(SHARED / "transcripts")])
    parser.add_argument("--out", default=str(DATA))
    parser.add_argument("--inner", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--text", help=argparse.SUPPRESS)
    parser.add_argument("--dictionary", help=argparse.SUPPRESS)
    parser.add_argument("--stats", help=argparse.SUPPRESS)
    args = parser.parse_args()
    return inner(args) if args.inner else outer(args)


if __name__ == "__main__":
    sys.exit(main())
