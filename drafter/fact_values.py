"""Values as staff write them: the types a schema declares, read from text, and quoted back.

A sheet says 是 for true, 2024年4月23日 for a date and "18" for a number; the schema compiler hands
these readings to Cerberus as coercions, the validator compares an end with its start through them,
and messages quote a value the way drafts print it. Kept apart so that the schema, the validator
and the messages share one idea of what a date is.
"""
from __future__ import annotations

import calendar
import datetime
import re
from typing import Any

from .zh import zh_date

#: Our types and the Chinese name staff see for each.
TYPE_NAMES = {
    "string": "文字",
    "integer": "整数",
    "boolean": "是/否",
    "date": "日期",
    "list": "列表",
    "dict": "映射（键: 值）",
}

_INTEGER = re.compile(r"\s*[+-]?(\d+)\s*\Z")
_MAX_DIGITS = 18  # no fact needs more; Python refuses to convert over 4300, in English
_DATE_FORMS = (
    re.compile(r"(?P<y>\d{4})\s*(?P<sep>[-/.])\s*(?P<m>\d{1,2})\s*(?P=sep)\s*(?P<d>\d{1,2})\Z"),
    re.compile(r"(?P<y>\d{4})\s*年\s*(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*日\Z"),
)
_TRUE_WORDS = ("是", "对", "true", "yes")
_FALSE_WORDS = ("否", "错", "false", "no")


def _to_integer(value: Any) -> Any:
    if not isinstance(value, str):
        return value
    found = _INTEGER.match(value)
    if not found:
        raise ValueError(f"“{brief(value)}”不是整数")
    if len(found.group(1)) > _MAX_DIGITS:
        raise ValueError(f"“{brief(value)}”有 {len(found.group(1))} 位数字，太长了，不是可用的整数")
    return int(value)


def _to_boolean(value: Any) -> Any:
    if not isinstance(value, str):
        return value
    word = value.strip().lower()
    if word in _TRUE_WORDS:
        return True
    if word in _FALSE_WORDS:
        return False
    raise ValueError(f"应填“是”或“否”，实际是“{brief(value)}”")


_YEARLESS = re.compile(r"(?P<m>\d{1,2})\s*(?:月\s*(?P<d1>\d{1,2})\s*日|[-/.]\s*(?P<d2>\d{1,2}))\Z")


def with_year(value: Any, year: Any) -> Any:
    """3月28日 (or 03-28) in a sheet of 年度 2024 is 2024-03-28: a release gives dates without their
    year, and the sheet already says which year it is about. Anything else is left as written."""
    if not isinstance(value, str) or year is None:
        return value
    found = _YEARLESS.match(value.strip())
    if not found or not str(year).strip().isdigit():
        return value
    return f"{str(year).strip()}-{found.group('m')}-{found.group('d1') or found.group('d2')}"


def parse_date(value: Any) -> Any:
    """A date as staff write it (2024-04-23, 2024/4/23, 2024年4月23日); ValueError says why not."""
    if not isinstance(value, str):
        return value
    text = value.strip()
    found = next((m for m in (form.match(text) for form in _DATE_FORMS) if m), None)
    if found is None:
        reason = "请写成 2024-04-23、2024/4/23、2024.4.23 或 2024年4月23日；事实表写了年度时也可只写 4月23日"
    else:
        year, month, day = (int(found.group(part)) for part in "ymd")
        if year < 1:
            reason = "年份应为 1～9999"
        elif not 1 <= month <= 12:
            reason = "月份应为 1～12"
        else:
            days = calendar.monthrange(year, month)[1]
            if 1 <= day <= days:
                return datetime.date(year, month, day)
            reason = f"{year}年{month}月只有 {days} 天" if day > days else f"日应为 1～{days}"
    raise ValueError(f"“{brief(value)}”不是有效的日期（{reason}）")


# The coercions our ``integer``, ``boolean`` and ``date`` types imply, given to Cerberus as callables:
# a Validator subclass with _normalize_coerce_* methods would cost ~10 ms at import (Cerberus's
# metaclass parses every rule's docstring for each new class).
COERCIONS = {"integer": _to_integer, "boolean": _to_boolean, "date": parse_date}
PYTHON_TYPES = {"integer": int, "date": datetime.date}  # what the coercions make, for min, max, not_before


def show(value: Any) -> str:
    """A value as a message quotes it: 是/否, a date as drafts print it, anything else as text."""
    if isinstance(value, bool):
        return "是" if value else "否"
    return zh_date(value)


def brief(text: str) -> str:
    """A value quoted in a message: a long one cut short."""
    return text if len(text) <= 20 else text[:20] + "…"

