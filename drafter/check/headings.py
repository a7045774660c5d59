"""Heading numbering (GB/T 9704 §7.3.3: 一、 （一） 1. （1）, in that order) and parallel leads.

An item is any paragraph that opens with an enumerator, typed or Word's automatic numbering: a
heading of its own or a body paragraph with a run-in lead. Items are walked in order with one
counter per rank, so a series that skips (一、 二、 四、) or restarts wrongly is found where it
happens, and a deeper counter starts again under each new parent.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Dict, Iterator, List, Optional, Sequence, Tuple

from ..parallel import not_parallel
from ..readers import ReadParagraph
from .findings import DOUBT, GB9704, HINT, PRACTICE, Finding

_ZH = "一二三四五六七八九"
ZH_VALUES = {("" if t == 0 else "十" if t == 1 else _ZH[t - 1] + "十") + ("" if o == 0 else _ZH[o - 1]): 10 * t + o
             for t in range(10) for o in range(10) if 10 * t + o}
_ZH_NUMBER = "[一二三四五六七八九十]{1,3}"

# (rank, form, pattern): rank 1–4 as GB/T 9704 orders them; the form is how the level is written.
ENUMERATORS: Tuple[Tuple[int, str, "re.Pattern[str]"], ...] = tuple(
    (rank, form, re.compile(pattern)) for rank, form, pattern in (
        (1, "一、", rf"({_ZH_NUMBER})、"),
        (2, "（一）", rf"（({_ZH_NUMBER})）"),
        (3, "1.", r"(\d{1,2})\.(?!\d)"),
        (3, "1、", r"(\d{1,2})、"),
        (3, "1．", r"(\d{1,2})．"),
        (4, "（1）", r"（(\d{1,2})）"),
    ))
ATTACHMENTS = re.compile(r"(?:附件[：:]\s*)?")
LEAD_END = re.compile(r"[。；：！？]")
MAX_LEAD = 12  # 排比 leads are short (织密网络, 压实责任链条); a longer one is a descriptive title


@dataclass(frozen=True)
class Item:
    paragraph: ReadParagraph
    rank: int
    form: str
    value: int
    width: int  # characters of the enumerator in full_text
    parent: int  # index of the item it sits under, -1 at the top

    @property
    def lead(self) -> str:
        rest = self.paragraph.full_text[self.width:]
        if self.paragraph.heading_level:
            return rest.strip()
        match = LEAD_END.search(rest)
        return rest[:match.start()].strip() if match else ""


def enumerated(paragraph: ReadParagraph) -> Optional[Tuple[int, str, int, int]]:
    """(rank, form, value, width) of the enumerator a paragraph opens with, if any."""
    text = paragraph.full_text
    start = len(ATTACHMENTS.match(text).group())  # 附件：1.…, 2.…: the list starts after the word
    for rank, form, pattern in ENUMERATORS:
        match = pattern.match(text, start)
        if match:
            number = match.group(1)
            value = int(number) if number.isdigit() else ZH_VALUES.get(number)
            if value:
                return rank, form, value, match.end()
    return None


def items(paragraphs: Sequence[ReadParagraph]) -> List[Item]:
    found: List[Item] = []
    open_at: Dict[int, int] = {}  # rank → index of its latest item under the current parents
    for paragraph in paragraphs:
        if paragraph.in_table:
            continue
        opening = enumerated(paragraph)
        if opening is None:
            continue
        rank, form, value, width = opening
        for deeper in [r for r in open_at if r > rank]:
            del open_at[deeper]  # a new 二、 closes the （三） above it: the next （一） starts afresh
        parent = max((i for r, i in open_at.items() if r < rank), default=-1)
        found.append(Item(paragraph, rank, form, value, width, parent))
        open_at[rank] = len(found) - 1
    return found


def check(paragraphs: Sequence[ReadParagraph]) -> Iterator[Finding]:
    series = items(paragraphs)
    previous: Dict[Tuple[int, int], Item] = {}  # (parent, rank) → the last item of that series
    forms: Dict[int, Item] = {}  # rank → the first item, whose form the level keeps
    for index, item in enumerate(series):
        key = (item.parent, item.rank)
        before = previous.get(key)
        expected = before.value + 1 if before else 1
        if item.value != expected and not _starts_a_list(item, before):
            what = f"上一个是“{before.paragraph.full_text[:before.width]}”" if before else "这一层从这里开始"
            yield _at(item, DOUBT, GB9704, "heading.sequence",
                      f"序号不连续：{what}，这里是“{item.paragraph.full_text[:item.width]}”，应为第{expected}个")
        previous[key] = item
        first = forms.setdefault(item.rank, item)
        if item.form != first.form:
            yield _at(item, DOUBT, PRACTICE, "heading.form",
                      f"同一层次的序号写法不一：第{first.paragraph.number}段写作“{first.form}”，这里是“{item.form}”")
        parent = series[item.parent] if item.parent >= 0 else None
        if before is None and parent is not None and item.rank > parent.rank + 1:
            skipped = "、".join(f for r, f, _ in ENUMERATORS if parent.rank < r < item.rank and f != "1、" and f != "1．")
            yield _at(item, HINT, GB9704, "heading.skipped-level",
                      f"“{parent.form}”之下直接用了“{item.form}”，GB/T 9704 的层次依次为 一、（一）1.（1），中间少了“{skipped}”")
    yield from _not_parallel(series)


def _starts_a_list(item: Item, before: Optional[Item]) -> bool:
    """一、 again in body text starts a new list (a host's 议程, later the points of his speech); in
    the document's headings (Word's heading styles) it is a numbering restarted by mistake."""
    return item.value == 1 and not (item.paragraph.heading_level and before and before.paragraph.heading_level)


def _not_parallel(series: List[Item]) -> Iterator[Finding]:
    """Leads of one series below the top level (the top level holds framing parts such as
    存在的问题, not a 排比): the first lead of a series that is not parallel carries the finding."""
    groups: Dict[Tuple[int, int], List[Item]] = {}
    for item in series:
        if item.rank > 1:
            groups.setdefault((item.parent, item.rank), []).append(item)
    for siblings in groups.values():
        leads = [item.lead.rstrip("。；：，、 ") for item in siblings]
        if len(siblings) < 2 or not all(leads) or max(len(lead) for lead in leads) > MAX_LEAD:
            continue
        wrong = not_parallel(leads)
        if wrong:
            yield _at(siblings[0], HINT, PRACTICE, "heading.parallel",
                      f"同一层的{len(leads)}个小标题不够对仗（{wrong}）：{'／'.join(leads)}；排比的小标题通常字数相同、结构相同")


def _at(item: Item, severity: str, source: str, rule: str, message: str) -> Finding:
    return Finding(item.paragraph.number, severity, source, rule, message, start=0, end=item.width)
