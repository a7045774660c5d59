"""Fact accounting: which values of the sheet a draft never printed.

A writer must be able to trust that the draft used every fact they typed. After rendering, every
value in the parts of the sheet the document kind reads is looked for in the document's text; the
ones not found are reported with their line, as warnings (errors under --strict).
"""
from __future__ import annotations

import re
from typing import Any, Iterable, Iterator, List, Sequence, Tuple

from .document import Document, escape, plain_text
from .errors import Problem
from .facts import FactSheet, PathTuple, format_path

DATE = re.compile(r"^\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?\s*$")
TRAILING = "，,、；;。 "


def document_text(document: Document) -> str:
    parts = []
    for block in document.blocks:
        if getattr(block, "lead", None) is not None:
            parts.append(plain_text(block.lead.inlines))
        parts.append(plain_text(block.inlines))
    return "\n".join(parts)


def unused_facts(sheet: FactSheet, sections: Sequence[str], document: Document) -> List[Problem]:
    """Values under the given top-level sections that do not appear in the document."""
    text = document_text(document)
    problems = []
    for path, value in _leaves(sheet.data, sections):
        if any(form in text for form in _printed_forms(value)):
            continue
        line, column = sheet.positions.get(path, (None, None))
        shown = value if len(value) <= 20 else value[:20] + "……"
        problems.append(Problem(f"未使用：“{shown}”没有写进文稿", sheet.path, line, column, format_path(path)))
    return problems


def _leaves(data: Any, sections: Sequence[str]) -> Iterator[Tuple[PathTuple, str]]:
    if not isinstance(data, dict):
        return
    for key in sections:
        if key in data:
            yield from _walk(data[key], (key,))


def _walk(value: Any, path: PathTuple) -> Iterator[Tuple[PathTuple, str]]:
    if isinstance(value, dict):
        for key, child in value.items():
            yield from _walk(child, path + (key,))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            yield from _walk(child, path + (index,))
    elif value is not None and str(value).strip():
        yield path, str(value)


def _printed_forms(value: str) -> Iterable[str]:
    """How a value can look once a template printed it: as written, folded onto one line, a date in Chinese."""
    folded = _unescape(escape(value)).rstrip(TRAILING)
    yield folded or value
    date = DATE.match(value)
    if date:
        year, month, day = (int(g) for g in date.groups())
        yield f"{year}年{month}月{day}日"
        yield f"{month}月{day}日"


def _unescape(text: str) -> str:
    return re.sub(r"\\(.)", r"\1", text)
