"""A per-user cache of what drafter derives from template packs and layouts.

A one-off draft would otherwise spend most of its own time redoing, in every new process, work that
only changes when a file does: Cerberus checking a compiled schema, the outline's static check,
Jinja compiling the outline, the laid-out .docx package. Each entry is keyed by the content of the
files it was made from; entries live under a folder named after drafter's own code and the library
versions, so an upgrade or an edit of drafter starts afresh. A broken entry is rebuilt; a cache
that cannot be read or written is not used, silently — it may only ever make drafting faster.

``DRAFTER_CACHE_DIR`` moves it (default: the user's cache folder); ``DRAFTER_NO_CACHE=1`` turns it off.
"""
from __future__ import annotations

import functools
import hashlib
import os
import pickle
import sys
import tempfile
from pathlib import Path
from typing import Any, Iterable, Optional, Union

from . import __version__

Part = Union[str, bytes]


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


def load(kind: str, key: str) -> Any:
    """The value stored under key, or None (missing, unreadable, or written by something else)."""
    path = folder(kind)
    if path is None:
        return None
    try:
        with open(path / key, "rb") as stream:
            return pickle.load(stream)
    except Exception:  # a truncated or foreign file is as good as none: the caller rebuilds it
        return None


def store(kind: str, key: str, value: Any) -> None:
    """Write atomically (a reader never sees half an entry); any failure just leaves no entry."""
    path = folder(kind)
    if path is None:
        return
    try:
        data = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
        handle, temporary = tempfile.mkstemp(dir=path, prefix=".tmp-")
        try:
            with os.fdopen(handle, "wb") as stream:
                stream.write(data)
            os.replace(temporary, path / key)
        except BaseException:
            os.unlink(temporary)
            raise
    except Exception:
        return


@functools.lru_cache(maxsize=1)
def _namespace() -> Optional[Path]:
    if os.environ.get("DRAFTER_NO_CACHE", "").strip() not in ("", "0"):
        return None
    base = os.environ.get("DRAFTER_CACHE_DIR")
    if base:
        root = Path(base)
    elif sys.platform == "win32":
        root = Path(os.environ.get("LOCALAPPDATA") or Path.home() / "AppData" / "Local") / "drafter" / "Cache"
    elif sys.platform == "darwin":
        root = Path.home() / "Library" / "Caches" / "drafter"
    else:
        root = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "drafter"
    namespace = root / digest([__version__, sys.version, _code_stamp()])[:16]
    if not namespace.exists():
        _prune(root)
    return namespace


def _prune(root: Path, days: int = 30) -> None:
    """A new drafter (or an edited one) starts a new folder; folders other versions have not
    added to for a month go, so upgrades do not pile up old entries."""
    import shutil
    import time

    try:
        old = [p for p in root.iterdir() if p.is_dir() and time.time() - p.stat().st_mtime > days * 86400]
    except OSError:
        return
    for folder in old:
        shutil.rmtree(folder, ignore_errors=True)


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
