"""Arrays on disk: `.npy` files (never pickled) and a JSON manifest with each file's size and CRC-32.

A manifest names every file it covers; loading checks sizes and checksums before parsing, so a
truncated or damaged file is reported as `DamagedStore` instead of giving wrong answers.
"""
from __future__ import annotations

import io
import json
import math
import mmap
import os
import re
import threading
import time
import weakref
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
        path = folder / f"{name}.{key}.npy"
        with path.open("wb") as file:   # written straight to the file: no copy of a large array in memory
            np.lib.format.write_array(file, np.asarray(array), allow_pickle=False)
        files[key] = {"bytes": path.stat().st_size, "crc32": _crc(path)}
        total += files[key]["bytes"]
    manifest = json.dumps({"store_format": STORE_FORMAT, "meta": dict(meta), "files": files}, ensure_ascii=False)
    (folder / f"{name}.json").write_text(manifest, encoding="utf-8", errors="surrogatepass")  # file names
    return total + len(manifest.encode("utf-8", "surrogatepass"))


def load_arrays(folder: Path, name: str, mapped: bool = False) -> tuple[dict[str, np.ndarray], dict[str, Any]]:
    """(arrays, meta) saved under `name`; DamagedStore when anything does not check out.

    `mapped`: the arrays are memory-mapped (read-only), pages read when first touched. Their
    CRC-32s are checked when the files are first opened and again whenever a file's stat
    changed since (see `Verified`), so a start does not read the whole cache.
    """
    try:
        manifest = json.loads((folder / f"{name}.json").read_text(encoding="utf-8", errors="surrogatepass"))
        if manifest.get("store_format") != STORE_FORMAT:
            raise DamagedStore(f"{name}.json: store format {manifest.get('store_format')!r}, expected {STORE_FORMAT}")
        if mapped:
            verified = Verified(folder)
            arrays = {key: _map(folder / f"{name}.{key}.npy", entry, verified)
                      for key, entry in manifest["files"].items()}
            verified.save()
        else:
            arrays = {key: _read(folder / f"{name}.{key}.npy", entry) for key, entry in manifest["files"].items()}
        return arrays, manifest["meta"]
    except DamagedStore:
        raise
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise DamagedStore(f"{name}: {type(exc).__name__}: {exc}") from None


# A file changed within this long of being checked could be rewritten with its size and times
# unchanged (clock ticks are coarse): its stat vouches for it only once it has been still longer (as git does).
RACY_NS = 2_000_000_000


def settled(st: os.stat_result) -> bool:
    """Whether the file has been still long enough for its stat to vouch for its content."""
    return time.time_ns() - max(st.st_mtime_ns, st.st_ctime_ns) > RACY_NS


def write_json_atomic(path: Path, data: object) -> None:
    """Write JSON through a temporary file and a rename; a failure (read-only folder) leaves no temp."""
    temp = path.with_name(f".{path.stem}-{os.getpid()}-{os.urandom(4).hex()}")  # (uuid imports platform: 17 ms)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temp.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8", errors="surrogateescape")
        os.replace(temp, path)
    except OSError:
        temp.unlink(missing_ok=True)
        raise


class Verified:
    """Stats of a folder's files whose checksums matched, in `verified.json` there."""

    def __init__(self, folder: Path) -> None:
        self.path = folder / "verified.json"
        try:
            self.known: dict[str, list[int]] = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            self.known = {}
        self.changed = False

    @staticmethod
    def stamp(st: os.stat_result) -> list[int]:
        return [st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino]

    def holds(self, path: Path, st: os.stat_result) -> bool:
        return self.known.get(path.name) == self.stamp(st)

    def add(self, path: Path, st: os.stat_result) -> None:
        if settled(st):
            self.known[path.name] = self.stamp(st)
            self.changed = True

    def save(self) -> None:
        if not self.changed:
            return
        try:
            write_json_atomic(self.path, self.known)
        except OSError:   # a read-only cache: checked again next time
            pass


def _map(path: Path, entry: Mapping[str, int], verified: Verified) -> np.ndarray:
    st = path.stat()
    if st.st_size != entry["bytes"]:
        raise DamagedStore(f"{path.name}: {st.st_size} bytes, expected {entry['bytes']} (truncated?)")
    if not verified.holds(path, st):
        if _crc(path) != entry["crc32"]:
            raise DamagedStore(f"{path.name}: checksum mismatch (corrupt)")
        verified.add(path, st)
    with path.open("rb") as file:
        shape, fortran, dtype, offset = _header(file)
        count = math.prod(shape)
        if not count:   # an empty array: nothing to map
            return _from_npy_bytes(path.read_bytes())
        mapped = mmap.mmap(file.fileno(), 0, access=mmap.ACCESS_READ)
    MAPPED.add(mapped)
    # A plain read-only array over the mapped pages (no memmap bookkeeping); it keeps the mapping open.
    array = np.frombuffer(mapped, dtype=dtype, count=count, offset=offset)
    return array.reshape(shape, order="F" if fortran else "C") if shape != (count,) else array


class MappedPages:
    """The cache files this process has mapped, and a limit on how much of them stays in its memory.

    A mapped page stays resident once read, and the kernel maps more than the page read: a whole
    large folio of the page cache (2 MB per fault on Linux 6.18 with ext4), so the few hundred
    passages a question reads at random made a 300 MB text blob resident within a few questions,
    and every mapped array whole within 200 (2.25 GB serving 1M passages). Past `limit` bytes of
    file pages gained since the first mapping (from /proc/self/statm), every mapping is released
    with MADV_DONTNEED: its pages leave this process but stay in the page cache, and the next read
    maps them again without touching the disk (~7 us a 2 MB folio).
    """

    def __init__(self) -> None:
        self._maps: weakref.WeakSet[mmap.mmap] = weakref.WeakSet()
        self._lock = threading.Lock()
        self._base: int | None = None   # file pages resident before the first mapping (libraries)

    def add(self, mapped: mmap.mmap) -> None:
        with self._lock:
            if self._base is None:
                self._base = file_resident() or 0
            self._maps.add(mapped)

    def resident(self) -> int | None:
        """Bytes of file pages resident in this process beyond those before the first mapping (None:
        not known on this system)."""
        now = file_resident()
        return None if now is None or self._base is None else max(now - self._base, 0)

    def keep_within(self, limit: int) -> bool:
        """Release every mapping when more than `limit` bytes are resident; whether it did."""
        if limit <= 0 or not self._maps:
            return False
        resident = self.resident()
        if resident is None or resident <= limit:
            return False
        self.release()
        return True

    def release(self) -> None:
        """Drop the mapped pages from this process (they stay in the page cache)."""
        with self._lock:
            maps = list(self._maps)
        for mapped in maps:
            try:
                mapped.madvise(mmap.MADV_DONTNEED)
            except (AttributeError, OSError, ValueError):   # no madvise here, or closed meanwhile
                pass


def file_resident() -> int | None:
    """Bytes of this process's resident file-backed pages (None where /proc is missing)."""
    try:
        fd = os.open("/proc/self/statm", os.O_RDONLY)
        try:
            fields = os.read(fd, 256).split()
        finally:
            os.close(fd)
        return int(fields[2]) * mmap.PAGESIZE
    except (OSError, IndexError, ValueError):
        return None


MAPPED = MappedPages()


def _crc(path: Path) -> int:
    """CRC-32 of a file, read 4 MB at a time."""
    crc = 0
    with path.open("rb") as file:
        while chunk := file.read(1 << 22):
            crc = zlib.crc32(chunk, crc)
    return crc


def _read(path: Path, entry: Mapping[str, int]) -> np.ndarray:
    data = path.read_bytes()
    if len(data) != entry["bytes"]:
        raise DamagedStore(f"{path.name}: {len(data)} bytes, expected {entry['bytes']} (truncated?)")
    if zlib.crc32(data) != entry["crc32"]:
        raise DamagedStore(f"{path.name}: checksum mismatch (corrupt)")
    return _from_npy_bytes(data)


def _from_npy_bytes(data: bytes) -> np.ndarray:
    """An array over the bytes of a `.npy` file without copying them (read-only)."""
    shape, fortran, dtype, offset = _header(io.BytesIO(data))
    count = math.prod(shape)
    array = np.frombuffer(data, dtype=dtype, count=count, offset=offset)
    return array.reshape(shape, order="F" if fortran else "C") if shape != (count,) else array


# The header numpy's writer gives every array stored here (format 1.0, a dtype code, a shape of integers),
# matched whole: numpy's own reader parses it with `ast.literal_eval` (~20 us, half of opening a file,
# ~90 files at a start). Any other header is numpy's to read.
_PLAIN_HEADER = re.compile(
    rb"\x93NUMPY\x01\x00(..)\{'descr': '([<>|][a-z][0-9]{1,2})', 'fortran_order': (False|True), "
    rb"'shape': \(((?:[0-9]+, )*[0-9]+,?|)\), \} *\n", re.S)
_DTYPES: dict[bytes, np.dtype] = {}


def _header(file: Any) -> tuple[tuple[int, ...], bool, np.dtype, int]:
    """(shape, Fortran order, dtype, offset of the data) of the `.npy` file open at its start."""
    head = file.read(128)   # numpy pads a header to a multiple of 64 bytes: a small array's is 128
    plain = _PLAIN_HEADER.fullmatch(head)
    if plain is not None and int.from_bytes(plain[1], "little") == len(head) - 10:
        dtype = _DTYPES.get(plain[2])
        if dtype is None:   # (a number code: never an object dtype)
            dtype = _DTYPES[plain[2]] = np.dtype(plain[2].decode())
        return tuple(int(n) for n in plain[4].split(b",") if n), plain[3] == b"True", dtype, len(head)
    file.seek(0)
    version = np.lib.format.read_magic(file)
    if version == (1, 0):
        shape, fortran, dtype = np.lib.format.read_array_header_1_0(file)
    else:
        shape, fortran, dtype = np.lib.format.read_array_header_2_0(file)
    if dtype.hasobject:
        raise DamagedStore("object arrays are never stored")
    return shape, fortran, dtype, file.tell()
