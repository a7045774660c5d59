"""Reading the text of a file staff or template authors wrote (fact sheets, schemas, layouts).

Only a regular file of sensible size is read at all: a device (/dev/zero), a pipe or a 1 GB file
picked by mistake must be refused at once, not read until memory runs out or forever. The bytes are
then decoded as UTF-8 (with or without BOM), UTF-16 with BOM (Notepad's "Unicode") or, for a file
with no UTF-8 text in it, GB18030 with a warning.
"""
from __future__ import annotations

import codecs
import os
import re
import stat
from pathlib import Path
from typing import List, Tuple, Union

from .errors import DrafterError, Problem

#: No sheet, schema or layout comes near this; a larger file is the wrong file.
MAX_FILE_BYTES = 16 * 1024 * 1024

# What YAML counts as a line break, so our line numbers agree with its marks.
LINE_BREAK = re.compile("\r\n|[\r\n\x85\u2028\u2029]")
_UNDECODED = re.compile("[\udc80-\udcff]")  # a byte UTF-8 could not decode, under surrogateescape


def read_bytes(path: Union[str, Path], what: str = "文件") -> bytes:
    """The file's bytes, or DrafterError saying in Chinese why not; never more than MAX_FILE_BYTES
    are read, even from a file that grows while it is read."""
    file = str(path)
    try:
        info = os.stat(path)
        if stat.S_ISDIR(info.st_mode):
            raise IsADirectoryError
        if not stat.S_ISREG(info.st_mode):
            raise DrafterError(Problem("这不是普通文件（而是设备、管道等特殊文件），无法读取", file))
        if info.st_size <= MAX_FILE_BYTES:
            with Path(path).open("rb") as stream:
                raw = stream.read(MAX_FILE_BYTES + 1)
            if len(raw) <= MAX_FILE_BYTES:
                return raw
        raise DrafterError(Problem(f"文件太大：超过 {MAX_FILE_BYTES // (1024 * 1024)} MB 的上限，{what}不会这么大，"
                                   "请检查是否选错了文件", file))
    except FileNotFoundError:
        message = "找不到文件，请检查文件名和所在文件夹"
    except IsADirectoryError:
        message = "这是一个文件夹，不是文件"
    except PermissionError:
        # Windows reports reading a folder as a permission problem.
        message = "这是一个文件夹，不是文件" if os.path.isdir(path) else "没有权限读取这个文件"
    except OSError as error:
        message = f"无法读取文件（{error.strerror or error}）"
    raise DrafterError(Problem(message, file))


def decode(raw: bytes, file: str) -> Tuple[str, List[Problem]]:
    """The text and any warning: UTF-8 (with or without BOM), UTF-16 with BOM, else GB18030.

    A file that is mostly UTF-8 with a few bytes that are not (a line pasted from a GBK file) is a
    UTF-8 file with a bad line: that line is reported, not a guess at another encoding.
    """
    if raw[:2] in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):
        try:
            return raw.decode("utf-16"), []
        except UnicodeDecodeError:
            raise DrafterError(
                Problem("文件标明是 UTF-16 编码，但内容不完整，无法读取；请另存为 UTF-8 编码", file)
            ) from None
    body = raw[len(codecs.BOM_UTF8):] if raw.startswith(codecs.BOM_UTF8) else raw
    try:
        return body.decode("utf-8"), []
    except UnicodeDecodeError as error:
        first_bad = error.start
    if _mostly_utf8(body):
        before = LINE_BREAK.split(body[:first_bad].decode("utf-8"))
        raise DrafterError(Problem(
            "这里有不是 UTF-8 编码的文字（常见于从 GBK 编码的文件复制来的内容），无法读取；"
            "请删掉这一处重新输入，再按 UTF-8 编码保存", file, len(before), len(before[-1]) + 1))
    try:
        text = raw.decode("gb18030")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise DrafterError(
            Problem("无法识别文件的编码（既不是 UTF-8 也不是 GB18030），请用 UTF-8 编码另存", file, line)
        ) from None
    warning = Problem(
        "文件不是 UTF-8 编码，已按 GB18030（GBK）读取；建议另存为 UTF-8 编码（记事本“另存为”时在“编码”处选择 UTF-8）",
        file,
    )
    return text, [warning]


def _mostly_utf8(raw: bytes) -> bool:
    """More characters that decode as UTF-8 multi-byte sequences than bytes that do not: GBK text
    read as UTF-8 gives at most a few accidental sequences among many bad bytes."""
    text = raw.decode("utf-8", "surrogateescape")
    bad = len(_UNDECODED.findall(text))
    non_ascii = len(text) - len(text.encode("ascii", "ignore"))
    return non_ascii - bad > bad
