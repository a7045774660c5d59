"""Writing drafts without destroying anyone's work.

A .docx drafter writes carries a fingerprint of its whole package (every part: text, styles,
properties such as 文号, relationships) in a custom document property; a preview carries one on its
last line. drafter replaces a file only while that fingerprint still matches and no Word, WPS or
LibreOffice lock file says the file is open — unless --force. files.place puts the new file there
so that a save landing meanwhile survives; files.tidy clears what a killed drafter left behind.
"""
from __future__ import annotations

import functools
import hashlib
import os
import re
import stat
import zipfile
from pathlib import Path
from typing import BinaryIO, Iterable, List, Optional, Sequence, Tuple, Union

from . import files
from .errors import DrafterError, Problem
from .writers.package import Part, read_parts, zip_parts

PROPERTY = "drafter-fingerprint"
SCHEME = "package-sha256:"  # the whole package; drafters before it stored a bare digest of the body parts
CUSTOM_PART = "docProps/custom.xml"
CUSTOM_TYPE = "application/vnd.openxmlformats-officedocument.custom-properties+xml"
CUSTOM_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/custom-properties"
ADVICE = "。如确要覆盖请加 --force，或用 -o 另存为新文件。"
_VALUE = re.compile(rb'(name="' + PROPERTY.encode() + rb'"><vt:lpwstr>)([^<]*)(</vt:lpwstr>)')
_OLD_VALUE = re.compile(r"[0-9a-f]{64}")
UNTOUCHED, EDITED, OLD = "untouched", "edited", "old"  # OLD: a .docx whose fingerprint leaves out its properties


def fingerprint(entries: Iterable[Tuple[str, bytes]]) -> str:
    """Of every part's name and bytes, the fingerprint's own value left blank: any edit changes it,
    and a stamped file can still check itself."""
    digest = hashlib.sha256()
    for name, data in sorted(entries):
        if name == CUSTOM_PART:
            data = _VALUE.sub(rb"\1\3", data, count=1)
        digest.update(hashlib.sha256(name.encode("utf-8")).digest() + hashlib.sha256(data).digest())
    return SCHEME + digest.hexdigest()


def stamp(docx: Union[bytes, Sequence[Part]]) -> bytes:
    """Add the fingerprint as a custom property (Word keeps it, and shows it under 自定义属性) and zip
    the package. It is taken over the package as written, with the custom part registered in
    [Content_Types].xml and _rels/.rels. ``docx`` is a zipped package or its parts (writers.docx)."""
    parts = read_parts(docx) if isinstance(docx, (bytes, bytearray)) else list(docx)
    parts = [Part(part.name, _register(part.name, part.data)) if part.name in _REGISTERS else part for part in parts]
    value = fingerprint([(part.name, part.data) for part in parts] + [(CUSTOM_PART, _custom(""))])
    return zip_parts(parts + [Part(CUSTOM_PART, _custom(value))])


_REGISTERS = {
    "[Content_Types].xml": (b"</Types>", f'<Override PartName="/{CUSTOM_PART}" ContentType="{CUSTOM_TYPE}"/>'),
    "_rels/.rels": (b"</Relationships>", f'<Relationship Id="rIdDrafter" Type="{CUSTOM_REL}" Target="{CUSTOM_PART}"/>'),
}


def _register(name: str, data: bytes) -> bytes:
    end, entry = _REGISTERS[name]
    return data.replace(end, entry.encode() + end)


def _custom(value: str) -> bytes:
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-properties" '
            'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
            '<property fmtid="{D5CDD505-2E9C-101B-9397-08002B2CF9AE}" pid="2" '
            f'name="{PROPERTY}"><vt:lpwstr>{value}</vt:lpwstr></property></Properties>').encode("utf-8")


def _fingerprints(path: Path) -> Tuple[Optional[str], Optional[str]]:
    """(the fingerprint the .docx at path carries, the one its package has now); None where there is
    none or the file cannot be read as a package."""
    try:
        with zipfile.ZipFile(path) as package:
            entries = [(info.filename, package.read(info)) for info in package.infolist()]
    except Exception:  # not a zip, damaged, encrypted, unreadable: not a draft drafter may replace
        return None, None
    custom = next((data for name, data in entries if name == CUSTOM_PART), b"")
    found = _VALUE.search(custom)
    return (found.group(2).decode("ascii", "replace") if found else None), fingerprint(entries)


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


def is_untouched(path: Path, fmt: str = "docx") -> bool:
    """Whether path is a draft or preview drafter wrote in that format and nobody has changed since."""
    return _state(path, fmt) == UNTOUCHED


def _state(path: Path, fmt: str) -> str:
    if fmt != "docx":
        return UNTOUCHED if fmt in TEXT_MARKS and is_untouched_text(path, fmt) else EDITED
    stored, actual = _fingerprints(path)
    if stored == actual and stored is not None:
        return UNTOUCHED
    return OLD if stored is not None and _OLD_VALUE.fullmatch(stored) else EDITED


def _lock_files(name: str) -> List[Tuple[str, str]]:
    """(owner file, program) for each program that may have the file open: Word and WPS for Windows
    put ~$ before the name, dropping its first one or two characters when it is long; WPS for Linux
    puts .~ before it; LibreOffice writes .~lock.name#."""
    word = [("~$" + text, "Word/WPS") for text in dict.fromkeys((name, name[1:], name[2:]))]
    return word + [(".~" + name, "WPS"), (f".~lock.{name}#", "LibreOffice")]


def refuse_reason(path: Path, fmt: str = "docx") -> Optional[str]:
    """Why overwriting path would lose work, or None when it is safe."""
    for lock, program in _lock_files(path.name):
        if os.path.lexists(path.with_name(lock)):
            return f"{path} 正在被 {program} 打开（有锁文件 {lock}），请先关闭它"
    for _ in range(5):  # another drafter may replace the file while it is read: read the one there then
        before = files.signature(path)
        try:
            mode = os.stat(path).st_mode
        except FileNotFoundError:
            return None
        if not stat.S_ISREG(mode):  # a device or a pipe: reading it could block for ever
            return f"{path} 不是普通文件（而是设备、管道等特殊文件）"
        state = _state(path, fmt)
        if files.signature(path) == before:
            break
    if state == OLD:
        return (f"{path} 是旧版 drafter 写的，旧版的指纹不包括文档属性（文号、关键词等）和文档关系，"
                "无法确认它们没有被修改过")
    if state == EDITED:
        return f"{path} 已存在，并且在 drafter 写出之后被修改过（或不是 drafter 写的）"
    return None


def check_name(path: Path) -> None:
    """Every part of path within what file systems allow, before any of them is asked about it."""
    for part in path.parts:
        if not files.fits(part):
            raise DrafterError(Problem(
                f"文件名太长：{part}（{len(os.fsencode(part))} 字节，文件系统最多允许 {files.NAME_MAX} 字节，"
                "约 85 个汉字）。请用 -o 写一个短一些的文件名"))


def write_output(path: Path, data: bytes, fmt: str = "docx", force: bool = False) -> None:
    """Fingerprint the draft and put it at path: never over a file someone edited or has open (unless
    --force), never over one saved while drafter writes, whatever --force says."""
    check_name(path)
    try:
        if path.is_dir():
            raise DrafterError(Problem(f"输出路径 {path} 是一个文件夹，请写文件名，例如 -o {path / '发言稿.docx'}"))
        if not path.parent.is_dir():
            raise DrafterError(Problem(f"输出文件夹不存在：{path.parent}"))
        files.tidy(path.parent, _untouched_by_suffix)
        checked = files.signature(path)  # before it is read: a save after this shows as a change
    except OSError as error:
        raise DrafterError(Problem(f"无法访问 {path}：{error.strerror or error}")) from None
    if not force:
        reason = refuse_reason(path, fmt)
        if reason:
            raise DrafterError(Problem(f"没有覆盖：{reason}{ADVICE}"))
    data = stamp(data) if fmt == "docx" else mark_text(data, fmt)
    try:
        files.place(path, data, _mode_for(path), checked, functools.partial(is_untouched, fmt=fmt))
    except files.Conflict as conflict:
        raise DrafterError(Problem(_conflict_message(path, conflict))) from None
    except OSError as error:
        raise DrafterError(Problem(f"无法写出 {path}：{error.strerror or error}")) from None


def write_edited(path: Path, data: bytes, read_as: Optional[files.Signature] = None, force: bool = False) -> None:
    """A document staff have edited, written back (drafter refresh): never fingerprinted as drafter's own,
    so no later draft replaces it unasked. In place (``read_as``: its signature when it was read) only
    while no program has it open and nobody has saved it since; under a new name with the usual refusals."""
    check_name(path)
    if read_as is None and not force:
        reason = refuse_reason(path)
        if reason:
            raise DrafterError(Problem(f"没有覆盖：{reason}{ADVICE}"))
    for lock, program in _lock_files(path.name) if read_as is not None else ():
        if os.path.lexists(path.with_name(lock)):
            raise DrafterError(Problem(f"没有改动：{path} 正在被 {program} 打开（有锁文件 {lock}），请先关闭它"))
    try:
        checked = read_as if read_as is not None else files.signature(path)
        files.place(path, data, _mode_for(path), checked, lambda _: False)
    except files.Conflict as conflict:
        raise DrafterError(Problem(_conflict_message(path, conflict))) from None
    except OSError as error:
        raise DrafterError(Problem(f"无法写出 {path}：{error.strerror or error}")) from None


def write_stream(stream: BinaryIO, data: bytes, fmt: str) -> None:
    """-o -: the document to a pipe. A .docx is fingerprinted all the same, so that a file it is
    redirected to can be rewritten later; a preview gets no last line: there is nothing to protect."""
    try:
        stream.write(stamp(data) if fmt == "docx" else data)
        stream.flush()
    except OSError as error:
        raise DrafterError(Problem(f"无法写到标准输出：{error.strerror or error}")) from None


def _conflict_message(path: Path, conflict: files.Conflict) -> str:
    if conflict.placed:
        return (f"已写出 {path}，但原来的文件在被替换时又被写入过，写入后的内容已另存为 {conflict.kept.name}，"
                "请核对")
    where = "仍在原处" if conflict.kept == path else f"已另存为 {conflict.kept.name}（原名又被占用）"
    return (f"没有覆盖：{path} 在 drafter 写出期间被别的程序保存过，保存的内容{where}。"
            "请核对后重新运行，或用 -o 另存为新文件。")


def _untouched_by_suffix(path: Path) -> bool:
    return is_untouched(path, path.suffix.lower().lstrip("."))


def _mode_for(path: Path) -> int:
    """The replaced file's permissions, or what a new file gets under the user's umask."""
    try:
        return path.stat().st_mode & 0o777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask
