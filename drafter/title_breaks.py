"""Where a long title breaks (GB/T 9704 §7.3.1: 回行时词意完整、排列对称、长短适宜).

No segmentation library: a dictionary-based segmenter costs about a second of start-up for every
draft with a long title. Breaking a title needs far less than segmenting it. A profile names the
words never to split and the phrase edges to prefer (``title_breaks`` in the layout YAML), and the
draft itself knows where each fact begins and ends. Each gap between two characters gets a tier:

* a phrase edge (after 、，暨 or 工作…, before 在, 关于 or a year…): free;
* a word edge (where a fact begins or ends): cheap;
* a gap nothing vouches for: dear, taken only when it balances the lines by several characters;
* inside a listed word (代表｜人士, 年｜度) or a name of the sheet (a unit, a place), or before a
  word that never begins a line (和, 的), or after a year (2024年｜工作总结): dearer still, the last
  resort.

Among the fewest lines that fit, the balancing then picks the cheapest set of gaps.
"""
from __future__ import annotations

import functools
from typing import List, Optional, Sequence, Tuple

from .measure import text_width

PHRASE_EDGE, WORD_EDGE, UNKNOWN_GAP, INSIDE_A_WORD = 0.0, 2.0, 12.0, 40.0
#: The longest fact taken for a name when it ends like one.
MAX_NAME = 16
#: An upper line longer than the one below (倒梯形) reads worse than the reverse.
TOP_HEAVY = 0.5

OPENING, CLOSING = "“‘《（〔【", "”’》）〕】，。、；：！？"
QUOTE_PAIRS = ("“”", "《》", "（）", "‘’")


class TitleBreaker:
    """A profile's title_breaks. Hashed by identity: one per layout, the cache key of its titles (and
    a plain class, not a dataclass: this is on the start-up path of every draft)."""

    __slots__ = ("after", "before", "words", "name_endings", "never_first")

    def __init__(self, after: Tuple[str, ...], before: Tuple[str, ...], words: Tuple[str, ...],
                 name_endings: Tuple[str, ...] = (), never_first: Tuple[str, ...] = ()):
        self.after, self.before, self.words = after, before, words
        self.name_endings, self.never_first = name_endings, never_first

    def __repr__(self) -> str:  # the laid-out package's cache key includes the layout's repr
        return (f"TitleBreaker({self.after!r}, {self.before!r}, {self.words!r}, {self.name_endings!r}, "
                f"{self.never_first!r})")

    def lines(self, segments: Sequence[str], capacity: int) -> List[str]:
        """The title in even lines; segments are its stretches of fact and framing text, whose edges
        are word edges."""
        return list(_balanced(self, tuple(segment for segment in segments if segment), capacity))

    def gap_costs(self, text: str, edges: Sequence[int] = ()) -> List[Optional[float]]:
        """Cost of a break before each character of text (None: never), index 0 unused; edges: where
        facts begin and end. A fact that is a name (ends as a unit or place does: 局, 街道…) is a word."""
        inside = [False] * (len(text) + 1)
        word_edge = [False] * (len(text) + 1)
        bounds = [0, *edges, len(text)]
        for start, end in zip(bounds, bounds[1:]):
            if end - start <= MAX_NAME and text[start:end].endswith(self.name_endings):
                for gap in range(start + 1, end):
                    inside[gap] = True
        for word in self.words:
            start = text.find(word)
            while start >= 0:
                end = start + len(word)
                for gap in range(start + 1, end):
                    inside[gap] = True
                start = text.find(word, start + 1)
        for gap in edges:
            word_edge[gap] = True
        costs: List[Optional[float]] = [None]
        for gap in range(1, len(text)):
            left, right = text[:gap], text[gap:]
            if right[0] in CLOSING or left[-1] in OPENING or (left[-1].isascii() and left[-1].isalnum()):
                costs.append(None)
            elif any(left.count(a) > left.count(b) for a, b in QUOTE_PAIRS):
                costs.append(None)  # inside quotes or 书名号
            elif inside[gap] or right.startswith(self.never_first) or (left[-1] == "年" and left[-2:-1].isdigit()):
                costs.append(INSIDE_A_WORD)
            elif left[-1] in "、，；：" or right[0].isdigit() or any(left.endswith(w) for w in self.after) \
                    or any(right.startswith(w) for w in self.before):
                costs.append(PHRASE_EDGE)
            elif word_edge[gap]:
                costs.append(WORD_EDGE)
            else:
                costs.append(UNKNOWN_GAP)
        return costs


@functools.lru_cache(maxsize=256)
def _balanced(breaker: TitleBreaker, segments: Tuple[str, ...], capacity: int) -> Tuple[str, ...]:
    """Fewest lines that fit, as even as possible at the cheapest gaps; upper lines not longer."""
    text = "".join(segments)
    total = text_width(text)
    if total <= capacity or capacity < 2 or total > capacity * 4:
        return (text,)  # a title of more than four lines is a mistake to fix in Word, not to balance
    lines = -(-int(total * 2) // (capacity * 2))  # ceil
    target = total / lines
    prefix = [0.0]
    for ch in text:
        prefix.append(prefix[-1] + text_width(ch))
    edges, at = [], 0
    for segment in segments[:-1]:
        at += len(segment)
        edges.append(at)
    gap_cost = breaker.gap_costs(text, edges) + [0.0]  # the end of the text closes the last line for free

    # best[(k, i)]: the cheapest way to set text[:i] as k lines — (cost, start of its last line, lines)
    best = {(0, 0): (0.0, 0, ())}
    for k in range(1, lines + 1):
        for i in range(1, len(text) + 1):
            if (k == lines) != (i == len(text)) or gap_cost[i] is None:
                continue
            for j in range(0, i):
                previous = best.get((k - 1, j))
                width = prefix[i] - prefix[j]
                if previous is None or width > capacity:
                    continue
                cost = previous[0] + (width - target) ** 2 + gap_cost[i]
                if previous[2] and prefix[j] - prefix[previous[1]] > width:
                    cost += TOP_HEAVY
                if (k, i) not in best or cost < best[(k, i)][0]:
                    best[(k, i)] = (cost, j, previous[2] + (text[j:i],))
    found = best.get((lines, len(text)))
    return found[2] if found else (text,)
