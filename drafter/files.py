"""Putting a file at a name without ever destroying one somebody saved there meanwhile: drafts
(output.py) and, plainly replaced, cache entries (cache.py).

A draft is placed in moves none of which can overwrite a file: the new bytes go to disk first, in the
same folder (unnamed where Linux allows, so a killed run leaves nothing); the file at the name is
renamed aside and, unless it is the very file checked before (same stat signature), must prove again
that it may go, or it is put back; then the new file is hard-linked to the name, which fails if anyone
saved there in the meantime. Scratch names carry the computer, the process and the time, so a later
run can tell what a killed drafter left behind and tidy it up.
"""
from __future__ import annotations

import hashlib
import os
import re
import time
from pathlib import Path
from typing import Callable, List, Optional, Tuple

NAME_MAX = 255  # bytes in one name: ext4, btrfs, NTFS (UTF-16 units), FAT long names, most shares
Signature = Tuple[int, int, int, int]
Check = Callable[[Path], bool]  # may this file go: is it something drafter can simply write again?

UNNAMED = hasattr(os, "O_TMPFILE")  # Linux: a file without a name until it is linked into place
_NO_FOLLOW = {"follow_symlinks": False} if os.link in os.supports_follow_symlinks else {}
# The computer, to tell a shared folder's other computers apart (os.uname: no socket import at start-up;
# Windows, without it, judges every leftover by its age anyway).
_HOST = hashlib.sha256(os.fsencode(os.uname().nodename) if hasattr(os, "uname") else b"").hexdigest()[:6]
# .drafter-<new|old>-<computer>-<process>-<time><random>, then the suffix (new) or "-" and the name
# the file had (old, when that fits): groups kind, computer, process, time, name.
_SCRATCH = re.compile(r"\.drafter-(new|old)-([0-9a-f]{6})-(\d{1,7})-([0-9a-f]{8})[0-9a-f]{6}(?:-(.+)|\.[^.]*)?",
                      re.S)
_MKSTEMP = re.compile(r"\.~drafter-[a-z0-9_]{8}\.(?:docx|md|txt)")  # what drafters before scratch names left
_ABANDONED_AFTER = 3600  # seconds: no draft takes that long to write


class Conflict(Exception):
    """Somebody saved at the name while drafter wrote. Their file is kept at ``kept`` (the name
    itself, or a visible copy when the name was taken yet again); ``placed``: the draft is written."""

    def __init__(self, kept: Path, placed: bool = False):
        super().__init__(str(kept))
        self.kept, self.placed = kept, placed


def fits(name: str) -> bool:
    return len(os.fsencode(name)) <= NAME_MAX


def signature(path: Path) -> Optional[Signature]:
    """Tells one saved file from another without reading it; a rename keeps it (ctime it may not)."""
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        return None
    return info.st_dev, info.st_ino, info.st_size, info.st_mtime_ns


def scratch_name(kind: str, tail: str, pid: int) -> str:
    """Whose scratch file it is and since when: .drafter-new-<computer>-<process>-<time><random><tail>."""
    return f".drafter-{kind}-{_HOST}-{pid}-{int(time.time()):08x}{os.urandom(3).hex()}{tail}"


def place(path: Path, data: bytes, mode: int, checked: Optional[Signature], may_go: Check,
          attempts: int = 20) -> None:
    """Put data at path. The file there goes only if it is the one checked before (``checked``: its
    signature then) or ``may_go`` says so; any other file, there or saved meanwhile, is kept, and
    Conflict says where. Drafts that keep reappearing (other drafters writing the same name) are
    replaced after a few tries. Raises OSError."""
    new = _NewFile(path, data, mode)
    replaced: List[Tuple[Path, Optional[Signature]]] = []
    try:
        for _ in range(attempts):
            aside = path.with_name(_aside_name(path.name))
            try:
                os.rename(path, aside)
            except FileNotFoundError:
                pass
            else:
                seen = signature(aside)
                if seen != checked and not may_go(aside):
                    raise Conflict(path if _move(aside, path) else _keep(aside, path))
                replaced.append((aside, seen))
            checked = None  # whatever is at the name from now on was saved meanwhile
            if new.link(path):
                break
        else:
            raise Conflict(path)
    except BaseException:
        for aside, _ in reversed(replaced):
            _settle(aside, path, may_go)
        raise
    finally:
        new.discard()
    kept = None
    for aside, seen in replaced:
        now = signature(aside)
        if now == seen:
            _remove(aside)
        elif now is not None:  # written to through a handle opened before it was moved: keep that
            kept = _settle(aside, path, may_go) or kept
    if kept:
        raise Conflict(kept, placed=True)


def tidy(folder: Path, may_go: Check) -> None:
    """What drafters killed mid-write left in folder: a new file's scratch copy goes; a file moved
    aside goes back to its name if that is free, else goes if ``may_go``, else stays under a visible
    name. Best effort: never a reason not to draft."""
    try:
        with os.scandir(folder) as entries:
            names = [entry.name for entry in entries if entry.name.startswith((".drafter-", ".~drafter-"))]
    except OSError:
        return
    for name in names:
        path = folder / name
        found = _SCRATCH.fullmatch(name)
        try:
            if found and _abandoned(found):
                if found.group(1) == "new":
                    _remove(path)
                else:
                    _settle(path, folder / found.group(5) if found.group(5) else None, may_go)
            elif _MKSTEMP.fullmatch(name) and time.time() - os.lstat(path).st_mtime > _ABANDONED_AFTER:
                _remove(path)
        except OSError:
            continue


def replace_atomically(path: Path, data: bytes, mode: Optional[int] = None) -> None:
    """Write a scratch file beside path, flushed to disk, and rename it over path: a crash leaves the
    old file whole. For files nobody but drafter writes (cache entries). Raises OSError."""
    scratch = _write_scratch(path.parent, path.suffix, data, mode)
    try:
        os.replace(scratch, path)
    except BaseException:
        _remove(scratch)
        raise


class _NewFile:
    """The new bytes on disk before they have the name: unnamed where Linux allows it (a killed run
    then leaves nothing), else under a scratch name beside it."""

    def __init__(self, path: Path, data: bytes, mode: int):
        self.data, self.mode = data, mode
        self.fd: Optional[int] = None
        self.folder_fd: Optional[int] = None
        self.name: Optional[Path] = None
        try:
            if UNNAMED:
                try:
                    self.folder_fd = os.open(path.parent, os.O_RDONLY | os.O_DIRECTORY)
                    self.fd = os.open(path.parent, os.O_TMPFILE | os.O_WRONLY, 0o600)
                except OSError:  # not on this file system
                    self.discard()
            if self.fd is None:
                self.name = _write_scratch(path.parent, path.suffix, data, mode)
            else:
                _fill(self.fd, data)
                os.fchmod(self.fd, mode)
        except BaseException:
            self.discard()
            raise

    def link(self, path: Path) -> bool:
        """Give it path's name; False if something is there (never overwritten)."""
        if self.fd is not None:
            try:  # with a folder descriptor os.link is linkat, which follows /proc's link to the file
                os.link(f"/proc/self/fd/{self.fd}", path.name, dst_dir_fd=self.folder_fd)
                return True
            except FileExistsError:
                return False
            except OSError:  # no /proc, or no hard links after all: the named way
                self.discard()
                self.name = _write_scratch(path.parent, path.suffix, self.data, self.mode)
        if not _move(self.name, path):
            return False
        self.name = None
        return True

    def discard(self) -> None:
        for fd in (self.fd, self.folder_fd):
            if fd is not None:
                os.close(fd)
        self.fd = self.folder_fd = None
        if self.name is not None:
            _remove(self.name)
            self.name = None


def _write_scratch(folder: Path, suffix: str, data: bytes, mode: Optional[int]) -> Path:
    """A new file under a scratch name, flushed to disk, given ``mode`` (until then its owner's alone)."""
    name = folder / scratch_name("new", suffix, os.getpid())
    fd = os.open(name, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o600)
    try:
        try:
            _fill(fd, data)
        finally:
            os.close(fd)
        if mode is not None:
            os.chmod(name, mode)
    except BaseException:
        _remove(name)
        raise
    return name


def _fill(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]
    os.fsync(fd)


def _aside_name(name: str) -> str:
    """The scratch name a file is moved aside under: with its own name in it, so that a later run can
    put it back should this one be killed, unless that would be too long."""
    full = scratch_name("old", "-" + name, os.getpid())
    return full if fits(full) else scratch_name("old", Path(name).suffix, os.getpid())


def _move(source: Path, target: Path) -> bool:
    """Give source's file the name target instead; False if something is there (never overwritten).
    Hard links make that one step; file systems without them (FAT, some shares) get a rename once
    the name is seen to be free."""
    try:
        os.link(source, target, **_NO_FOLLOW)
    except FileExistsError:
        return False
    except OSError:
        if os.path.lexists(target):
            return False
        try:
            os.rename(source, target)
        except FileExistsError:  # Windows' rename never overwrites
            return False
        return True
    _remove(source)
    return True


def _settle(aside: Path, home: Optional[Path], may_go: Check) -> Optional[Path]:
    """A file moved aside to be replaced: back at home if that is free, else removed if ``may_go``,
    else kept under a visible name. Where it is now (None: removed)."""
    if home is not None and _move(aside, home):
        return home
    if may_go(aside):
        _remove(aside)
        return None
    return _keep(aside, home)


def _keep(aside: Path, home: Optional[Path]) -> Path:
    """Under a name staff will see beside home: 2024-汇报发言（drafter 保留的副本）.docx, …副本2）… ."""
    stem, suffix = (home.stem, home.suffix) if home else ("", aside.suffix)
    if not fits(f"{stem}（drafter 保留的副本99）{suffix}"):
        stem = ""
    for number in range(1, 100):
        copy = aside.with_name(f"{stem}（drafter 保留的副本{number if number > 1 else ''}）{suffix}")
        if _move(aside, copy):
            return copy
    return aside


def _abandoned(found: re.Match) -> bool:
    """Whether the run that made a scratch file is over: asked of its process where it ran on this
    computer, else (another computer sharing the folder; Windows, where os.kill(pid, 0) would end the
    process) judged by the time in its name."""
    if found.group(2) == _HOST and os.name == "posix":
        try:
            os.kill(int(found.group(3)), 0)
        except ProcessLookupError:
            return True
        except OSError:  # PermissionError: alive, another user's
            return False
        return False
    return time.time() - int(found.group(4), 16) > _ABANDONED_AFTER


def _remove(path: Path) -> None:
    try:
        os.unlink(path)
    except FileNotFoundError:
        pass
