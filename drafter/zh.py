"""Chinese text helpers, exposed to templates as Jinja filters.

They only arrange facts (dates, lists, clause and sentence ends, half-width punctuation in Chinese
text); none of them makes up a word of content. Given facts (provenance.py), they keep each fact's
source on the stretch of their result that is that fact; given plain text, they return plain text.
"""
from __future__ import annotations

import datetime
import re
from collections import Counter
from typing import Any, Iterable, List, Optional, Tuple

from . import characters
from . import provenance as pv
from . import richtext as rt

SENTENCE_ENDS = ("。", "！", "？", "……", "。”", "！”", "？”", "……”")


def zh_date(value) -> Any:
    """2024年4月23日 — GB/T 9704 §7.3.5.4: full year, no zero padding."""
    if isinstance(value, datetime.date):
        return rt.form(value, pv.date_text(value))
    return value if rt.is_marked(value) else str(value)


def zh_month_day(value) -> Any:
    """4月23日 — the news lead's form when the year is that of the sheet."""
    if isinstance(value, datetime.date):
        return rt.form(value, f"{value.month}月{value.day}日")
    return value if rt.is_marked(value) else str(value)


def zh_join(items: Iterable, sep: str = "、", last: Optional[str] = None) -> Any:
    """A、B和C; with another separator (zh_join('，')) every item is joined by it alone,
    unless the last joint is named too (zh_join('，', '以及'))."""
    words = list(items)
    if last is None:
        last = "和" if sep == "、" else sep
    if len(words) < 2:
        return rt.concat(*words)
    return rt.concat(*_between(words[:-1], sep), last, words[-1])


def _between(words: List[Any], sep: str) -> List[Any]:
    """[a, sep, b, sep, c]."""
    parts: List[Any] = []
    for word in words:
        parts += [sep, word] if parts else [word]
    return parts


def zh_list(items: Iterable) -> Any:
    """A、B和C — or A，B，C when an item has its own 、 or 和, which would blur where items end."""
    words = list(items)
    if any(mark in str(word) for word in words for mark in "、和及"):
        return rt.concat(*_between(words, "，"))
    return zh_join(words)


def zh_sentence(value) -> Any:
    """Close a clause with 。 unless the writer already ended it — or ended it with a colon that opens
    what follows (宣读表彰决定：), or wrote it all in brackets (a stage direction: （宣读完毕））."""
    text = rt.cut(value, 0, len(str(value).rstrip()))
    visible = _visible(text) if text else ""
    if not text or visible.endswith(SENTENCE_ENDS + ("：",)) or visible.startswith("（") and visible.endswith("）"):
        return text
    return rt.concat(zh_clause(text), "。")  # clause marks left at the end of a paragraph become its 句号


def _visible(value: Any) -> str:
    """The text a reader sees: rendered markup (a macro's output) without drafter's fact marks."""
    return pv.strip_marks(value) if isinstance(value, pv.Outline) else str(value)


def zh_clauses(items: Iterable, sep: str = "；") -> Any:
    """要A；要B。 — clauses in one sentence: each item's own end mark gives way to the separator."""
    parts = [zh_clause(i) for i in items]
    return zh_sentence(rt.concat(*_between([p for p in parts if p], sep)))


def zh_clause(value) -> Any:
    """A clause without its end mark (。；，、：), ready for the separator a template puts after it."""
    text = str(value)
    start, end = len(text) - len(text.lstrip()), len(text.rstrip())
    while end > start and (text[end - 1] in "。；;，,、：:" or (text[end - 1] == "." and not text[end - 2:end - 1].isdigit())):
        end = len(text[:end - 1].rstrip())
    return rt.cut(value, start, max(start, end))


def zh_after(value, prefix) -> Any:
    """What follows a prefix the sheet also gives, printed once before (表彰了{表彰名义}{类别的其余部分}):
    still the sheet's words; a value that does not start with the prefix is given whole. The prefix
    must be a value of the sheet: cutting a fact at any other place would change what it says."""
    if not prefix:
        return value
    if not pv.is_fact(prefix):
        raise pv.NotFromSheet(f"zh_after 的开头必须是事实表里的值（这里是模板自己写的“{prefix}”）")
    text, head = str(value), str(prefix)
    if not text.startswith(head) or len(text) <= len(head):
        return value
    return rt.cut(value, len(head), len(text))


def zh_headline(value) -> Any:
    """Headlines and news subheads carry no commas: 抓落实，见成效 → 抓落实　见成效 (a full-width space)."""
    value = rt.transform(value, lambda text: re.sub(r"\s*[，；,;]\s*", "\u3000", text))
    text = str(value)
    start, end = len(text) - len(text.lstrip()), len(text.rstrip())
    if end > start and text[end - 1] in "。.":
        end -= 1
    return rt.cut(value, start, end)


def zh_day(value, year=None, time=None) -> Any:
    """4月19日上午 — a news lead's date: the year only when it is not the sheet's (or none is given)."""
    if not isinstance(value, datetime.date):
        return rt.concat(value, time) if time else zh_date(value)
    day = zh_month_day(value) if year is not None and _same_year(value, year) else zh_date(value)
    return rt.concat(day, time) if time else day


def zh_days(start, end=None, year=None) -> Any:
    """6月18日至20日, 6月28日至7月2日, 2024年12月30日至2025年1月2日: the span of a training or visit."""
    if not isinstance(end, datetime.date) or not isinstance(start, datetime.date) or end == start:
        return zh_day(start, year)
    first = zh_day(start, year)
    if end.year != start.year:
        return rt.concat(first, "至", zh_date(end))
    if end.month != start.month:
        return rt.concat(first, "至", rt.form(end, f"{end.month}月{end.day}日"))
    return rt.concat(first, "至", rt.form(end, f"{end.day}日"))


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


def zh_count(n: int) -> str:
    """How many, in Chinese: 两点意见, 两个领域 — but 二是 and 第二 for positions (zh_numeral)."""
    return "两" if n == 2 else zh_numeral(n)


def zh_counted(value) -> Any:
    """The filter zh_numeral: a count or position drafter made from one of the sheet's lists
    (loop.index over it, its |length), or a whole number of the sheet, in Chinese. A number the
    template made up (21, year + 1, range(3)) has no Chinese form here: it is not a fact."""
    if isinstance(value, pv.Count) or (pv.is_fact(value) and isinstance(value, int)):
        if not 0 < int(value) < 100:
            raise pv.NotFromSheet(f"zh_numeral 只写 1～99，这里是“{int(value)}”")
        counting = isinstance(value, pv.Count) and value.counting.kind == "计数"
        return rt.form(value, zh_count(int(value)) if counting else zh_numeral(int(value)))
    raise pv.NotFromSheet(f"zh_numeral 只能写由事实表数出的序号或个数（事实表列表循环里的 loop.index、"
                          f"事实表列表|length）或事实表里的整数，不能写模板自己的数“{value}”")


# --------------------------------------------------------------------------- numbers in framing

_CHINESE_NUMERALS = "零〇一二两三四五六七八九十百千万亿"
_FINANCIAL = "壹贰叁肆伍陆柒捌玖拾佰仟"  # 大写数字; 伍 陆 肆 拾 also write 队伍, 大陆, 肆意, 收拾
_ONLY_NUMERALS = "壹贰叁捌玖廿卅卌"  # never anything but a number
_NUMERALS = re.compile(f"[{_CHINESE_NUMERALS}{_FINANCIAL}{_ONLY_NUMERALS}]+")
# Digits of every script (\d), and the number forms a Chinese text may carry: ² ½ Ⅲ ① ❶ 〡 ㈠ ㊀.
_MAYBE_NUMBER = re.compile(f"[\\d{_CHINESE_NUMERALS}{_FINANCIAL}{_ONLY_NUMERALS}\u00b2\u00b3\u00b9\u00bc-\u00be"
                           "\u2070-\u209f\u2150-\u218f\u2460-\u24ff\u2776-\u2793\u3021-\u3029\u3038-\u303a"
                           "\u3192-\u3195\u3220-\u3229\u3248-\u324f\u3251-\u325f\u3280-\u3289\u32b1-\u32bf]")
#: What 一 counts when it is a quantity (一个, 一项 …); 一年来, 一些, 进一步, 统一 count nothing.
ONE_COUNTS = tuple("个项次名位批场件条家户处所座种类")
#: Words whose numerals count nothing: 千万不能, 万一, 一一对应, 十分重要, 老百姓.
NUMERAL_WORDS = ("千万不", "千万别", "千万要", "万一", "一一", "十分", "万分", "百姓", "千秋", "万物", "再三", "三思",
                 "千方百计", "三番五次", "四面八方", "五湖四海", "七上八下", "千家万户", "万众一心", "十全十美",
                 "百尺竿头", "千锤百炼", "百折不挠", "万无一失", "接二连三", "三令五申", "独一无二", "百花齐放",
                 "百家争鸣", "一五一十", "九牛一毛", "千载难逢", "万紫千红", "千军万马")


def _is_ideograph(char: str) -> bool:
    code = ord(char)
    return 0x3400 <= code <= 0x9FFF or 0xF900 <= code <= 0xFAFF or code >= 0x20000


def invented_number(text: str) -> Optional[str]:
    """The first number in text that is not a fact's: any digit of any script (21, ２１, ①, Ⅲ, ²),
    大写 numerals (贰拾壹), and Chinese numerals, which in a template's own words are all quantities
    or enumerators (三点, 二十一个, 约三万人次, 第二, 二是, 两个) — but for the 一 of 进一步, 统一,
    一年来 (一 only when it counts: 一个, 一项) and words such as 十分, 千万不, 百姓."""
    if text.isascii():
        found = re.search(r"\d+", text)
        return found.group() if found else None
    if not _MAYBE_NUMBER.search(text):
        return None  # most framing text: nothing that could be a number
    text = characters.without_invisible(text)  # 三\u200b点 is 三点
    for index, char in enumerate(text):
        if char.isnumeric() and not _is_ideograph(char) and char != "〇":  # 21, ２１, ①, Ⅲ, ², ٢١
            end = index
            while end < len(text) and (text[end].isnumeric() or text[end] in ".．") and not _is_ideograph(text[end]):
                end += 1
            return text[index:end].rstrip(".．")
    for match in _NUMERALS.finditer(text):
        run, start, end = match.group(), match.start(), match.end()
        if any(word in text[max(0, start - 4):end + 4] and run in word for word in NUMERAL_WORDS):
            continue
        if len(run) == 1 and (run == "一" and text[end:end + 1] not in ONE_COUNTS
                              or run in _FINANCIAL and run not in _ONLY_NUMERALS):
            continue
        before = text[start - 1:start]
        return text[start - 1 if before in "第约近共达逾超" and start else start:end + 1]
    return None


_TYPED_ENUMERATOR = re.compile(r"(?:^|(?<=[。；：！？]))[ \t\u3000]*(一[、是]|（一）|第一[，、]|一方面，|[1１][.．、](?![0-9０-９])|[（(][1１][)）])",
                               re.MULTILINE)


def typed_enumerator(text: str) -> Optional[str]:
    """An enumerator typed as text where a sentence starts (一是, 一、, （一）, 第一，, 1.): the form
    scheme makes enumerators from position, so typed ones would stand beside or against them.
    (二是, 三、 are numbers to invented_number already.)"""
    found = _TYPED_ENUMERATOR.search(text)
    return found.group(1) if found else None


# --------------------------------------------------------------------------- punctuation

#: Half-width marks that web copy-paste leaves in Chinese text, and what GB/T 15834 wants there.
FULL_WIDTH = {",": "，", ":": "：", ";": "；", "(": "（", ")": "）", "!": "！", "?": "？"}

_HALF_WIDTH = re.compile("[" + re.escape("".join(FULL_WIDTH)) + "]")
# Characters that make their neighbourhood Chinese: 汉字, CJK and full-width punctuation, curly quotes.
# Ranges tested by hand: as a regex character class they cost ~5 ms to compile at every start.
_CHINESE_RANGES = ((0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF), (0x3000, 0x303F), (0xFF00, 0xFFEF))
_CHINESE_MARKS = "\u2018\u2019\u201c\u201d\u2014\u2026"
# Runs that stay ASCII whatever surrounds them: web and mail addresses.
ADDRESSES = re.compile(r"(?:https?://|ftp://|www\.)[\x21-\x7e]+|[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.ASCII)


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


def halfwidth_in_chinese(text: str) -> List[bool]:
    """Which characters of text are half-width marks in Chinese text (see normalise_punctuation):
    what one pass makes full-width, and what 核稿 reports."""
    protected = [False] * len(text)
    for match in ADDRESSES.finditer(text):
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
            chinese = (chinese_beside(text, start) or chinese_beside(text, index)
                       or any(map(_is_chinese, text[start:index])))
            change[start] = change[index] = chinese
        else:
            change[index] = chinese_beside(text, index)
    for start in opening:  # an unpaired "(" decides alone
        change[start] = chinese_beside(text, start)
    return change


def _normalise_once(text: str) -> Tuple[str, Counter]:
    change = halfwidth_in_chinese(text)
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


def chinese_beside(text: str, index: int, width: int = 1) -> bool:
    """The nearest non-space character on either side of text[index:index + width] is Chinese."""
    before = text[:index].rstrip()
    after = text[index + width:].lstrip()
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


def zh_punctuation(value) -> Any:
    """The filter form of :func:`normalise_punctuation`: just the text."""
    return rt.transform(value, lambda text: normalise_punctuation(text)[0])


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
    "zh_after": zh_after,
    "zh_numeral": zh_counted,
    "zh_punctuation": zh_punctuation,
}
