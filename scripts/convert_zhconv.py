"""Write retrieval/data/zhconv_marks.txt: what zhconv's zh-cn table can replace, as cheap tests.

    .venv/bin/python scripts/convert_zhconv.py

`retrieval.question.to_simplified` skips zhconv (its table costs ~15 ms at a start's first question) for
a text none of the table's conversions applies to (see `retrieval.question.Conversions`). Line 1 is the
CRC-32 of the zhcdict.json the file was made from: qabot uses the file only when it matches the
installed zhconv's, and otherwise takes the same from the table itself. Line 2: the one-character
entries; then the longer entries without such a character, one a line. Run it again after upgrading
zhconv; the output is deterministic.
"""
from __future__ import annotations

import sys
import zlib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from retrieval.question import ZHCONV_MARKS, _zhconv, zhconv_table_conversions  # noqa: E402


def main() -> int:
    zhconv = _zhconv()
    table = Path(zhconv.__file__).parent / "zhcdict.json"
    found = zhconv_table_conversions(zhconv)
    ZHCONV_MARKS.write_text(f"crc32 {zlib.crc32(table.read_bytes())}\n{found.lines()}", encoding="utf-8")
    print(f"{ZHCONV_MARKS.relative_to(ROOT)}: {len(found.marks)} characters, {len(found.phrases)} phrases")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
