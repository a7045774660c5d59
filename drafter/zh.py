"""Chinese text helpers, exposed to templates as Jinja filters.

They only arrange facts (dates, lists, sentence ends); none of them makes up a word of content.
"""
from __future__ import annotations

import datetime
from typing import Iterable

SENTENCE_ENDS = ("。", "！", "？", "；", "：", "……")


def zh_date(value) -> str:
    """2024年4月23日 — GB/T 9704 §7.3.5.4: full year, no zero padding."""
    if isinstance(value, datetime.date):
        return f"{value.year}年{value.month}月{value.day}日"
    return str(value)


def zh_month_day(value) -> str:
    """4月23日 — the news lead's form when the year is that of the sheet."""
    if isinstance(value, datetime.date):
        return f"{value.month}月{value.day}日"
    return str(value)


def zh_join(items: Iterable, sep: str = "、", last: str = "和") -> str:
    """A、B和C; with another separator (zh_join('，')) every item is joined by it alone."""
    words = [str(i) for i in items]
    if sep != "、":
        last = sep
    if len(words) < 2:
        return "".join(words)
    return sep.join(words[:-1]) + last + words[-1]


def zh_sentence(value) -> str:
    """Close a clause with 。 unless the writer already ended it."""
    text = str(value).rstrip()
    if not text or text.endswith(SENTENCE_ENDS):
        return text
    if text[-1] in "，,、;；.":
        text = text[:-1]
    return text + "。"


_DIGITS = "零一二三四五六七八九"


def zh_numeral(n: int) -> str:
    """1 → 一, 10 → 十, 21 → 二十一: for heading numbers (一、（二）), up to 99."""
    if not 0 < n < 100:
        return str(n)
    tens, ones = divmod(n, 10)
    head = "" if tens == 0 else ("十" if tens == 1 else _DIGITS[tens] + "十")
    return head + (_DIGITS[ones] if ones else "")



FILTERS = {
    "zh_date": zh_date,
    "zh_month_day": zh_month_day,
    "zh_join": zh_join,
    "zh_sentence": zh_sentence,
    "zh_numeral": zh_numeral,
}
