"""Arrays on disk: `.npy` files (never pickled) and a JSON manifest with each file's size and CRC-32.

A manifest names every file it covers; loading checks sizes and checksums before parsing, so a
truncated or damaged file is reported as `DamagedStore` instead of giving wrong answers.
"""
from __future__ import annotations

import io
import json
import zlib
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np

STORE_FORMAT = 1
_SEPARATOR = "\x00"


class DamagedStore(ValueError):
    """A stored file is missing, truncated, corrupt or of another format."""


def pack_strings(strings: Sequence[str]) -> dict[str, np.ndarray]:
    """Strings as one NUL-separated UTF-8 blob plus where each starts: no pickle, nothing escaped."""
    joined = _SEPARATOR.join(strings)
    offsets = np.zeros(len(strings) + 1, dtype=np.int64)
    lengths = np.fromiter(map(len, strings), dtype=np.int64, count=len(strings)) + 1
    np.cumsum(lengths, out=offsets[1:])
    return {"blob": np.frombuffer(joined.encode("utf-8"), dtype=np.uint8), "offsets": offsets}


def unpack_strings(blob: np.ndarray, offsets: np.ndarray) -> list[str]:
    """The strings `pack_strings` stored, in order."""
    text = blob.tobytes().decode("utf-8")
    count = len(offsets) - 1
    if count < 0 or len(text) != max(int(offsets[-1]) - 1, 0):
        raise DamagedStore("string offsets do not match the text")
    parts = text.split(_SEPARATOR)
    if len(parts) == count:
        return parts
    # Some string holds a NUL itself (or there are none): cut by the offsets instead.
    bounds = offsets.tolist()
    return [text[a : b - 1] for a, b in zip(bounds, bounds[1:])]


def save_arrays(folder: Path, name: str, arrays: Mapping[str, np.ndarray], meta: Mapping[str, Any]) -> int:
    """Write `name.<key>.npy` for each array and `name.json` last; return the bytes written."""
    files: dict[str, dict[str, int]] = {}
    total = 0
    for key, array in arrays.items():
        buffer = io.BytesIO()
        np.save(buffer, np.asarray(array), allow_pickle=False)
        data = buffer.getvalue()
        (folder / f"{name}.{key}.npy").write_bytes(data)
        files[key] = {"bytes": len(data), "crc32": zlib.crc32(data)}
        total += len(data)
    manifest = json.dumps({"store_format": STORE_FORMAT, "meta": dict(meta), "files": files}, ensure_ascii=False)
    (folder / f"{name}.json").write_text(manifest, encoding="utf-8")
    return total + len(manifest.encode("utf-8"))


def load_arrays(folder: Path, name: str) -> tuple[dict[str, np.ndarray], dict[str, Any]]:
    """(arrays, meta) saved under `name`; DamagedStore when anything does not check out."""
    try:
        manifest = json.loads((folder / f"{name}.json").read_text(encoding="utf-8"))
        if manifest.get("store_format") != STORE_FORMAT:
            raise DamagedStore(f"{name}.json: store format {manifest.get('store_format')!r}, expected {STORE_FORMAT}")
        arrays = {key: _read(folder / f"{name}.{key}.npy", entry) for key, entry in manifest["files"].items()}
        return arrays, manifest["meta"]
    except DamagedStore:
        raise
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise DamagedStore(f"{name}: {type(exc).__name__}: {exc}") from None


def _read(path: Path, entry: Mapping[str, int]) -> np.ndarray:
    data = path.read_bytes()
    if len(data) != entry["bytes"]:
        raise DamagedStore(f"{path.name}: {len(data)} bytes, expected {entry['bytes']} (truncated?)")
    if zlib.crc32(data) != entry["crc32"]:
        raise DamagedStore(f"{path.name}: checksum mismatch (corrupt)")
    return _from_npy_bytes(data)


def _from_npy_bytes(data: bytes) -> np.ndarray:
    """An array over the bytes of a `.npy` file without copying them (read-only)."""
    header = io.BytesIO(data)
    version = np.lib.format.read_magic(header)
    if version == (1, 0):
        shape, fortran, dtype = np.lib.format.read_array_header_1_0(header)
    else:
        shape, fortran, dtype = np.lib.format.read_array_header_2_0(header)
    if dtype.hasobject:
        raise DamagedStore("object arrays are never stored")
    count = int(np.prod(shape)) if shape else 1
    array = np.frombuffer(data, dtype=dtype, count=count, offset=header.tell())
    return array.reshape(shape, order="F" if fortran else "C") if shape != (count,) else array
