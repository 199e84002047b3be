"""Each shipped word's nearest words, so that a question's words need no product over a corpus'
vocabulary (retrieval/data/vectors.near.npy, vectors.twins.npy; read by retrieval/vectors.py).

    .venv/bin/python scripts/vector_neighbours.py [--name vectors]

- NAME.near.npy   uint16, rows x (NEAR_K + 1): row r's NEAR_K rows of highest integer product with it
                  (itself included), their low 16 bits in the first NEAR_K columns and their 17th bits
                  as the last column's bit i for column i; in no particular order (the cosines are
                  recomputed from the rows when read). Ties at the K-th product are cut arbitrarily:
                  a reader trusts only rows above the K-th cosine (`WordVectors.near_rows`).
- NAME.twins.npy  int32, pairs x 2: every (a, b), a != b, whose product is at least TWIN x 127², both
                  ways, sorted: a superset of the pairs a question counts as the word itself (EXACT).

Run it again after scripts/convert_cnsyn.py; the output is deterministic (a few minutes on two cores).
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from retrieval.vectors import NEAR_K, SCALE  # noqa: E402

DATA = ROOT / "retrieval" / "data"
TWIN = 0.98    # below EXACT (0.99): the reader filters at EXACT from the recomputed cosine
BLOCK = 512


def neighbours(integers: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(rows x NEAR_K rows of highest product, best first and ties by row; twin pairs) of int8 rows
    given as float32 (their products are exact integers)."""
    n = len(integers)
    near = np.empty((n, NEAR_K), np.int64)
    twins = []
    columns = np.ascontiguousarray(integers.T)
    limit = np.float32(TWIN * SCALE * SCALE)
    for start in range(0, n, BLOCK):
        block = integers[start:start + BLOCK] @ columns
        top = np.argpartition(-block, NEAR_K - 1, axis=1)[:, :NEAR_K]
        values = np.take_along_axis(block, top, axis=1)
        order = np.lexsort((top, -values), axis=1)
        near[start:start + len(block)] = np.take_along_axis(top, order, axis=1)
        a, b = np.nonzero(block >= limit)
        a += start
        keep = a != b
        twins.append(np.stack([a[keep], b[keep]], axis=1))
        if start // BLOCK % 20 == 0:
            print(f"{start + len(block):,} / {n:,}", file=sys.stderr)
    pairs = np.concatenate(twins) if twins else np.empty((0, 2), np.int64)
    return near, pairs[np.lexsort((pairs[:, 1], pairs[:, 0]))]


def pack(near: np.ndarray) -> np.ndarray:
    """Rows of NEAR_K row numbers < 2^17 as uint16: the low bits, then a column of their 17th bits."""
    if near.size and int(near.max()) >= 1 << 17:
        raise ValueError("more rows than 17 bits number")
    high = ((near >> 16) & 1) << np.arange(NEAR_K)
    return np.concatenate([near & 0xFFFF, high.sum(axis=1, keepdims=True)], axis=1).astype(np.uint16)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--name", default="vectors")
    parser.add_argument("--data", default=str(DATA))
    args = parser.parse_args()
    data = Path(args.data)
    integers = np.load(data / f"{args.name}.npy").astype(np.float32)
    near, twins = neighbours(integers)
    np.save(data / f"{args.name}.near.npy", pack(near))
    np.save(data / f"{args.name}.twins.npy", twins.astype(np.int32))
    print(f"{len(near):,} rows x {NEAR_K} neighbours, {len(twins):,} twin pairs in {data}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
