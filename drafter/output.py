"""Writing drafts without destroying anyone's work.

A .docx drafter writes carries a fingerprint of its own content in a custom document property.
Re-running drafter may replace a draft only while that fingerprint still matches — once someone has
saved it from Word or WPS, the content changes and drafter refuses (unless --force). Files are
written to a temporary file in the same folder and renamed, so a crash leaves the old file whole.
"""
from __future__ import annotations

import hashlib
import io
import os
import re
import zipfile
from pathlib import Path
from typing import Iterable, Optional, Tuple

from .errors import DrafterError, Problem
from .files import replace_atomically

PROPERTY = "drafter-fingerprint"
CUSTOM_PART = "docProps/custom.xml"
CUSTOM_TYPE = "application/vnd.openxmlformats-officedocument.custom-properties+xml"
CUSTOM_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/custom-properties"


def fingerprint(entries: Iterable[Tuple[str, bytes]]) -> str:
    """Hash of the document's content parts: everything but metadata, relationships and content types."""
    digest = hashlib.sha256()
    for name, data in sorted(entries):
        if name.startswith("docProps/") or name.endswith(".rels") or name == "[Content_Types].xml":
            continue
        digest.update(name.encode("utf-8") + b"\0" + hashlib.sha256(data).digest())
    return digest.hexdigest()


def stamp(docx: bytes) -> bytes:
    """Add the fingerprint as a custom property (Word keeps it, and shows it under 自定义属性)."""
    with zipfile.ZipFile(io.BytesIO(docx)) as source:
        entries = [(info, source.read(info.filename)) for info in source.infolist()]
    value = fingerprint((info.filename, data) for info, data in entries)
    custom = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
              '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-properties" '
              'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
              '<property fmtid="{D5CDD505-2E9C-101B-9397-08002B2CF9AE}" pid="2" '
              f'name="{PROPERTY}"><vt:lpwstr>{value}</vt:lpwstr></property></Properties>')
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info, data in entries:
            if info.filename == "[Content_Types].xml":
                data = data.replace(b"</Types>", f'<Override PartName="/{CUSTOM_PART}" '
                                                 f'ContentType="{CUSTOM_TYPE}"/></Types>'.encode())
            elif info.filename == "_rels/.rels":
                data = data.replace(b"</Relationships>", f'<Relationship Id="rIdDrafter" Type="{CUSTOM_REL}" '
                                                         f'Target="{CUSTOM_PART}"/></Relationships>'.encode())
            target.writestr(info, data)
        target.writestr(CUSTOM_PART, custom)
    return out.getvalue()


def is_untouched_draft(path: Path) -> bool:
    """Whether path is a drafter .docx whose content nobody has changed since."""
    try:
        with zipfile.ZipFile(path) as package:
            entries = [(name, package.read(name)) for name in package.namelist()]
    except (OSError, zipfile.BadZipFile, KeyError, ValueError):
        return False
    custom = dict(entries).get(CUSTOM_PART, b"").decode("utf-8", "replace")
    found = re.search(rf'name="{PROPERTY}"><vt:lpwstr>([0-9a-f]{{64}})</vt:lpwstr>', custom)
    return bool(found) and found.group(1) == fingerprint(entries)


# Previews carry their fingerprint on a last line of their own, in a form each format hides or
# shows plainly; a text file without one is someone else's and is not replaced.
TEXT_MARKS = {"md": "<!-- drafter-fingerprint: {} -->", "txt": "drafter-fingerprint: {}"}


def mark_text(data: bytes, fmt: str) -> bytes:
    if not data.endswith(b"\n"):
        data += b"\n"
    return data + _text_mark(data, fmt) + b"\n"


def _text_mark(body: bytes, fmt: str) -> bytes:
    return TEXT_MARKS[fmt].format(hashlib.sha256(body).hexdigest()).encode("utf-8")


def is_untouched_text(path: Path, fmt: str) -> bool:
    try:
        data = path.read_bytes()
    except OSError:
        return False
    cut = data.rstrip(b"\n").rfind(b"\n") + 1
    body, last = data[:cut], data[cut:].rstrip(b"\n")
    return last == _text_mark(body, fmt)


def refuse_reason(path: Path, fmt: str = "docx") -> Optional[str]:
    """Why overwriting path would lose work, or None when it is safe."""
    # Word names its owner file ~$ + the name, or replaces a long name's first two characters.
    for lock in (path.with_name("~$" + path.name), path.with_name("~$" + path.name[2:])):
        if lock.exists():
            return f"{path} 正在被 Word/WPS 打开（有锁文件 {lock.name}），请先关闭它"
    if not path.exists():
        return None
    untouched = is_untouched_draft(path) if fmt == "docx" else is_untouched_text(path, fmt)
    if not untouched:
        return f"{path} 已存在，并且在 drafter 写出之后被修改过（或不是 drafter 写的）"
    return None


def write_output(path: Path, data: bytes, fmt: str = "docx", force: bool = False) -> None:
    """Write a draft (fingerprinted) through a temporary file in the same folder, then rename."""
    if path.is_dir():
        raise DrafterError(Problem(f"输出路径 {path} 是一个文件夹，请写文件名，例如 -o {path / '发言稿.docx'}"))
    if not force:
        reason = refuse_reason(path, fmt)
        if reason:
            raise DrafterError(Problem(f"没有覆盖：{reason}。如确要覆盖请加 --force，或用 -o 另存为新文件。"))
    data = stamp(data) if fmt == "docx" else mark_text(data, fmt)
    if not path.parent.is_dir():
        raise DrafterError(Problem(f"输出文件夹不存在：{path.parent}"))
    try:
        replace_atomically(path, data, _mode_for(path))
    except OSError as error:
        raise DrafterError(Problem(f"无法写出 {path}：{error.strerror or error}")) from None


def _mode_for(path: Path) -> int:
    """The replaced file's permissions, or what a new file gets under the user's umask."""
    try:
        return path.stat().st_mode & 0o777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask
