"""核稿: a character or word typed twice in a row (的的, 工作工作) — a slip common practice catches.

Most doubled characters in 公文 are two words meeting (工作作风, 学习习近平) or reduplication
(常常, 实实在在), so only function words are looked at for single characters, and every word list
(legal reduplication, words that meet, noun-verbs such as 党组织组织) is data in check.yaml.
Digits are never looked at: 11个, 2022年.
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Iterator, List, Sequence, Tuple

from ..readers import ReadParagraph
from .findings import DOUBT, PRACTICE, Finding

HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_WORD_TWICE = re.compile(f"([{HAN}]{{2,4}})\\1")


def check(paragraphs: Sequence[ReadParagraph], words: dict) -> Iterator[Finding]:
    """Every repeat finding in the paragraphs."""
    char_twice, legal, noun_verbs = _lists(tuple(_strings(words, "doubled_characters")),
                                           tuple(_strings(words, "reduplication") + _strings(words, "word_overlaps")),
                                           tuple(_strings(words, "noun_verbs")))
    for p in paragraphs:
        text = p.full_text
        label = len(p.label)
        spans: List[Tuple[int, int, str]] = []
        if char_twice is not None:
            spans += [(m.start(), m.end(), m.group(1)) for m in char_twice.finditer(text)]
        for m in _WORD_TWICE.finditer(text):
            word = m.group(1)
            if word.startswith("一") or word in noun_verbs or len(set(word)) == 1:
                continue  # 一步一步, 党组织组织, 哈哈哈哈
            if len(word) == 2 and text[m.end() + 1:m.end() + 2] == word[1]:
                continue  # 构建共建共治共享: a series of 共X words, read one character off
            spans.append((m.start(), m.end(), word))
        if not spans:
            continue
        covers = _covers(text, legal)
        for start, end, word in sorted(spans):
            if start < label < end or any(a <= start and end <= b for a, b in covers):
                continue
            yield Finding(paragraph=p.number, severity=DOUBT, source=PRACTICE, rule="repeat.twice",
                          message=f"“{word}”连写了两次：可能多打了一个“{word}”", start=start, end=end)


def _strings(words: dict, key: str) -> List[str]:
    value = words.get(key) if isinstance(words, dict) else None
    return [str(item) for item in value or () if str(item).strip()]


@lru_cache(maxsize=8)
def _lists(chars: Tuple[str, ...], legal: Tuple[str, ...], noun_verbs: Tuple[str, ...]):
    """The word lists compiled once per check.yaml: a pattern for the doubled characters."""
    singles = "".join(sorted({c for c in chars if len(c) == 1}))
    char_twice = re.compile(f"([{re.escape(singles)}])\\1") if singles else None
    return char_twice, tuple(sorted(set(legal), key=len, reverse=True)), frozenset(noun_verbs)


def _covers(text: str, legal: Tuple[str, ...]) -> List[Tuple[int, int]]:
    """Where the listed words stand in the text."""
    found = []
    for word in legal:
        at = text.find(word)
        while at >= 0:
            found.append((at, at + len(word)))
            at = text.find(word, at + 1)
    return found
