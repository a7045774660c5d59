"""Writing drafts without destroying anyone's work: atomic replace, and no overwriting of edited files."""
from __future__ import annotations

import os
import tempfile
import zipfile
from pathlib import Path
from typing import Optional

from .errors import DrafterError, Problem

WRITER_MARK = "drafter"


def refuse_reason(path: Path) -> Optional[str]:
    """Why overwriting path would lose work, or None when it is safe."""
    # Word names its owner file ~$ + the name, or replaces a long name's first two characters.
    for lock in (path.with_name("~$" + path.name), path.with_name("~$" + path.name[2:])):
        if lock.exists():
            return f"{path} 正在被 Word/WPS 打开（有锁文件 {lock.name}），请先关闭它"
    if not path.exists():
        return None
    if path.is_dir():
        return f"{path} 是一个文件夹"
    if path.suffix.lower() != ".docx":
        return None  # previews are regenerated freely
    if not _written_by_drafter_untouched(path):
        return f"{path} 已存在，并且在 drafter 写出之后被修改过（或不是 drafter 写的）"
    return None


def _written_by_drafter_untouched(path: Path) -> bool:
    # Word and WPS record who saved last and bump the revision on every save.
    try:
        with zipfile.ZipFile(path) as package:
            core = package.read("docProps/core.xml").decode("utf-8")
    except (OSError, KeyError, zipfile.BadZipFile):
        return False
    return (f"<cp:lastModifiedBy>{WRITER_MARK}</cp:lastModifiedBy>" in core
            and "<cp:revision>1</cp:revision>" in core)


def write_output(path: Path, data: bytes, force: bool = False) -> None:
    if not force:
        reason = refuse_reason(path)
        if reason:
            raise DrafterError(Problem(f"没有覆盖：{reason}。如确要覆盖请加 --force，或用 -o 另存为新文件。"))
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise DrafterError(Problem(f"输出文件夹不存在：{folder}"))
    handle, temporary = tempfile.mkstemp(dir=folder, prefix=".~drafter-", suffix=path.suffix)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, path)
    except BaseException as error:
        if os.path.exists(temporary):
            os.unlink(temporary)
        if isinstance(error, OSError):
            raise DrafterError(Problem(f"无法写出 {path}：{error.strerror or error}")) from None
        raise
