"""核稿: a draft read back from Word, checked against the standards and, given one, the fact sheet.

The rules are small modules over read paragraphs; each finding says where, how sure (错误／疑误／
提示) and on whose authority. Word lists the rules use (legal reduplication, the speaking rate)
are data in templates/check.yaml, so an office adds its own words without touching Python.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import List, Optional, Sequence

from ..errors import DrafterError
from ..facts import FactSheet, load_yaml
from ..readers import ReadDraft
from . import headings, length, typesetting
from .findings import ERROR, SEVERITIES, Finding

WORDS_FILE = "check.yaml"
EXCERPT_AROUND = 8  # characters either side of what was found


@dataclass(frozen=True)
class Report:
    findings: List[Finding]
    length: length.Length

    @property
    def errors(self) -> int:
        return sum(1 for finding in self.findings if finding.severity == ERROR)

    def counts(self) -> dict:
        return {severity: sum(1 for f in self.findings if f.severity == severity) for severity in SEVERITIES}


def load_words(roots: Sequence[Path]) -> dict:
    """templates/check.yaml: the last root that has one wins (an office's ./templates/ over drafter's)."""
    path = next((root / WORDS_FILE for root in reversed(roots) if (root / WORDS_FILE).is_file()), None)
    if path is None:
        raise DrafterError(f"找不到核稿用的词表 {WORDS_FILE}")
    data = load_yaml(path, "核稿词表").data
    if not isinstance(data, dict):
        raise DrafterError(f"{path}：核稿词表应是“项: 值”的映射")
    return data


def check_draft(draft: ReadDraft, sheet: Optional[FactSheet], words: dict) -> Report:
    from . import numbers, punctuation, repeats  # here, not above: --review reads length.py alone

    paragraphs = draft.paragraphs
    found: List[Finding] = []
    for rule in (punctuation, numbers, repeats):
        found += rule.check(paragraphs, words)
    found += headings.check(paragraphs)
    found += typesetting.check(draft)
    if sheet is not None:
        from . import against_sheet

        found += against_sheet.check(paragraphs, sheet)
    measured = length.measure(draft, sheet, length.speaking_rate(words))
    found += length.check(measured)
    texts = {p.number: p.full_text for p in paragraphs}
    found = [_with_excerpt(f, texts.get(f.paragraph, "")) for f in found]
    found.sort(key=lambda f: (f.paragraph, f.start or 0, SEVERITIES.index(f.severity)))
    return Report(found, measured)


def _with_excerpt(finding: Finding, text: str) -> Finding:
    if finding.excerpt or finding.start is None or not text:
        return finding
    start, end = finding.start, finding.end if finding.end is not None else finding.start
    left = max(0, start - EXCERPT_AROUND)
    right = min(len(text), max(end, start + 1) + EXCERPT_AROUND)
    shown = ("…" if left else "") + text[left:right].replace("\n", " ") + ("…" if right < len(text) else "")
    return replace(finding, excerpt=shown)
