"""Replacing a file so that nobody ever sees half of it: drafts (output.py) and cache entries (cache.py)."""
from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Optional


def replace_atomically(path: Path, data: bytes, mode: Optional[int] = None) -> None:
    """Write a temporary file in the same folder, flush it to disk, give it ``mode``, rename it over
    path: a crash leaves the old file whole and no partial file behind. Raises OSError."""
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".~drafter-", suffix=path.suffix)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        if mode is not None:
            os.chmod(temporary, mode)  # mkstemp makes files only their owner can read
        os.replace(temporary, path)
    except BaseException:
        if os.path.exists(temporary):
            os.unlink(temporary)
        raise
