"""Three-way merge of one anchor's text for ``drafter refresh``, at character level.

For one anchor there are three texts: ``printed`` (what drafter printed), ``current`` (what the
anchor holds after staff edited the draft in Word) and ``new`` (what drafter prints now from the
corrected sheet). The sheet's changes (printed→new) are carried over to ``current`` as small edits,
so the tracked change a staff member sees is "17" → "18", not the whole sentence retyped; a sheet
change that lands where staff also edited is left alone and reported as a conflict.

Changes are widened to whole tokens first: a run of digits, ".", "%" and Latin letters is one token
(a number is never split: "17份"→"18份" is "17"→"18", not "7"→"8"); a Chinese character is a token
of its own, but text changes less than two characters apart are joined into one edit.
"""
from __future__ import annotations

from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import FrozenSet, List, Sequence, Tuple

Region = Tuple[int, int, int, int]  # a[i1:i2] became b[j1:j2]; i in printed coordinates


@dataclass(frozen=True)
class Edit:
    """Replace ``current[start:end]`` (== ``old``) with ``text``; start == end is an insertion."""
    start: int
    end: int
    old: str
    text: str


@dataclass(frozen=True)
class Conflict:
    """A sheet change where staff edited too: what was printed, what the sheet says, what is there."""
    printed: str
    new: str
    current: str


@dataclass(frozen=True)
class Merge:
    edits: Tuple[Edit, ...]  # on ``current``, in order, non-overlapping
    conflicts: Tuple[Conflict, ...]


def _word(ch: str) -> bool:
    return ch.isascii() and (ch.isalnum() or ch in ".%")


def _boundary(s: str, i: int) -> bool:
    """Whether position i of s falls between tokens (never inside a number or Latin word)."""
    return i <= 0 or i >= len(s) or not (_word(s[i - 1]) and _word(s[i]))


def _only_words(a: str, b: str) -> bool:
    return all(_word(c) for c in a + b)


def _regions(a: str, b: str) -> List[Region]:
    """The a→b changes, widened to whole tokens and joined where they would read as confetti."""
    ops = [op[1:] for op in SequenceMatcher(None, a, b, autojunk=False).get_opcodes() if op[0] != "equal"]
    out: List[Region] = []
    for n, (i1, i2, j1, j2) in enumerate(ops):
        floor = out[-1][1] if out else 0  # widen through the equal run only, never into a neighbour
        while i1 > floor and not (_boundary(a, i1) and _boundary(b, j1)):
            i1, j1 = i1 - 1, j1 - 1
        ceiling = ops[n + 1][0] if n + 1 < len(ops) else len(a)
        while i2 < ceiling and not (_boundary(a, i2) and _boundary(b, j2)):
            i2, j2 = i2 + 1, j2 + 1
        if out:
            p1, p2, q1, q2 = out[-1]
            gap = i1 - p2
            # separate numbers stay separate edits ("2024年12月" → "2025年1月"); text is joined
            if gap == 0 or (gap < 2 and not (_only_words(a[p1:p2], b[q1:q2]) and _only_words(a[i1:i2], b[j1:j2]))):
                out[-1] = (p1, i2, q1, j2)
                continue
        out.append((i1, i2, j1, j2))
    return out


def _clash(s: Region, t: Region) -> bool:
    """Overlap in printed, or an insertion inside the other change or at the very same point."""
    return (s[0] < t[1] and t[0] < s[1]) or s[0] == s[1] == t[0] == t[1]


def _delta(r: Region) -> int:
    return (r[3] - r[2]) - (r[1] - r[0])


def _span(u1: int, u2: int, regions: Sequence[Region], inside: FrozenSet[Region]) -> Tuple[int, int]:
    """Where printed[u1:u2] is in the other text: shifted by the changes before it, grown by those inside."""
    start = u1 + sum(_delta(r) for r in regions if r not in inside and r[1] <= u1)
    return start, start + (u2 - u1) + sum(_delta(r) for r in inside)


def merge(printed: str, current: str, new: str) -> Merge:
    """Carry the sheet's changes (printed→new) over to ``current`` where staff left that text alone."""
    if printed == new or current == new:
        return Merge((), ())
    if not current:  # staff emptied the anchor: don't resurrect the text they deleted
        return Merge((), (Conflict(printed, new, ""),))
    sheet, staff = _regions(printed, new), _regions(printed, current)
    edits: List[Edit] = []
    conflicts: List[Conflict] = []
    done: set = set()
    for s in sheet:
        if s in done:
            continue
        group_sheet, group_staff = {s}, set()
        while True:  # the sheet and staff changes that overlap s, directly or through each other
            more_staff = {t for t in staff if any(_clash(x, t) for x in group_sheet)}
            more_sheet = {x for x in sheet if any(_clash(x, t) for t in more_staff)} | group_sheet
            if more_staff == group_staff and more_sheet == group_sheet:
                break
            group_sheet, group_staff = more_sheet, more_staff
        done |= group_sheet
        u1 = min(r[0] for r in group_sheet | group_staff)
        u2 = max(r[1] for r in group_sheet | group_staff)
        c1, c2 = _span(u1, u2, staff, frozenset(group_staff))
        n1, n2 = _span(u1, u2, sheet, frozenset(group_sheet))
        if not group_staff:
            edits.append(Edit(c1, c2, current[c1:c2], new[n1:n2]))
        elif current[c1:c2] != new[n1:n2]:  # staff did not already make the same change
            conflicts.append(Conflict(printed[u1:u2], new[n1:n2], current[c1:c2]))
    return Merge(tuple(edits), tuple(conflicts))


def merged_text(current: str, merge: Merge) -> str:
    """``current`` with the merge's edits applied (conflicts stay as staff left them)."""
    parts, at = [], 0
    for e in merge.edits:
        parts += [current[at:e.start], e.text]
        at = e.end
    return "".join(parts) + current[at:]


def differing(old: str, new: str, around: int = 6) -> Tuple[str, str]:
    """The stretch where two texts differ, with a few characters either side (…会5次专… / …会6次专…):
    what a message shows of a long fact."""
    head = len(_common_prefix(old, new))
    tail = len(_common_prefix(old[head:][::-1], new[head:][::-1]))
    start = max(0, head - around)

    def shown(text: str) -> str:
        end = min(len(text), len(text) - tail + around)
        return ("…" if start else "") + text[start:end].replace("\n", "") + ("…" if end < len(text) else "")
    return shown(old), shown(new)


def _common_prefix(a: str, b: str) -> str:
    size = 0
    for x, y in zip(a, b):
        if x != y:
            break
        size += 1
    return a[:size]
