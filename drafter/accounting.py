"""Fact accounting: which values of the sheet a draft never printed, where its 【待补】 come from, and
that no number in it is anything but a fact.

A writer must be able to trust that the draft used every fact they typed. The Document knows which
of its stretches are facts and where each was written (provenance.py); every value in the parts of
the sheet the document kind reads that no stretch came from is reported with its line, as a
warning (an error under --strict).

The parts a kind reads are the top-level sections its schema declares, and for a mounted field
(news: ``event``) only the chosen item. A pack lists in its template.yaml, under ``unprinted``, the
fields it reads but knowingly never prints (the speech's 会议主办单位, an event's 编号), each with
its reason in a comment; those are not reported.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import (
    TYPE_CHECKING,
    Any,
    Dict,
    Iterable,
    List,
    Optional,
    Sequence,
    Set,
    Tuple,
)

from .document import Document, Placeholder, Text, plain_text
from .errors import DrafterError, Problem, did_you_mean
from .facts import FactSheet, PathTuple, format_path, value_at
from .provenance import is_off
from .zh import invented_number, typed_enumerator

if TYPE_CHECKING:
    from .templates import TemplatePack
    from .validate import Field, Schema

UNPRINTED_KEY = "unprinted"


def unused_facts(sheet: FactSheet, sections: Sequence[str], document: Document) -> List[Problem]:
    """Values under the given top-level sections that the document never printed (no schema:
    every value counts; :func:`audit` is the same with a draft's schema)."""
    walker = _Walker(sheet, ())
    for key in sections:
        if isinstance(sheet.data, dict) and key in sheet.data:
            walker.walk(sheet.data[key], None, (key,), (key,))
    return _unprinted(sheet, walker.leaves, document)


def _unprinted(sheet: FactSheet, leaves: Iterable[Tuple[PathTuple, str]], document: Document) -> List[Problem]:
    """The leaves no fact of the document came from: the document knows where each of its facts
    was written (provenance.py), so a value counts as printed exactly when it was."""
    printed = {fact.source.key for fact in document.facts() if fact.source.file == sheet.path}
    problems = []
    for path, value in leaves:
        if path in printed:
            continue
        line, column = sheet.positions.get(path, (None, None))
        shown = value if len(value) <= 20 else value[:20] + "……"
        problems.append(Problem(f"未使用：“{shown}”没有写进文稿", sheet.path, line, column, format_path(path)))
    return problems


def check_numbers(document: Document, source: str) -> None:
    """Every number in a draft is a fact or a count drafter made: framing text holding one (however a
    template produced it) stops the draft. The template check and the renderer name the template
    line for the usual ways; this is the guarantee behind them."""
    problems = []
    for block in document.blocks:
        for inline in document.inlines_of(block):
            if type(inline) not in (Text, Placeholder):
                continue
            found, typed = invented_number(inline.text), typed_enumerator(inline.text)
            if found or typed:
                excerpt = plain_text(block.inlines)
                excerpt = excerpt if len(excerpt) <= 30 else excerpt[:30] + "……"
                problems.append(Problem(f"模板写出的文字里有不是来自事实表的数字“{found}”（“{excerpt}”）：数字只能来自事实表"
                                        if found else f"模板写出的文字里有序号“{typed}”（“{excerpt}”）：序号由形式方案"
                                        "按位置生成，模板里写成一项（## 部分、### 节、#### 点）", source))
    if problems:
        raise DrafterError(problems)


# --------------------------------------------------------------------------- a whole draft


@dataclass
class Audit:
    """What accounting found in one draft."""

    unused: List[Problem] = field(default_factory=list)  # values read but never printed
    pending: List[Problem] = field(default_factory=list)  # each 【待补】 of the draft, where to fill it in


@dataclass
class _Gap:
    """An optional field the sheet does not give: where it would be written."""

    label: str
    path: PathTuple  # as typed, ending in the field's label
    position: Tuple[Optional[int], Optional[int]]


def audit(sheet: FactSheet, schema: Schema, document: Document,
          mounts: Optional[Dict[str, PathTuple]] = None, unprinted: Sequence[str] = ()) -> Audit:
    """Account for one draft: the values of the sections its schema reads that it never printed
    (less those in ``unprinted``, canonical dotted paths such as ``speech.meeting.organizer``), and
    for every placeholder the sheet path where the missing fact belongs."""
    walker = _Walker(sheet, unprinted)
    sections = _sections(sheet, schema, mounts or {})
    for typed, name in sections:
        walker.walk(value_at(sheet.data, typed), schema.root.fields[name], typed, (name,))
    given = {name for _, name in sections}
    for name, spec in (schema.root.fields or {}).items():
        if name not in given and not spec.required:
            walker.gap(spec, (), (name,), (None, None))  # a whole section not written
    unused = _misspelt_sections(sheet, schema, given) + _unprinted(sheet, walker.leaves, document)
    return Audit(unused, _pending(sheet, document, walker.gaps))


def _misspelt_sections(sheet: FactSheet, schema: Schema, given: Set[str]) -> List[Problem]:
    """A top-level key the schema does not read is another kind's section and is skipped — unless it
    is one letter off a section this kind reads but the sheet lacks (工作计画 for 工作计划): then its
    facts would silently go missing from the draft."""
    wanted = [key for key, name in schema.root.keys.items() if name not in given]
    problems = []
    for key in sheet.data if isinstance(sheet.data, dict) else ():
        # Sharing too few characters rules out difflib's 0.7 at once (and its import at start-up).
        near = [w for w in wanted if sum((Counter(w) & Counter(key)).values()) >= 0.35 * (len(w) + len(key))]
        hint = did_you_mean(key, near, cutoff=0.7) if near and key not in schema.root.keys else ""
        if hint:
            line, column = sheet.key_positions.get((key,), (None, None))
            problems.append(Problem(f"未使用：“{key}”不是本文种读取的一节，其中的事实都没有写进文稿{hint}",
                                    sheet.path, line, column, key))
    return problems


def _sections(sheet: FactSheet, schema: Schema, mounts: Dict[str, PathTuple]) -> List[Tuple[PathTuple, str]]:
    """(where in the sheet, canonical name) of every top-level section the schema reads."""
    root = schema.root
    found = []
    if isinstance(sheet.data, dict):
        for key in sheet.data:
            name = root.keys.get(key)
            if name is not None and name not in mounts:
                found.append(((key,), name))
    found += [(where, name) for name, where in mounts.items() if name in (root.fields or {})]
    return found


class _Walker:
    """Walks a section with its schema: text leaves to account for, and the optional fields not given."""

    def __init__(self, sheet: FactSheet, unprinted: Sequence[str]):
        self.sheet = sheet
        self.unprinted = tuple(unprinted)
        self.leaves: List[Tuple[PathTuple, str]] = []
        self.gaps: List[_Gap] = []

    def walk(self, value: Any, spec: Optional[Field], typed: PathTuple, canonical: Tuple[str, ...]) -> None:
        if self._exempt(canonical):
            return
        if isinstance(value, dict):
            fields = (spec.fields if spec else None) or {}
            given = set()
            for key, child in value.items():
                name = spec.keys.get(key) if spec else None
                given.add(name)
                if child is None and name in fields and not fields[name].required:  # “职务:” left blank
                    self.gap(fields[name], typed, canonical + (name,), self.sheet.where(typed + (key,), at_key=True))
                    continue
                self.walk(child, fields.get(name), typed + (key,), canonical + (name or key,))
            for name, sub in fields.items():
                if name not in given and not sub.required:
                    self.gap(sub, typed, canonical + (name,), self.sheet.where(typed, at_key=True))
        elif isinstance(value, list):
            item = spec.item if spec else None
            for index, child in enumerate(value):
                self.walk(child, item, typed + (index,), canonical)
        elif value is not None and str(value).strip() and not (spec and (spec.switchable and is_off(value)
                                                                        or spec.required)):
            # a phrase switched off (不写) is used by not printing it; a required fact the style may
            # leave out (简称 when a 主体 is given, a 名称 inside a title written whole) cannot be deleted
            self.leaves.append((typed, str(value)))

    def gap(self, spec: Field, parent: PathTuple, canonical: Tuple[str, ...],
             position: Tuple[Optional[int], Optional[int]]) -> None:
        """An absent field, and the fields under it a template may still ask for (Missing's children)."""
        if self._exempt(canonical):
            return
        path = parent + (spec.label,)
        self.gaps.append(_Gap(spec.label, path, position))
        for name, sub in (spec.fields or {}).items():
            self.gap(sub, path, canonical + (name,), position)

    def _exempt(self, canonical: Tuple[str, ...]) -> bool:
        dotted = ".".join(canonical)
        return any(dotted == p or dotted.startswith(p + ".") for p in self.unprinted)


def _pending(sheet: FactSheet, document: Document, gaps: List[_Gap]) -> List[Problem]:
    """One problem per 【待补】 of the draft, at the sheet mapping where its fact belongs. Placeholders
    of the same label are paired with the absent fields of that label in order; when the counts
    differ, every candidate is named."""
    shown: Dict[str, int] = {}
    for placeholder in document.placeholders():
        shown[placeholder.label] = shown.get(placeholder.label, 0) + 1
    problems = []
    for label, count in shown.items():
        candidates = [gap for gap in gaps if gap.label == label]
        message = f"待补：事实表没有填写，文稿中显示为【待补：{label}】"
        if len(candidates) == count:
            for gap in candidates:
                problems.append(Problem(message, sheet.path, *gap.position, format_path(gap.path)))
            continue
        if len(candidates) > count:
            message += "（可能是：" + "、".join(format_path(g.path) for g in candidates) + "）"
        where = candidates[0] if candidates else None
        for _ in range(count):
            problems.append(Problem(message, sheet.path if where else None,
                                    *(where.position if where else (None, None)),
                                    format_path(where.path) if where else None))
    return problems


def unprinted_fields(pack: TemplatePack, schema: Schema) -> Tuple[str, ...]:
    """template.yaml ``unprinted``: dotted canonical field paths the pack reads but never prints;
    each must name a field of its schema."""
    problems = [Problem(f"“{entry}”不是本样式字段定义里的字段（应写成规范键名的路径，如 speech.meeting.organizer）",
                        str(pack.folder / "template.yaml"), line, column, format_path((UNPRINTED_KEY, index)))
                for index, (entry, line, column) in enumerate(pack.unprinted) if _field(schema, entry) is None]
    if problems:
        raise DrafterError(problems)
    return tuple(entry for entry, _, _ in pack.unprinted)


def _field(schema: Schema, dotted: str) -> Optional[Field]:
    spec: Optional[Field] = schema.root
    for name in dotted.split("."):
        while spec is not None and spec.item is not None:
            spec = spec.item
        spec = (spec.fields or {}).get(name) if spec is not None else None
    return spec


def strict_problems(found: Audit) -> List[Problem]:
    """--strict: every unused fact and every placeholder is an error, and no file is written."""
    parts = []
    if found.unused:
        parts.append(f"{len(found.unused)} 处事实没有写进文稿")
    if found.pending:
        parts.append(f"{len(found.pending)} 处待补")
    if not parts:
        return []
    return found.unused + found.pending + [Problem(f"--strict：文稿有 {'、'.join(parts)}，没有写出文件")]
