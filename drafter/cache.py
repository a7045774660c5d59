"""A per-user cache of what drafter derives from template packs and layouts.

A one-off draft would otherwise spend most of its own time redoing, in every new process, work that
only changes when a file does: Cerberus checking a compiled schema, the outline's static check,
Jinja compiling the outline, the laid-out .docx package. Each entry is keyed by the content of the
files it was made from and by the versions of the libraries that made it; entries live under a
folder named after drafter's own code and Python's version, so an edit of drafter starts afresh.
A broken entry is rebuilt; a cache that cannot be read or written is not used, silently — it may
only ever make drafting faster. Entries are pickles: the folder must be writable by its user alone.

``DRAFTER_CACHE_DIR`` moves it (default: the user's cache folder); ``DRAFTER_NO_CACHE=1`` turns it off.
"""
from __future__ import annotations

import functools
import hashlib
import os
import pickle
import sys
from pathlib import Path
from typing import Any, Callable, Iterable, Optional, Union

from . import __version__
from .files import replace_atomically

Part = Union[str, bytes]
MARKER = "drafter-cache"  # in each of drafter's folders, touched by every run that uses it


def digest(parts: Iterable[Part]) -> str:
    """One key from texts and file contents; each part is length-prefixed so parts cannot run together."""
    sha = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8") if isinstance(part, str) else part
        sha.update(b"%d:" % len(data))
        sha.update(data)
    return sha.hexdigest()


def folder(kind: str) -> Optional[Path]:
    """The folder for one kind of entry, made on first use; None when caching is off or impossible."""
    root = _namespace()
    if root is None:
        return None
    path = root / kind
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return path


def load(kind: str, key: str, accept: Callable[[Any], bool] = lambda value: True) -> Any:
    """The value stored under key if ``accept`` takes it, else None: missing, unreadable, stale or
    of a shape this drafter did not write are all as good as none — the caller rebuilds it."""
    path = folder(kind)
    if path is None:
        return None
    try:
        with open(path / key, "rb") as stream:
            value = pickle.load(stream)
        return value if accept(value) else None
    except Exception:
        return None


def remember(kind: str, key: Optional[str], build: Callable[[], Any],
             accept: Callable[[Any], bool] = lambda value: True) -> Any:
    """The entry under key if ``accept`` takes it, else what ``build`` makes, stored for next time
    (without a key — its files could not be read — just built: build reports what is wrong)."""
    value = load(kind, key, accept) if key else None
    if value is None:
        value = build()
        if key:
            store(kind, key, value)
    return value


def store(kind: str, key: str, value: Any) -> None:
    """Write atomically (a reader never sees half an entry); any failure just leaves no entry."""
    path = folder(kind)
    if path is None:
        return
    try:
        replace_atomically(path / key, pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))
    except Exception:
        return


@functools.lru_cache(maxsize=1)
def _namespace() -> Optional[Path]:
    """This drafter's folder in the cache; None when caching is off or the place is unusable."""
    if os.environ.get("DRAFTER_NO_CACHE", "").strip() not in ("", "0"):
        return None
    try:
        root = _root()
        namespace = root / digest([__version__, sys.version, _code_stamp()])[:16]
        marker = namespace / MARKER
        if marker.exists():
            os.utime(marker)  # in use: not pruned
        else:
            namespace.mkdir(mode=0o700, parents=True, exist_ok=True)  # entries are pickles: the user's alone
            marker.write_text("drafter 的缓存，可以整个删除。\n", encoding="utf-8")
            _prune(root)
        if os.name == "posix":  # a folder someone else may write to could hand us their pickles
            info = namespace.stat()
            if info.st_uid != os.getuid() or info.st_mode & 0o022:
                return None
    except (OSError, RuntimeError, KeyError):  # no home folder, no permission, a file in the way
        return None
    return namespace


def _root() -> Path:
    base = os.environ.get("DRAFTER_CACHE_DIR")
    if base:
        return Path(base)
    if sys.platform == "win32":
        return Path(os.environ.get("LOCALAPPDATA") or Path.home() / "AppData" / "Local") / "drafter" / "Cache"
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Caches" / "drafter"
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "drafter"


def _prune(root: Path, days: int = 30) -> None:
    """A new drafter (or an edited one) starts a new folder; the folders of other drafters that no
    run has used for a month go, so upgrades do not pile up. Only folders drafter made (named by a
    digest, holding its marker file) are ever touched: DRAFTER_CACHE_DIR may be any folder."""
    import shutil
    import time

    try:
        for folder in root.iterdir():
            marker = folder / MARKER
            if (len(folder.name) == 16 and all(c in "0123456789abcdef" for c in folder.name)
                    and marker.is_file() and time.time() - marker.stat().st_mtime > days * 86400):
                shutil.rmtree(folder, ignore_errors=True)
    except OSError:
        return


def _code_stamp() -> str:
    """drafter's own source files by name, size and time: an edited drafter never reads old entries."""
    package = Path(__file__).parent
    stamps = []
    for path in sorted(package.rglob("*.py")):
        try:
            stat = path.stat()
        except OSError:
            continue
        stamps.append(f"{path.relative_to(package)}:{stat.st_size}:{stat.st_mtime_ns}")
    return "\n".join(stamps)
