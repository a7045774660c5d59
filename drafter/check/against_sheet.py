"""核稿 against the fact sheet: numbers, dates and people in a draft that the sheet contradicts or
cannot explain.

Drafter only copies facts, so a draft it wrote has every figure verbatim in its sheet; what a writer
changed afterwards shows up as a figure the sheet does not hold. The sheet decides only what it
holds: a figure is called wrong when a sheet figure with the same unit stands in the same words
(“区委常委会5次专题研究” → “区委常委会6次”), otherwise it is only “无来源”. Chinese-numeral counts
(三聚三强, 我讲三点意见) are never checked: they are wording, not figures.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from difflib import SequenceMatcher
from pathlib import Path
from typing import Any, Dict, Iterator, List, Optional, Sequence, Set, Tuple

from ..facts import FactSheet, PathTuple, format_path
from ..readers import ReadParagraph
from .findings import DOUBT, ERROR, HINT, SHEET, Finding

# --- reading figures -----------------------------------------------------------------------------

# Full-width digits and signs read as their ASCII twins; one character for one, so offsets hold.
_WIDTH = str.maketrans("０１２３４５６７８９％．－／", "0123456789%.-/")

_UNITS = sorted((
    "人次 场次 户次 家次 批次 架次 车次 个月 周年 学年 平方米 平方公里 公里 千米 公顷 小时 分钟 亿元 万元 千元"
    " 元 个 次 名 家 份 人 户 场 项 篇 条 件 对 类 期 批 所 处 座 套 台 辆 本 册 米 亩 吨 天 年 周 岁 倍 位"
    " 支 届 轮 组 起 首 部 幅 张 块 间 栋 层 段 点 种 例 宗 笔 单 版 集 门 株 棵 只 头 季 课 节 堂 班 号 度"
    " 分 秒"
).split(), key=len, reverse=True)
_UNIT = "|".join(re.escape(unit) for unit in dict.fromkeys(_UNITS))

# One master pattern, dates before counts so that 12月17日 is not read as 12 and 17.
_TOKEN = re.compile(
    r"(?P<iso>(?<![\d.])(?P<iy>(?:19|20)\d\d)[-/.](?P<im>\d{1,2})[-/.](?P<id>\d{1,2})(?![\d.]))"
    r"|(?P<date>(?:(?<!\d)(?P<y>(?:19|20)\d\d)\s*年\s*)?(?<!\d)(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*[日号]"
    r"(?P<tail>\s*[至到—～~－-]\s*(?:(?P<m2>\d{1,2})\s*月\s*)?(?P<d2>\d{1,2})\s*[日号])?)"
    r"|(?P<ym>(?<!\d)(?P<yy>(?:19|20)\d\d)\s*年\s*(?P<mm>\d{1,2})\s*月(?!\s*\d))"
    r"|(?P<year>(?<![\d.])(?P<yr>(?:19|20)\d\d)\s*年度?)"
    r"|(?P<month>(?<![\d.])(?P<mo>\d{1,2})\s*月(?!\s*\d))"
    r"|(?P<num>(?P<pre>(?<![节制公条契预签邀特相婚])约|第)?(?<![\d.,A-Za-z])(?P<n>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)(?![\d.]*[A-Za-z])"
    r"(?P<a1>余|多)?(?P<mult>万亿|千万|百万|万|亿)?(?P<a2>余|多)?(?P<unit>%|‰|" + _UNIT + r")?)"
)

_MULTIPLIERS = {"": 1, "万": 10 ** 4, "亿": 10 ** 8, "千万": 10 ** 7, "百万": 10 ** 6, "万亿": 10 ** 12}

# Enumerators and labels a writer numbers items with, page numbers: not figures.
_ENUMERATORS = re.compile(
    r"(?:^|(?<=[。；：！？\s]))\s*\d{1,2}\s*[.、](?!\d)"
    r"|[（(]\s*\d{1,2}\s*[）)]"
    r"|^\s*[—－-]?\s*\d{1,4}\s*[—－-]?\s*$"
    r"|第\s*\d+\s*页|共\s*\d+\s*页"
)
_TITLE_MARKS = re.compile(r"《[^《》]{1,80}》")
_CJK = re.compile(r"[\u3400-\u9fff]")


def _cjk(char: str) -> bool:
    return "\u3400" <= char <= "\u9fff"


def _left(text: str, at: int, size: int = 8) -> str:
    """The Chinese characters just before ``at``, up to a mark, digit or space: whose figure it is."""
    start = at
    while start > 0 and at - start < size and _cjk(text[start - 1]):
        start -= 1
    return text[start:at]


def _right(text: str, at: int, size: int = 8) -> str:
    end = at
    while end < len(text) and end - at < size and _cjk(text[end]):
        end += 1
    return text[at:end]


def _common_suffix(a: str, b: str) -> int:
    n = 0
    while n < len(a) and n < len(b) and a[-1 - n] == b[-1 - n]:
        n += 1
    return n


def _common_prefix(a: str, b: str) -> int:
    n = 0
    while n < len(a) and n < len(b) and a[n] == b[n]:
        n += 1
    return n


@dataclass(frozen=True)
class _Token:
    kind: str  # num, date, year, month
    form: str  # as written
    start: int
    end: int
    left: str = ""
    right: str = ""
    value: Any = None  # Decimal for num; (year or None, month, day) for date; int year; int month
    unit: str = ""  # num: the measure word without 万/亿 (元 of 4.57亿元)
    approx: str = ""  # 约／余／多 as written
    digits: str = ""  # num: the number and multiplier as written, without approximation (1.2万)


def _tokens(text: str) -> Iterator[_Token]:
    """Every figure in ``text`` (already width-folded), with its context."""
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup
        start, end = match.span()
        left, right = _left(text, start), _right(text, end)
        if kind == "iso":
            yield _Token("date", match.group(), start, end, left, right,
                         (int(match.group("iy")), int(match.group("im")), int(match.group("id"))))
        elif kind == "date":
            year = int(match.group("y")) if match.group("y") else None
            month = int(match.group("m"))
            first_end = match.start("tail") if match.group("tail") else end
            yield _Token("date", text[start:first_end], start, first_end, left, _right(text, first_end),
                         (year, month, int(match.group("d"))))
            if match.group("tail"):  # 6月18日至20日: the closing day is a date of its own
                day_at = match.start("m2") if match.group("m2") else match.start("d2")
                end_month = int(match.group("m2")) if match.group("m2") else month
                yield _Token("date", text[day_at:end], day_at, end, left, right, (year, end_month, int(match.group("d2"))))
        elif kind == "ym":
            yield _Token("month", match.group(), start, end, left, right,
                         (int(match.group("yy")), int(match.group("mm"))))
        elif kind == "year":
            yield _Token("year", match.group(), start, end, left, right, int(match.group("yr")))
        elif kind == "month":
            month = int(match.group("mo"))
            if 1 <= month <= 12:
                yield _Token("month", match.group(), start, end, left, right, (None, month))
        else:
            number = match.group("n")
            mult = match.group("mult") or ""
            try:
                value = Decimal(number.replace(",", "")) * _MULTIPLIERS[mult]
            except InvalidOperation:
                continue
            unit = match.group("unit") or ""
            approx = (match.group("pre") or "").replace("第", "") + (match.group("a1") or "") + (match.group("a2") or "")
            if match.group("pre") == "第":
                unit = "第" + unit  # an ordinal is not a count of the same thing
            yield _Token("num", match.group(), start, end, left, right, value, unit, approx, number + mult)


# --- the sheet's side ----------------------------------------------------------------------------


@dataclass(frozen=True)
class _Fact:
    token: _Token
    path: PathTuple
    siblings: Tuple[str, ...] = ()  # texts beside a whole-value date or figure (名称, 地点, 类别…)


@dataclass(frozen=True)
class _Person:
    name: str
    titles: Tuple[Tuple[str, PathTuple], ...]  # (职务 or 单位＋职务 as written, where)
    path: PathTuple
    group: Optional[PathTuple]  # the list it is an item of (出席领导, 带队), if any


class _Sheet:
    """What the sheet says, indexed once per check."""

    def __init__(self, sheet: FactSheet):
        self.sheet = sheet
        self.name = Path(sheet.path).name
        self.texts: List[Tuple[PathTuple, str]] = []
        self._walk(sheet.data, ())
        self.joined = "\n".join(text for _, text in self.texts)
        self.facts: List[_Fact] = []
        self.forms: Set[str] = set()
        self.years: Set[int] = set()
        self.months: Set[Tuple[Optional[int], int]] = set()
        self.dates: List[_Fact] = []
        for path, text in self.texts:
            whole = _TOKEN.fullmatch(text.strip())  # 日期: 2024-03-28, 数量: 10个 — its words are beside it
            siblings = self._siblings(path) if whole else ()
            for token in _tokens(text):
                fact = _Fact(token, path, siblings)
                if token.kind == "num":
                    self.facts.append(fact)
                    self.forms.add(token.form)
                    if not token.unit and token.form.isdigit() and 1900 <= int(token.form) <= 2099:
                        self.years.add(int(token.form))  # 年度: 2024
                elif token.kind == "date":
                    self.dates.append(fact)
                    year, month, _ = token.value
                    self.months.update({(year, month), (None, month)})
                    if year:
                        self.years.add(year)
                elif token.kind == "month":
                    self.months.update({token.value, (None, token.value[1])})
                    if token.value[0]:
                        self.years.add(token.value[0])
                else:
                    self.years.add(token.value)
        self.people: List[_Person] = []
        self.groups: Dict[PathTuple, List[_Person]] = {}
        self._find_people(sheet.data, (), None)
        self._titles_in_text()

    def _walk(self, value: Any, path: PathTuple) -> None:
        if isinstance(value, dict):
            for key, item in value.items():
                self._walk(item, path + (key,))
        elif isinstance(value, list):
            for index, item in enumerate(value):
                self._walk(item, path + (index,))
        elif isinstance(value, str) and value.strip():
            self.texts.append((path, value.translate(_WIDTH)))

    def _siblings(self, path: PathTuple) -> Tuple[str, ...]:
        """Texts of the mapping a whole-value date or figure sits in: what a draft writes around it
        (the meeting's 名称 and 地点 near its 日期, the 类别 before its 数量)."""
        parent: Any = self.sheet.data
        for part in path[:-1]:
            parent = parent[part]
        if not isinstance(parent, dict):
            return ()
        found: List[str] = []
        for key, item in parent.items():
            if key != path[-1] and isinstance(item, str) and len(item.strip()) >= 4 and not _TOKEN.fullmatch(item.strip()):
                found.append(item.strip().translate(_WIDTH))
        return tuple(found)

    def _find_people(self, value: Any, path: PathTuple, group: Optional[PathTuple]) -> None:
        if isinstance(value, dict):
            name = value.get("姓名")
            if isinstance(name, str) and name.strip():
                titles = []
                title, unit = value.get("职务"), value.get("单位")
                if isinstance(title, str) and title.strip():
                    titles.append((title.strip(), path + ("职务",)))
                    if isinstance(unit, str) and unit.strip():
                        titles.append((unit.strip() + title.strip(), path + ("职务",)))
                person = _Person(name.strip(), tuple(titles), path, group)
                self.people.append(person)
                if group is not None:
                    self.groups.setdefault(group, []).append(person)
            for key, item in value.items():
                self._find_people(item, path + (key,), None)
        elif isinstance(value, list):
            listed = all(isinstance(item, dict) and isinstance(item.get("姓名"), str) for item in value)
            for index, item in enumerate(value):
                self._find_people(item, path + (index,), path if listed and len(value) > 1 else None)

    def _titles_in_text(self) -> None:
        """“陪同: 区委统战部副部长周雨桐”: a title written before a known name in a plain value counts too."""
        names = {person.name for person in self.people}
        extra: Dict[str, List[Tuple[str, PathTuple]]] = {}
        for path, text in self.texts:
            for part in re.split(r"[，,；;]", text):
                part = part.strip()
                for name in names:
                    if part.endswith(name) and len(part) > len(name):
                        extra.setdefault(name, []).append((part[:-len(name)].strip(), path))
        if extra:
            self.people = [_Person(p.name, p.titles + tuple(extra.get(p.name, ())), p.path, p.group) for p in self.people]

    def where(self, path: PathTuple) -> str:
        line = self.sheet.positions.get(path, (None, None))[0]
        place = format_path(path)
        return f"{self.name}:{line}，{place}" if line else f"{self.name}，{place}"


# --- the draft's side ----------------------------------------------------------------------------


@dataclass(frozen=True)
class _Seen:
    paragraph: ReadParagraph
    index: int  # position in the paragraph list
    token: _Token


def _skipped_spans(text: str, sheet: _Sheet) -> List[Tuple[int, int]]:
    """Enumerators, page numbers, and 《titles》 the sheet writes the same way: no figures to check."""
    spans = [match.span() for match in _ENUMERATORS.finditer(text)]
    spans += [match.span() for match in _TITLE_MARKS.finditer(text) if match.group() in sheet.joined]
    return spans


def _draft_tokens(paragraphs: Sequence[ReadParagraph], sheet: _Sheet) -> List[_Seen]:
    seen = []
    for index, paragraph in enumerate(paragraphs):
        text = paragraph.full_text.translate(_WIDTH)
        skipped = _skipped_spans(text, sheet)
        for token in _tokens(text):
            if any(a <= token.start < b for a, b in skipped):
                continue
            seen.append(_Seen(paragraph, index, token))
    return seen


def _context_score(a: _Token, b: _Token) -> int:
    """How surely two figures are about the same thing, from the words around them; 0 if not at all."""
    left = _common_suffix(a.left, b.left)
    right = _common_prefix(a.right, b.right)
    if left >= 3 or right >= 3 or (left >= 2 and right >= 2):
        return left + right
    return 0


def _fact_score(token: _Token, fact: _Fact) -> int:
    """As _context_score; a figure that is a whole value (数量: 10个) reads its words from the fields
    beside it (类别: 2023年度全区统战工作先进集体), as the draft prints them before it."""
    score = _context_score(token, fact.token)
    for sibling in fact.siblings:
        left = _common_suffix(token.left, _left(sibling, len(sibling)))
        if left >= 3:
            score = max(score, left)
    return score


def _finding(seen: _Seen, severity: str, rule: str, message: str, fix: Optional[str] = None) -> Finding:
    return Finding(paragraph=seen.paragraph.number, severity=severity, source=SHEET, rule=rule,
                   message=message, start=seen.token.start, end=seen.token.end, fix=fix)


#: How many earlier figures of one unit a figure is compared with (同一提法前后数字不一): enough for any
#: draft, and a document of thousands of figures is not checked in quadratic time.
LOOK_BACK = 200


def _check_number(seen: _Seen, sheet: _Sheet, earlier: Sequence[_Seen]) -> Optional[Finding]:
    token = seen.token
    same_unit = [fact for fact in sheet.facts if fact.token.unit == token.unit]
    if token.form in sheet.forms:
        return _verbatim_but_misplaced(seen, sheet, same_unit)
    scored = sorted(((_fact_score(token, fact), fact) for fact in same_unit), key=lambda pair: -pair[0])
    best = [fact for score, fact in scored if score and score == scored[0][0]]
    if best:
        forms = list(dict.fromkeys(fact.token.form for fact in best))
        fact = best[0]
        if len(forms) == 1 and fact.token.value == token.value:
            if fact.token.approx != token.approx:
                return _finding(seen, DOUBT, "sheet.number-approx",
                                f"约数写法与事实表不同：事实表写的是“{fact.token.form}”（{sheet.where(fact.path)}），"
                                f"这里是“{token.form}”", fix=fact.token.form)
            return _finding(seen, HINT, "sheet.number-form",
                            f"与事实表数值相同但写法不同：事实表写作“{fact.token.form}”（{sheet.where(fact.path)}），"
                            f"这里是“{token.form}”")
        if len(forms) == 1:
            return _finding(seen, ERROR, "sheet.number-contradicts",
                            f"与事实表不符：事实表写的是“{fact.token.form}”（{sheet.where(fact.path)}），"
                            f"这里是“{token.form}”", fix=fact.token.form)
        listed = "、".join(f"“{f.token.form}”（{sheet.where(f.path)}）" for f in best[:3])
        return _finding(seen, DOUBT, "sheet.number-contradicts-which",
                        f"事实表同一提法下写的是{listed}，这里是“{token.form}”，请核对")
    equal = [fact for fact in same_unit if fact.token.value == token.value]
    if equal:
        fact = equal[0]
        return _finding(seen, HINT, "sheet.number-form",
                        f"与事实表数值相同但写法不同：事实表写作“{fact.token.form}”（{sheet.where(fact.path)}），"
                        f"这里是“{token.form}”")
    others = [other for other in earlier if other.token.value != token.value and _context_score(token, other.token)]
    if others:
        other = others[0]
        return _finding(seen, DOUBT, "sheet.number-inconsistent",
                        f"同一提法前后数字不一：第{other.paragraph.number}段写的是“{other.token.form}”，"
                        f"这里是“{token.form}”，事实表中都没有，请核对")
    return _finding(seen, DOUBT, "sheet.number-unsourced",
                    f"无来源数字：事实表中没有“{token.form}”，请核对出处")


def _verbatim_but_misplaced(seen: _Seen, sheet: _Sheet, same_unit: List[_Fact]) -> Optional[Finding]:
    """“区委常委会2次专题研究”: 2次 is in the sheet, but not here — the words around it say 5次."""
    token = seen.token
    if any(_fact_score(token, fact) for fact in same_unit if fact.token.form == token.form):
        return None
    strong = [fact for fact in same_unit if fact.token.form != token.form and _fact_score(token, fact) >= 5]
    forms = {fact.token.form for fact in strong}
    if len(forms) != 1:
        return None
    fact = strong[0]
    return _finding(seen, DOUBT, "sheet.number-misplaced",
                    f"事实表在同一提法下写的是“{fact.token.form}”（{sheet.where(fact.path)}），这里是“{token.form}”"
                    f"（“{token.form}”是事实表中另一项数字）", fix=None)


def _date_text(value: Tuple[Optional[int], int, int], with_year: bool) -> str:
    year, month, day = value
    return (f"{year}年" if with_year and year else "") + f"{month}月{day}日"


def _explains(fact: _Fact, value: Tuple[Optional[int], int, int]) -> bool:
    year, month, day = value
    fy, fm, fd = fact.token.value
    return (fm, fd) == (month, day) and (year is None or fy is None or fy == year)


def _check_date(seen: _Seen, sheet: _Sheet, paragraphs: Sequence[ReadParagraph],
                draft: List[_Seen]) -> Optional[Finding]:
    token = seen.token
    year, month, day = token.value
    if any(_explains(fact, token.value) for fact in sheet.dates):
        return None
    # 6月18日至21日: 6月18日 is the 日期, so the 21日 stands for the 结束日期, not the 日期.
    printed = [other.token.value for other in draft if other.index == seen.index and other.token.kind == "date"
               and other is not seen]
    # Which sheet date belongs here: one written in the same words, or a field date whose meeting's
    # name, place… stand in this paragraph or the two before it (a date line under the title).
    nearby = "".join(p.full_text for p in paragraphs[max(0, seen.index - 2):seen.index + 1]).translate(_WIDTH)
    nearby = nearby.replace("\n", "")  # a title set in balanced lines breaks inside the meeting's name
    scored = []
    for fact in sheet.dates:
        if any(_explains(fact, value) for value in printed):
            continue
        score = sum(len(sibling) for sibling in fact.siblings if sibling in nearby) or _context_score(token, fact.token)
        if score:
            scored.append((score, fact))
    top = max((score for score, _ in scored), default=0)
    matches = [fact for score, fact in scored if score == top]
    if len({fact.token.value for fact in matches}) == 1:
        fact = matches[0]
        fix = None
        if re.fullmatch(r"(?:\d{4}年)?\d{1,2}月\d{1,2}日", token.form):
            fix = _date_text(fact.token.value, with_year=year is not None)
        elif re.fullmatch(r"\d{1,2}日", token.form):
            fix = f"{fact.token.value[2]}日"
        return _finding(seen, ERROR, "sheet.date-contradicts",
                        f"日期与事实表不符：事实表写的是“{fact.token.form}”（{sheet.where(fact.path)}），"
                        f"这里是“{token.form}”", fix=fix)
    return _finding(seen, DOUBT, "sheet.date-unsourced", f"无来源日期：事实表中没有“{token.form}”这个日期，请核对")


def _check_year(seen: _Seen, sheet: _Sheet) -> Optional[Finding]:
    year = seen.token.value
    if not sheet.years or any(abs(year - known) <= 1 for known in sheet.years):
        return None
    listed = "、".join(str(y) for y in sorted(sheet.years))
    return _finding(seen, DOUBT, "sheet.year-unsourced",
                    f"无来源年份：事实表写到的年份是{listed}年，这里是“{seen.token.form}”，请核对")


def _check_month(seen: _Seen, sheet: _Sheet) -> Optional[Finding]:
    if seen.token.value in sheet.months or not sheet.months:
        return None
    year, _ = seen.token.value
    if year is not None and (None, seen.token.value[1]) in sheet.months and year not in sheet.years:
        return _check_year(seen, sheet)
    return _finding(seen, DOUBT, "sheet.date-unsourced", f"无来源日期：事实表中没有“{seen.token.form}”，请核对")


def _two_forms(draft: List[_Seen]) -> Iterator[Tuple[_Seen, _Seen]]:
    """The same figure printed two ways (1.2万人次 and 12000人次): (first way, a later other way)."""
    first: Dict[Tuple[Any, str], _Seen] = {}
    for seen in draft:
        token = seen.token
        if token.kind != "num" or not token.unit or token.unit.startswith("第"):
            continue
        earlier = first.setdefault((token.value, token.unit), seen)
        if earlier.token.digits != token.digits:
            yield earlier, seen


# --- people --------------------------------------------------------------------------------------

_STOP_BEFORE_NAME = set("由和及与在请对向为是到经将把被让了的给同跟从以并且或")
_TITLE_END = re.compile(r"(?:长|书记|主任|主席|委员|常委|组长|经理|专员|干事|秘书|巡视员|调研员|代表|理事)$")
_NAME_AFTER = re.compile(r"^(?:同志|主持|出席|讲话|强调|指出|要求|作|陪同|带队|一行|参加|介绍|表示|[，、。；）])")


def _normal_title(title: str) -> str:
    return re.sub(r"[、，,\s\u3000]", "", title)


def _title_before(text: str, at: int, stops: List[Tuple[int, int]]) -> Tuple[int, str]:
    """(start, text) of the run of Chinese and 、 just before a name: the title printed with it."""
    end = at
    while end > 0 and text[end - 1] in " \u3000":
        end -= 1
    start = end
    while start > 0 and (_cjk(text[start - 1]) or text[start - 1] == "、"):
        if text[start - 1] in _STOP_BEFORE_NAME or any(b == start for _, b in stops):
            break
        start -= 1
    while start < end and text[start] == "、":
        start += 1
    if end > start and text[end - 1] == "、":  # 陆启航书记、程静澜: no title of its own
        start = end
    return start, text[start:end]


def _title_fits(run: str, titles: Sequence[str]) -> bool:
    run = _normal_title(run)
    for title in titles:
        title = _normal_title(title)
        if run.endswith(title) or title.endswith(run):
            return True
        if run in title:  # one of the titles a leader holds (区委常委 of 区委常委、统战部部长)
            return True
    return False


def _check_people(paragraphs: Sequence[ReadParagraph], sheet: _Sheet) -> Iterator[Finding]:
    by_name: Dict[str, List[_Person]] = {}
    for person in sheet.people:
        by_name.setdefault(person.name, []).append(person)
    if not by_name:
        return
    names_pattern = re.compile("|".join(re.escape(name) for name in sorted(by_name, key=len, reverse=True)))
    fuzzy = _fuzzy_pattern(by_name)
    for paragraph in paragraphs:
        text = paragraph.full_text
        hits = [(m.start(), m.end(), m.group()) for m in names_pattern.finditer(text)]
        stops = [(a, b) for a, b, _ in hits]
        for start, end, name in hits:
            people = by_name[name]
            titles = [title for person in people for title, _ in person.titles]
            if not titles:
                continue
            run_start, run = _title_before(text, start, stops)
            if len(_normal_title(run)) < 2 or not _TITLE_END.search(run) or _title_fits(run, titles):
                continue
            title, where = max((t for p in people for t in p.titles),
                               key=lambda pair: (SequenceMatcher(None, _normal_title(run), _normal_title(pair[0])).ratio(),
                                                 pair[1][-1] == "职务"))  # a person's own 职务 over a 陪同 line
            begins = run.find(title[:2])  # “感谢区委副书记”: the title starts where the sheet's does
            if begins > 0:
                run_start, run = run_start + begins, run[begins:]
            yield Finding(paragraph.number, ERROR, SHEET, "sheet.person-title",
                          f"职务与事实表不符：事实表中{name}的职务是“{title}”（{sheet.where(where)}），"
                          f"这里是“{run}”", start=run_start, end=run_start + len(run))
        if fuzzy is not None:
            for match in fuzzy.finditer(text):
                found = match.group()
                if found in by_name or found in sheet.joined:
                    continue
                near = [name for name in by_name if _one_off(found, name)]
                if not near or not _name_position(text, match.start(), match.end()):
                    continue
                person = by_name[near[0]][0]
                yield Finding(paragraph.number, DOUBT, SHEET, "sheet.person-name",
                              f"是否为事实表中的“{person.name}”（{sheet.where(person.path)}）？这里是“{found}”",
                              start=match.start(), end=match.end())
        yield from _check_order(paragraph, hits, sheet)


def _fuzzy_pattern(by_name: Dict[str, List[_Person]]) -> Optional[re.Pattern]:
    """Same surname, same length, one later character different; names of three or more characters
    only (two-character ones would match ordinary words)."""
    choices = []
    for name in by_name:
        if len(name) < 3 or not all(_cjk(c) for c in name):
            continue
        for i in range(1, len(name)):
            choices.append(re.escape(name[:i]) + r"[\u3400-\u9fff]" + re.escape(name[i + 1:]))
    return re.compile("|".join(choices)) if choices else None


def _one_off(a: str, b: str) -> bool:
    return len(a) == len(b) and a[0] == b[0] and sum(x != y for x, y in zip(a, b)) == 1


def _name_position(text: str, start: int, end: int) -> bool:
    """A name stands after a title or a space, or before 同志, 主持, a comma…: not inside a word."""
    before = text[max(0, start - 4):start]
    return bool(_TITLE_END.search(before) or before.endswith((" ", "\u3000", "：", "（")) or _NAME_AFTER.match(text[end:]))


_SENTENCE_END = re.compile(r"[。！？；]")


def _check_order(paragraph: ReadParagraph, hits: List[Tuple[int, int, str]], sheet: _Sheet) -> Iterator[Finding]:
    """Leaders of one sheet list (出席领导, 带队) named in one clause keep the sheet's order, unless
    another list of the sheet names them in the draft's order."""
    text = paragraph.full_text
    firsts: Dict[str, Tuple[int, int]] = {}
    for start, end, name in hits:
        firsts.setdefault(name, (start, end))
    for group, people in sheet.groups.items():
        rank = {person.name: i for i, person in enumerate(people)}
        ordered = sorted(((name, span) for name, span in firsts.items() if name in rank), key=lambda item: item[1][0])
        if len(ordered) < 2:
            continue
        # Only names in one run: no sentence end between neighbours, and close together.
        runs: List[List[Tuple[str, Tuple[int, int]]]] = [[ordered[0]]]
        for item in ordered[1:]:
            gap = text[runs[-1][-1][1][1]:item[1][0]]
            if _SENTENCE_END.search(gap) or len(gap) > 30:
                runs.append([item])
            else:
                runs[-1].append(item)
        for run in runs:
            names = [name for name, _ in run]
            if len(run) < 2 or _in_order(names, people) or any(
                    _in_order(names, others) for key, others in sheet.groups.items() if key != group):
                continue
            expected = "、".join(person.name for person in people)
            yield Finding(paragraph.number, DOUBT, SHEET, "sheet.person-order",
                          f"排序与事实表不同（事实表依次为{expected}，{sheet.where(group)}）",
                          start=run[0][1][0], end=run[-1][1][1])


def _in_order(names: List[str], people: List[_Person]) -> bool:
    """Whether a list holds all these names, in this order."""
    rank = {person.name: i for i, person in enumerate(people)}
    if not all(name in rank for name in names):
        return False
    ranks = [rank[name] for name in names]
    return ranks == sorted(ranks)


# --- the rule ------------------------------------------------------------------------------------


def check(paragraphs: Sequence[ReadParagraph], sheet: FactSheet) -> Iterator[Finding]:
    """Figures, dates and people of the draft against the fact sheet, in paragraph order."""
    paragraphs = list(paragraphs)
    facts = _Sheet(sheet)
    draft = _draft_tokens(paragraphs, facts)
    found: List[Finding] = []
    numbers: Dict[str, List[_Seen]] = {}  # unit → the figures so far with it
    for seen in draft:
        kind = seen.token.kind
        if kind == "num":
            same_unit = numbers.setdefault(seen.token.unit, [])
            finding = _check_number(seen, facts, same_unit[-LOOK_BACK:])
            same_unit.append(seen)
        elif kind == "date":
            finding = _check_date(seen, facts, paragraphs, draft)
        elif kind == "year":
            finding = _check_year(seen, facts)
        else:
            finding = _check_month(seen, facts)
        if finding is not None:
            found.append(finding)
    for earlier, later in _two_forms(draft):
        # Point at the way the sheet does not write it; keep a contradiction found there already.
        target, other = (earlier, later) if later.token.form in facts.forms else (later, earlier)
        if target.token.form in facts.forms:
            continue
        at = (target.paragraph.number, target.token.start)
        if any((f.paragraph, f.start) == at and f.severity == ERROR for f in found):
            continue
        found = [f for f in found if (f.paragraph, f.start) != at]
        found.append(_finding(target, DOUBT, "sheet.number-two-forms",
                              f"同一数字前后写法不同：第{other.paragraph.number}段写作“{other.token.form}”，"
                              f"这里写作“{target.token.form}”"))
    found.extend(_check_people(paragraphs, facts))
    found.sort(key=lambda f: (f.paragraph, f.start if f.start is not None else -1))
    return iter(found)
