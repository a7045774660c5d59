"""排比 headings: filling a heading frame with slots, and checking that sibling headings are parallel.

A writer either pins every heading in the sheet or gives one frame such as
做{强|好|实|靓}{基层|基层|基础|基地}: the n-th heading takes the n-th choice of every slot.
"""
from __future__ import annotations

import os
import re
from typing import List, Optional

from .document import Document, Heading, plain_text
from .errors import Problem

SLOT = re.compile(r"\{([^{}]*)\}")
TRAILING = "。；：，、！？ "


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


def check_parallel(document: Document) -> List[Problem]:
    """Warn where sibling headings (standalone or run-in) are not parallel: length ±1, a shared head or tail."""
    problems: List[Problem] = []
    for level, siblings in _sibling_groups(document):
        texts = [plain_text(h.inlines).rstrip(TRAILING) for h in siblings]
        if len(texts) < 2:
            continue
        shown = "／".join(texts)
        lengths = [len(t) for t in texts]
        if max(lengths) - min(lengths) > 1:
            problems.append(Problem(f"第{level}级标题不够对仗：字数不一（{'、'.join(map(str, lengths))} 字）：{shown}"))
        elif not os.path.commonprefix(texts) and not os.path.commonprefix([t[::-1] for t in texts]):
            problems.append(Problem(f"第{level}级标题不够对仗：没有共同的字头或字尾：{shown}"))
    return problems


def _sibling_groups(document: Document):
    """(level, headings) for each run of headings sharing a parent."""
    open_groups: List[Optional[List[Heading]]] = [None] * 5
    groups = []
    for block in document.blocks:
        heading = block if isinstance(block, Heading) else getattr(block, "lead", None)
        if heading is None:
            continue
        level = heading.level
        if open_groups[level] is None:
            open_groups[level] = []
            groups.append((level, open_groups[level]))
        open_groups[level].append(heading)
        for deeper in range(level + 1, len(open_groups)):
            open_groups[deeper] = None  # a new parent starts new sibling groups below it
    return [(level, headings) for level, headings in groups]

