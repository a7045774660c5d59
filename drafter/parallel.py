"""排比 headings: filling a heading frame with slots, and checking that sibling headings are parallel.

A writer either pins every heading in the sheet or gives one frame such as
做{强|好|实|靓}{基层|基层|基础|基地}: the n-th heading takes the n-th choice of every slot.
Templates fill frames with the ``frame_headings`` (or ``frame_fill``) filter; the sheet's frame for its work areas
(排比框架) is checked against the areas before rendering, so a short slot is reported at its line.
"""
from __future__ import annotations

import os
import re
from typing import (
    TYPE_CHECKING,
    Any,
    Dict,
    Iterator,
    List,
    Optional,
    Sequence,
    Tuple,
    Union,
)

from .document import LEVEL_NAMES, Item, Outline, Paragraph, plain_text
from .errors import DrafterError, Problem
from .facts import FactSheet

if TYPE_CHECKING:
    from .validate import Schema

SLOT = re.compile(r"\{([^{}]*)\}")
TRAILING = "。；：，、！？ "
SEPARATORS = re.compile(r"[，、；：]")
FRAME_FIELD = "heading_frame"  # the top-level field of the 排比框架 for the work areas
AREAS_FIELD = "areas"
HEADING_KEY = "heading"  # a work area's own 排比标题, which the frame does not overwrite


def fill_frame(frame: str, index: int) -> str:
    """The index-th (0-based) heading of a frame; a slot with too few choices is the sheet's mistake."""
    def choose(match: re.Match) -> str:
        choices = match.group(1).split("|")
        if index >= len(choices):
            raise ValueError(f"排比框架“{frame}”的“{{{match.group(1)}}}”只有 {len(choices)} 个选项，"
                             f"不够第 {index + 1} 个标题用")
        return choices[index]
    return SLOT.sub(choose, frame)


def frame_size(frame: str) -> int:
    """How many headings a frame can fill: the fewest choices of any slot."""
    slots = [len(m.group(1).split("|")) for m in SLOT.finditer(frame)]
    return min(slots) if slots else 0


def frame_fill(frame: Any, index: Any) -> Any:
    """The Jinja filter: ``{{ heading_frame|frame_fill(loop) }}`` (or a 0-based index); a bad frame
    stops the draft. The heading it fills is the sheet's frame in another form: still that fact."""
    from .richtext import form

    text = str(frame)
    if not SLOT.search(text):
        raise DrafterError(_no_slots(text))
    try:
        return form(frame, fill_frame(text, index if isinstance(index, int) else index.index0))
    except ValueError as error:
        raise DrafterError(Problem(str(error))) from None


def frame_headings(items: Any, frame: Any = None, key: str = HEADING_KEY) -> List[Tuple[Any, Any]]:
    """The Jinja filter ``{% for area, heading in areas|frame_headings(heading_frame) %}``: each item
    with its heading, pinned (the item's own ``key``) or else filled from the frame; with neither,
    the item's missing heading, which prints as 【待补：排比标题】."""
    pairs = []
    for index, item in enumerate(items):
        heading = item.get(key) if isinstance(item, dict) else None
        if not heading and isinstance(frame, str):
            heading = frame_fill(frame, index)
        pairs.append((item, heading))
    return pairs


def check_frame(sheet: FactSheet, schema: Schema, facts: Dict[str, Any]) -> None:
    """Before rendering: the sheet's 排比框架 must have slots, and enough choices for every work area
    that does not pin its own 排比标题. Reported at the frame's line."""
    frame, areas = facts.get(FRAME_FIELD), facts.get(AREAS_FIELD)
    if not isinstance(frame, str) or not isinstance(areas, list):
        return
    key = next((k for k in sheet.data if schema.root.keys.get(k) == FRAME_FIELD), None)
    line, column = sheet.positions.get((key,), (None, None))
    if not SLOT.search(frame):
        raise DrafterError(Problem(_no_slots(frame), sheet.path, line, column, key))
    short = [i for i, area in enumerate(areas)
             if isinstance(area, dict) and not area.get(HEADING_KEY) and i >= frame_size(frame)]
    if short:
        try:
            fill_frame(frame, short[0])
        except ValueError as error:
            raise DrafterError(Problem(str(error), sheet.path, line, column, key)) from None


def _no_slots(frame: str) -> str:
    return f"排比框架“{frame}”里没有“{{甲|乙|丙}}”形式的槽，无法依次填出各个标题"


def check_parallel(outline: Outline) -> List[Problem]:
    """Warn where sibling leads — the items of one level under one parent, however the form prints
    them — are not parallel; the sheet's labels of those items likewise. Parallel: length ±1 with
    a shared head or tail, or the same length with a shared word in the same place (聚焦主业抓好……／
    立足长远抓好……), or for couplets (织密网络，压实责任链条) the same clauses of the same lengths (±1).
    Items marked ``.非排比`` (framing like 存在的问题和不足) are not checked."""
    problems: List[Problem] = []
    for level, siblings in _sibling_groups(outline.content):
        for what, texts in (("标题", [plain_text(i.lead) for i in siblings]),
                            ("标签", [plain_text(i.label) for i in siblings])):
            texts = [t.rstrip(TRAILING) for t in texts if t.strip()]
            if len(texts) < 2:
                continue
            wrong = not_parallel(texts, what == "标题")
            if wrong:
                name = LEVEL_NAMES[min(level, 4) - 1]
                problems.append(Problem(f"第{level}级（{name}）{what}不够对仗：{wrong}：{'／'.join(texts)}"))
    return problems


def not_parallel(texts: List[str], leads: bool = True) -> Optional[str]:
    lengths = [len(t) for t in texts]
    if max(lengths) - min(lengths) > 1:
        return f"字数不一（{'、'.join(map(str, lengths))} 字）"
    if (os.path.commonprefix(texts) or os.path.commonprefix([t[::-1] for t in texts])
            or _shared_word_in_place(texts) or _same_clauses(texts) or leads and _four_character_phrases(texts)):
        return None
    return "没有共同的字头、字尾或同一位置的共同词语"


def _shared_word_in_place(texts: List[str]) -> bool:
    """聚焦主业抓好党建／立足长远抓好队伍: the same length and a word of two or more characters
    shared by all, at the same place."""
    if len({len(t) for t in texts}) != 1:
        return False
    first = texts[0]
    return any(all(t[start:start + 2] == first[start:start + 2] for t in texts[1:])
               for start in range(len(first) - 1))


def _four_character_phrases(texts: List[str]) -> bool:
    """因地选址／按需定制: 四字格 of one length are parallel by their form alone."""
    return len({len(t) for t in texts}) == 1 and len(texts[0]) <= 4


def _same_clauses(texts: List[str]) -> bool:
    """深化宣传教育，夯实思想基础／汇集区域共识，深化创建内涵: two or more clauses each, the same
    separators, clause by clause the same length (±1)."""
    shapes = [SEPARATORS.findall(t) for t in texts]
    if not shapes[0] or any(shape != shapes[0] for shape in shapes):
        return False
    clauses = [[len(c) for c in SEPARATORS.split(t)] for t in texts]
    return all(max(column) - min(column) <= 1 for column in zip(*clauses))


def _sibling_groups(nodes: Sequence[Union[Paragraph, Item]]) -> Iterator[Tuple[int, List[Item]]]:
    """(depth, items) for the parallel items of each level under each parent, outermost first."""
    groups: Dict[int, List[Item]] = {}
    for node in nodes:
        if type(node) is Item:
            if node.parallel:
                groups.setdefault(node.depth, []).append(node)
    for depth, items in groups.items():
        yield depth, items
    for node in nodes:
        if type(node) is Item:
            yield from _sibling_groups(node.content)
