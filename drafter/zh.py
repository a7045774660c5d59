"""Chinese text helpers, exposed to templates as Jinja filters.

They only arrange facts (dates, lists, clause and sentence ends, half-width punctuation in Chinese
text); none of them makes up a word of content.
"""
from __future__ import annotations

import datetime
import re
from collections import Counter
from typing import Iterable, Optional, Tuple

SENTENCE_ENDS = ("。", "！", "？", "……", "。”", "！”", "？”", "……”")


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


def zh_join(items: Iterable, sep: str = "、", last: Optional[str] = None) -> str:
    """A、B和C; with another separator (zh_join('，')) every item is joined by it alone,
    unless the last joint is named too (zh_join('，', '以及'))."""
    words = [str(i) for i in items]
    if last is None:
        last = "和" if sep == "、" else sep
    if len(words) < 2:
        return "".join(words)
    return sep.join(words[:-1]) + last + words[-1]


def zh_list(items: Iterable) -> str:
    """A、B和C — or A，B，C when an item has its own 、 or 和, which would blur where items end."""
    words = [str(i) for i in items]
    if any(mark in word for word in words for mark in "、和及"):
        return "，".join(words)
    return zh_join(words)


def zh_sentence(value) -> str:
    """Close a clause with 。 unless the writer already ended it."""
    text = str(value).rstrip()
    if not text or text.endswith(SENTENCE_ENDS):
        return text
    return zh_clause(text) + "。"  # clause marks left at the end of a paragraph become its 句号


def zh_clauses(items: Iterable, sep: str = "；") -> str:
    """要A；要B。 — clauses in one sentence: each item's own end mark gives way to the separator."""
    parts = [zh_clause(i) for i in items]
    return zh_sentence(sep.join(p for p in parts if p))


def zh_clause(value) -> str:
    """A clause without its end mark (。；，、：), ready for the separator a template puts after it."""
    text = str(value).strip()
    while text and (text[-1] in "。；;，,、：:" or (text[-1] == "." and not text[-2:-1].isdigit())):
        text = text[:-1].rstrip()
    return text


def zh_headline(value) -> str:
    """Headlines and news subheads carry no commas: 抓落实，见成效 → 抓落实　见成效 (a full-width space)."""
    text = str(value).strip()
    text = re.sub(r"\s*[，；,;]\s*", "\u3000", text)
    return re.sub(r"[。.]$", "", text)


def zh_day(value, year=None, time=None) -> str:
    """4月19日上午 — a news lead's date: the year only when it is not the sheet's (or none is given)."""
    if not isinstance(value, datetime.date):
        return str(value) + (str(time) if time else "")
    day = zh_month_day(value) if year is not None and _same_year(value, year) else zh_date(value)
    return day + (str(time) if time else "")


def zh_days(start, end=None, year=None) -> str:
    """6月18日至20日, 6月28日至7月2日, 2024年12月30日至2025年1月2日: the span of a training or visit."""
    if not isinstance(end, datetime.date) or not isinstance(start, datetime.date) or end == start:
        return zh_day(start, year)
    first = zh_day(start, year)
    if end.year != start.year:
        return f"{first}至{zh_date(end)}"
    if end.month != start.month:
        return f"{first}至{end.month}月{end.day}日"
    return f"{first}至{end.day}日"


def _same_year(value: datetime.date, year) -> bool:
    try:
        return value.year == int(year)
    except (TypeError, ValueError):
        return False


_DIGITS = "零一二三四五六七八九"


def zh_numeral(n: int) -> str:
    """1 → 一, 10 → 十, 21 → 二十一: for heading numbers (一、（二）), up to 99."""
    if not 0 < n < 100:
        return str(n)
    tens, ones = divmod(n, 10)
    head = "" if tens == 0 else ("十" if tens == 1 else _DIGITS[tens] + "十")
    return head + (_DIGITS[ones] if ones else "")


# --------------------------------------------------------------------------- punctuation

#: Half-width marks that web copy-paste leaves in Chinese text, and what GB/T 15834 wants there.
FULL_WIDTH = {",": "，", ":": "：", ";": "；", "(": "（", ")": "）", "!": "！", "?": "？"}

_HALF_WIDTH = re.compile("[" + re.escape("".join(FULL_WIDTH)) + "]")
# Characters that make their neighbourhood Chinese: 汉字, CJK and full-width punctuation, curly quotes.
# Ranges tested by hand: as a regex character class they cost ~5 ms to compile at every start.
_CHINESE_RANGES = ((0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF), (0x3000, 0x303F), (0xFF00, 0xFFEF))
_CHINESE_MARKS = "\u2018\u2019\u201c\u201d\u2014\u2026"
# Runs that stay ASCII whatever surrounds them: web and mail addresses.
_PROTECTED = re.compile(r"(?:https?://|ftp://|www\.)[\x21-\x7e]+|[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.ASCII)


def normalise_punctuation(text: str) -> Tuple[str, Counter]:
    """Half-width , : ; ( ) ! ? in Chinese text → full-width, with a count of each change.

    A mark is in Chinese text when the nearest non-space character on either side is Chinese;
    a bracket pair changes together when any side of either bracket is Chinese, so (1)建立 becomes
    （1）建立. ASCII inside numbers and Latin (3,000  1:500  f(x)) and in addresses stays as it is;
    spaces around a changed mark go, since Chinese text has none. A changed mark makes its
    neighbours Chinese too (x,(中 → x，（中), so passes repeat until nothing changes.
    """
    counts: Counter = Counter()
    if not _HALF_WIDTH.search(text):
        return text, counts  # most values have nothing to change
    while True:
        text, changed = _normalise_once(text)
        if not changed:
            return text, counts
        counts.update(changed)


def _normalise_once(text: str) -> Tuple[str, Counter]:
    protected = [False] * len(text)
    for match in _PROTECTED.finditer(text):
        protected[match.start():match.end()] = [True] * (match.end() - match.start())
    change = [False] * len(text)
    opening = []
    for index, char in enumerate(text):
        if protected[index] or char not in FULL_WIDTH:
            continue
        if char == "(":
            opening.append(index)
        elif char == ")" and opening:
            start = opening.pop()
            chinese = (_chinese_beside(text, start) or _chinese_beside(text, index)
                       or any(map(_is_chinese, text[start:index])))
            change[start] = change[index] = chinese
        else:
            change[index] = _chinese_beside(text, index)
    for start in opening:  # an unpaired "(" decides alone
        change[start] = _chinese_beside(text, start)
    if not any(change):
        return text, Counter()
    counts: Counter = Counter()
    out = []
    for index, char in enumerate(text):
        if not change[index]:
            if char.isspace() and _next_to_change(text, change, index):
                continue
            out.append(char)
            continue
        counts[(char, FULL_WIDTH[char])] += 1
        out.append(FULL_WIDTH[char])
    return "".join(out), counts


def _chinese_beside(text: str, index: int) -> bool:
    before = text[:index].rstrip()
    after = text[index + 1:].lstrip()
    return bool((before and _is_chinese(before[-1])) or (after and _is_chinese(after[0])))


def _is_chinese(char: str) -> bool:
    code = ord(char)
    return char in _CHINESE_MARKS or any(low <= code <= high for low, high in _CHINESE_RANGES)


def _next_to_change(text: str, change: list, index: int) -> bool:
    """A space in the run of spaces just before or after a changed mark."""
    left = index
    while left > 0 and text[left - 1].isspace():
        left -= 1
    right = index
    while right < len(text) - 1 and text[right + 1].isspace():
        right += 1
    return (left > 0 and change[left - 1]) or (right < len(text) - 1 and change[right + 1])


def zh_punctuation(value) -> str:
    """The filter form of :func:`normalise_punctuation`: just the text."""
    return normalise_punctuation(str(value))[0]


def describe_changes(counts: Counter) -> str:
    """“,”→“，”（2 处）、“(”→“（”（1 处）: what :func:`normalise_punctuation` did, for a warning."""
    return "、".join(f"“{old}”→“{new}”（{n} 处）" for (old, new), n in counts.items())


FILTERS = {
    "zh_date": zh_date,
    "zh_month_day": zh_month_day,
    "zh_day": zh_day,
    "zh_days": zh_days,
    "zh_join": zh_join,
    "zh_list": zh_list,
    "zh_sentence": zh_sentence,
    "zh_clause": zh_clause,
    "zh_clauses": zh_clauses,
    "zh_headline": zh_headline,
    "zh_numeral": zh_numeral,
    "zh_punctuation": zh_punctuation,
}
