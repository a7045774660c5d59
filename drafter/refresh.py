"""`drafter refresh`: a corrected fact reaches a draft staff have already edited, as tracked changes.

The draft records the facts it printed (writers/record.py) and holds each in a hidden bookmark. The
sheet is drafted again in memory with the recorded command; for every fact whose text would now be
different, the text in its bookmark is merged three ways (refresh_merge.py): the sheet's change goes in
where staff did not edit, and is reported as a conflict where they did. Nothing outside the bookmarks
changes, and every other part of the package keeps its bytes. What the structure depends on (a work
area added, a point removed) is not patched: refresh names the part to redo and the command that
drafts it afresh for a comparison.
"""
from __future__ import annotations

import io
import zipfile
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Dict, List, Optional, Sequence, Tuple

from . import files
from .errors import DrafterError, Problem
from .facts import format_path
from .readers.docx import W, open_docx, read_docx, text_pieces
from .refresh_merge import differing, merge
from .textfile import read_bytes
from .tracked import Changes
from .writers.package import Part, zip_parts
from .writers.record import Record, RecordedFact, read_record, record_xml

NO_RECORD = ("没有 drafter 记下的事实和锚点，无法刷新：它是本功能之前的 drafter 写的，或不是 drafter 写的。"
             "请用原来的命令另写一份新稿（-o 新.docx），再在 Word 里“比较”两份文档")


@dataclass
class Outcome:
    applied: List[str] = field(default_factory=list)
    conflicts: List[str] = field(default_factory=list)
    missing: List[str] = field(default_factory=list)
    redo: List[str] = field(default_factory=list)
    command: str = ""
    stale: bool = False

    def lines(self, written: Optional[Path], tracked: bool) -> List[str]:
        if not self.stale:
            return ["文稿与事实表一致，不用刷新。"]
        how = "修订（作者 drafter，可在 Word 或 WPS 里逐条接受或拒绝）" if tracked else "直接改写"
        out = [f"已改 {len(self.applied)} 处，{how}：", *self.applied] if self.applied else ["没有可以自动改的地方。"]
        if self.conflicts:
            out += [f"冲突 {len(self.conflicts)} 处，未改（事实表的改动落在经办人改过的地方）：", *self.conflicts]
        if self.missing:
            out += [f"找不到 {len(self.missing)} 处（锚点已不在，可能整段删了或重打了），未改：", *self.missing]
        if self.redo:
            out += ["这些改动牵涉文稿的结构，需要重写相应部分：", *self.redo,
                    f"可另写一份新稿对照：{self.command}"]
        if written is not None:
            out.append(f"已写出 {written}")
        return out


def refresh(draft_path: Path, sheet_path: Optional[Path], output: Optional[Path], accept: bool, force: bool,
            templates: Sequence[Path] = ()) -> Tuple[Outcome, Optional[Path]]:
    from .output import write_edited
    from .pipeline import make_draft
    from .writers.docx import written_facts

    if output is not None and output.exists() and output.resolve() == draft_path.resolve():
        output = None  # -o naming the draft itself: in place, with in-place's protections
    read_as = files.signature(draft_path)
    data = read_bytes(draft_path, "文稿")
    parts = _parts(data, draft_path)
    record = read_record(parts)
    if record is None or not record.facts:
        raise DrafterError(Problem(NO_RECORD, str(draft_path)))
    sheet = sheet_path or Path(record.sheet)
    if not sheet.is_file():
        raise DrafterError(Problem(f"找不到文稿记下的事实表 {record.sheet}，请在命令里写明事实表的路径", str(draft_path)))
    draft = make_draft(record.kind, sheet, record.style, record.layout, event=record.event, templates=templates)
    outcome = Outcome(command=Record(str(sheet), "", record.kind, record.style, record.event, record.layout).command())
    new_texts: Dict[tuple, List[str]] = defaultdict(list)
    for fact in written_facts(draft.document, draft.layout):
        new_texts[tuple(fact.source.key)].append(fact.text)
    old_texts: Dict[tuple, List[RecordedFact]] = defaultdict(list)
    for fact in record.facts:
        old_texts[fact.key].append(fact)
    outcome.redo = _structure_changes(old_texts, new_texts)
    outcome.stale = bool(outcome.redo)
    opened = open_docx(data, str(draft_path))
    numbers = {p.position: p.number for p in read_docx(data).paragraphs}
    positions = {p: i for i, p in enumerate(opened.body.iter(f"{{{W}}}p"))}
    bookmarks = _bookmarks(opened)
    changes = Changes(opened.body, tracked=not accept)
    updated: Dict[str, Tuple[str, str]] = {}  # anchor → (printed now, sheet value now)
    values = draft.sheet_values()
    for key, recorded_facts in old_texts.items():
        news = new_texts.get(key, [])
        if len(news) != len(recorded_facts):
            continue  # a structural change, reported above
        for fact, new in zip(recorded_facts, news):
            if new == fact.printed:
                continue
            outcome.stale = True
            where = format_path(key)
            found = bookmarks.get(fact.anchor)
            if found is None:
                was, now = differing(fact.printed, new)
                outcome.missing.append(f"  {where}：“{was}”→“{now}”" + _seen(fact.printed, opened))
                continue
            pieces, paragraph = found
            current = "".join(text for _, text in pieces)
            number = numbers.get(positions.get(paragraph, -1), 0)
            result = merge(fact.printed, current, new)
            for conflict in result.conflicts:
                outcome.conflicts.append(f"  第{number}段 {where}：事实表由“{_flat(conflict.printed)}”改为"
                                         f"“{_flat(conflict.new)}”，文中现为“{_flat(conflict.current)}”")
            for edit in reversed(result.edits):  # right to left: the offsets still to use stay true
                if changes.replace(pieces, edit.start, edit.end, edit.text):
                    outcome.applied.append(f"  第{number}段 {where}：“{_flat(edit.old)}”→“{_flat(edit.text)}”")
                    pieces = _bookmarks(opened)[fact.anchor][0]
                else:
                    outcome.conflicts.append(f"  第{number}段 {where}：“{edit.old}”在域或文本框里，请手工改为“{edit.text}”")
            if not result.conflicts:
                updated[fact.anchor] = (new, values.get(key, ""))
    if not outcome.stale:
        return outcome, None
    target = output or draft_path
    package = _package(parts, opened, record, updated, draft.sheet.digest)
    write_edited(target, package, read_as if output is None else None, force)
    return outcome, target


def _parts(data: bytes, path: Path) -> Dict[str, bytes]:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            return {info.filename: package.read(info) for info in package.infolist()}
    except (zipfile.BadZipFile, ValueError, OSError, RuntimeError):
        raise DrafterError(Problem("读不了：不是 Word 文档（.docx）", str(path))) from None


def _structure_changes(old: Dict[tuple, list], new: Dict[tuple, list]) -> List[str]:
    """The parts of the draft a changed structure touches: fields printed more or fewer times, or
    printed where they were not (a list grew or shrank)."""
    parts: Dict[str, str] = {}
    for key in sorted(set(old) | set(new), key=lambda k: [str(p) for p in k]):
        if len(old.get(key, ())) == len(new.get(key, ())):
            continue
        part = _part_of(key)
        had, has = len(old.get(key, ())), len(new.get(key, ()))
        parts.setdefault(part, f"  {part}：{format_path(key)} 原来印了 {had} 处，按现在的事实表要印 {has} 处")
    return list(parts.values())


def _part_of(key: tuple) -> str:
    """The list item a field belongs to (工作领域[3]), or its top-level section."""
    for index, step in enumerate(key):
        if isinstance(step, int):
            return format_path(key[:index + 1])
    return format_path(key[:1])


def _bookmarks(opened: Any) -> Dict[str, Tuple[List[Tuple[Any, str]], Any]]:
    """Each drafter bookmark's text pieces, in reading order, and the paragraph it starts in."""
    from .writers.docx import ANCHOR_PREFIX

    w = f"{{{W}}}"
    found: Dict[str, Tuple[List[Tuple[Any, str]], Any]] = {}
    for paragraph in opened.body.iter(f"{w}p"):
        starts = {b.get(f"{w}id"): b for b in paragraph.iter(f"{w}bookmarkStart")
                  if (b.get(f"{w}name") or "").startswith(ANCHOR_PREFIX)}
        if not starts:
            continue
        order = {element: index for index, element in enumerate(paragraph.iter())}
        ends = {b.get(f"{w}id"): order[b] for b in paragraph.iter(f"{w}bookmarkEnd")}
        pieces = text_pieces(opened, paragraph)
        for bookmark_id, start in starts.items():
            end = ends.get(bookmark_id, len(order))
            inside = [(element, text) for element, text in pieces if order[start] < order.get(element, -1) < end]
            found[start.get(f"{w}name")] = (inside, paragraph)
    return found


def _seen(printed: str, opened: Any) -> str:
    """Where the old text still stands, if anywhere (staff retyped the paragraph without the anchor)."""
    needle = printed.replace("\n", "")
    for paragraph in opened.body.iter(f"{{{W}}}p"):
        text = "".join(text for _, text in text_pieces(opened, paragraph)).replace("\n", "")
        if needle and needle in text:
            return "（原文仍见于文中，请核对）"
    return "（文中已找不到原文）"


def _flat(text: str) -> str:
    """A title's line break is layout, not text: messages show the words."""
    return text.replace("\n", "")


def _package(parts: Dict[str, bytes], opened: Any, record: Record, updated: Dict[str, Tuple[str, str]],
             digest: str) -> bytes:
    """The package with the edited document part and the record brought up to date; every other part
    as it was, byte for byte."""
    from lxml import etree

    facts = tuple(RecordedFact(f.anchor, f.key, *updated.get(f.anchor, (f.printed, f.value))) for f in record.facts)
    fresh = Record(record.sheet, digest, record.kind, record.style, record.event, record.layout, facts)
    out = []
    for name, data in parts.items():
        if name == "word/document.xml":
            data = etree.tostring(opened.document, xml_declaration=True, encoding="UTF-8", standalone=True)
        elif name == record.part:
            data = record_xml(fresh).encode("utf-8")
        out.append(Part(name, data))
    return zip_parts(out)
