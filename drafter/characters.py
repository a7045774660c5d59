"""Characters nobody can see (or that are not text at all), found in what was written and named.

Copying from web pages, WeChat or Word brings zero-width characters and direction controls: in a
value they would go into the document unseen (U+202E shows the rest of the line backwards), and in
a key they make 简称 a field nobody can tell from the real one. Messages name each such character by
its code and a Chinese name, since staff cannot see it to find it.
"""
from __future__ import annotations

import re
from typing import Optional, Tuple

# Zero-width characters and Unicode's direction controls (Bidi_Control).
_INVISIBLE = "\u200b-\u200f\u2060-\u2064\u061c\u202a-\u202e\u2066-\u2069\ufeff"
# What a Word file cannot hold.
_NOT_XML = "\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff"
# Noncharacters: drafter marks spots in the texts it builds with them.
_MARKERS = "\ufdd0-\ufdef"

_IN_VALUES = re.compile(f"[{_INVISIBLE}{_NOT_XML}{_MARKERS}]")
_INVISIBLE_CHAR = re.compile(f"[{_INVISIBLE}]")
_MARKER_CHAR = re.compile(f"[{_MARKERS}]")
# In a key also every other control and every space but an ASCII one inside it (Times New Roman).
_IN_KEYS = re.compile(f"[{_INVISIBLE}{_NOT_XML}{_MARKERS}\t\n\r\x7f-\xa0\u1680\u2000-\u200a\u2028-\u202f"
                      "\u205f\u3000]|^ | \\Z")

_NAMES = {
    0x20: "空格", 0xA0: "不换行空格", 0x3000: "全角空格", 0x2028: "行分隔符", 0x2029: "段落分隔符",
    0x200B: "零宽空格", 0x200C: "零宽不连字", 0x200D: "零宽连字", 0x2060: "零宽连接符",
    0xFEFF: "零宽不换行空格（BOM）", 0x200E: "从左到右标记", 0x200F: "从右到左标记", 0x061C: "阿拉伯字母标记",
    0x202A: "从左到右嵌入", 0x202B: "从右到左嵌入", 0x202C: "方向格式结束", 0x202D: "从左到右覆盖",
    0x202E: "从右到左覆盖", 0x2066: "从左到右隔离", 0x2067: "从右到左隔离", 0x2068: "首字方向隔离",
    0x2069: "方向隔离结束",
}


def without_invisible(text: str) -> str:
    """The text as a reader sees it: 三\u200b点 is 三点."""
    return _INVISIBLE_CHAR.sub("", text)


def _name(char: str) -> str:
    """零宽空格, 从右到左覆盖, 全角空格, 控制字符 …: what staff are told they cannot see."""
    code = ord(char)
    if code in _NAMES:
        return _NAMES[code]
    if code < 0x20 or 0x7F <= code <= 0x9F:
        return "控制字符"
    if 0x2061 <= code <= 0x2064:
        return "不可见运算符"
    if 0xFDD0 <= code <= 0xFDEF or code in (0xFFFE, 0xFFFF) or 0xD800 <= code <= 0xDFFF:
        return "非字符"
    return "特殊空格"


def in_value(value: str) -> Optional[Tuple[int, str]]:
    """(index, message) of the first character a value must not carry, or None (one regex search)."""
    found = _IN_VALUES.search(value)
    if found is None:
        return None
    char = found.group()
    code = f"U+{ord(char):04X}"
    if _INVISIBLE_CHAR.match(char):
        message = (f"含有看不见的字符 {code}（{_name(char)}），常见于从网页、微信或 Word 复制的文字，"
                   "会原样带进文稿；请删掉它（看不到时可删掉这段文字重新输入）")
    elif _MARKER_CHAR.match(char):
        message = f"含有 {code}，它不是文字（Unicode 非字符，drafter 内部用作标记），请删掉它"
    else:
        message = f"含有 Word 文件无法保存的控制字符 {code}（可能来自引号里的“\\x..”或“\\u..”转义），请删掉它"
    return found.start(), message


def in_key(key: str) -> Optional[str]:
    """A message naming the first invisible character, control or odd space in or around a key."""
    found = _IN_KEYS.search(key)
    if found is None:
        return None
    char = found.group()
    where = "开头" if found.start() == 0 else "末尾" if found.end() == len(key) else "中间"
    shown = _IN_KEYS.sub(lambda m: m.group() if m.group() in " \u3000" else "", key)
    return f"字段名“{shown}”{where}有一个{_name(char)}（U+{ord(char):04X}），请删掉它"
