"""One draft, start to finish: load → punctuation → (choose the event) → validate → render outline
→ outline tree → Document under the form scheme (→ accounting: facts never printed, where each
【待补】 belongs; 排比 check) → bytes.

The CLI calls this and prints; nothing here prints or knows about click.
"""
from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Dict, List, Optional, Sequence

from . import accounting, events
from .document import Document, plain_text, read_outline
from .errors import DrafterError, Problem
from .facts import PLACEHOLDERS, FactSheet, PathTuple, format_path, load_sheet, value_at
from .form import apply_form
from .form_scheme import SHEET_KEYS, scheme_for
from .layout import Layout, load_layout
from .parallel import check_frame, check_parallel
from .render import render_outline
from .template_check import check_outline
from .templates import (
    TemplatePack,
    drafting_sources,
    find_pack,
    origin_notice,
    style_names,
)
from .validate import Schema, load_schema, validate
from .zh import describe_changes, normalise_punctuation, typed_enumerator

if TYPE_CHECKING:
    from .writers.record import Record


@dataclass
class Draft:
    sheet: FactSheet
    pack: TemplatePack
    layout: Layout
    document: Document
    warnings: List[Problem] = field(default_factory=list)
    notes: List[str] = field(default_factory=list)  # what was chosen for the writer (which event)
    event_id: Optional[str] = None  # the event a news release was written from
    audit: accounting.Audit = field(default_factory=accounting.Audit)  # facts never printed, 【待补】 sources
    style: str = ""  # the style drafted (the record names the command that drafted it)
    layout_name: Optional[str] = None  # --layout, when given

    def record(self) -> "Record":
        """What the .docx records of its making (writers/record.py); the facts are added as written."""
        from .writers.record import Record

        return Record(self.sheet.path, self.sheet.digest, self.pack.kind, self.style, self.event_id, self.layout_name)

    def sheet_values(self) -> Dict[tuple, str]:
        """The sheet's value of each field the draft printed, as written there."""
        values = {}
        for fact in self.document.facts():
            key = tuple(fact.source.key)
            if key not in values:
                value = value_at(self.sheet.data, key)
                values[key] = "" if value is None else str(value)
        return values

    def hints(self, strict: bool = False) -> List[Problem]:
        """What to tell staff beside the draft; under --strict unused facts are refusals instead."""
        return self.warnings + ([] if strict else self.audit.unused)

    @property
    def placeholder_count(self) -> int:
        return sum(1 for _ in self.document.placeholders())

    @property
    def title(self) -> str:
        titles = [b for b in self.document.blocks if getattr(b, "role", None) == "title"]
        return plain_text(titles[0].inlines) if titles else self.pack.title


def make_draft(kind: str, sheet_path: Path, style: Optional[str] = None, layout_name: Optional[str] = None,
               event: Optional[str] = None, templates: Sequence[Path] = ()) -> Draft:
    """Load → punctuation → (choose the event) → validate → render → parse.

    ``event`` is an event's id or type (news); without ``style`` the chosen event's type picks it.
    """
    sources, root_warnings = drafting_sources(templates)
    roots = [source.path for source in sources]  # built-in, packages, ./templates/, $DRAFTER_TEMPLATES, --templates
    sheet = normalise_sheet(load_sheet(sheet_path))
    choice = None
    if event is not None:
        catalog = events.load_catalog(roots)
        choice = events.choose(sheet, event, catalog)
        if style is None:
            if choice.event.style is None:
                raise DrafterError(events.unknown_type(sheet, choice.event, catalog))
            style = choice.event.style
    if style is None:
        raise DrafterError(_no_style(kind, sheet, roots))
    pack = find_pack(kind, style, roots)
    schema = load_schema(pack.schema_files)
    check_outline(pack, schema)  # the template's own mistakes first, at their template lines
    mounts = _mounts(sheet, schema, pack, choice, roots)
    facts = validate(sheet, schema, mounts)
    check_frame(sheet, schema, facts)
    scheme = scheme_for(pack, sheet, lambda: style_names(roots))  # the style's form, with the sheet's 形式 for it
    outline = render_outline(pack, facts)
    tree = read_outline(outline.text, str(pack.outline), outline.prints)
    document = apply_form(tree, scheme)
    accounting.check_numbers(document, str(pack.outline))  # framing text holds no number of its own
    layout = load_layout(layout_name or pack.layout, [root / "layouts" for root in roots],
                         None if layout_name else pack.folder)  # a pack's layout file is in its folder
    audit = accounting.audit(sheet, schema, document, mounts, accounting.unprinted_fields(pack, schema))
    return Draft(sheet=sheet, pack=pack, layout=layout, document=document, style=style, layout_name=layout_name,
                 warnings=sheet.warnings + root_warnings + origin_notice(pack, sources) + check_parallel(tree),
                 notes=choice.notes if choice else [], event_id=choice.event.id if choice else None, audit=audit)


def _mounts(sheet: FactSheet, schema: Schema, pack: TemplatePack, choice: Optional[events.Choice],
            roots: List[Path]) -> Dict[str, PathTuple]:
    """Where the pack's ``event`` comes from: the chosen item of the sheet's 活动 list, validated in
    place so that every message names it as written (活动[2].主持.姓名) at its own line."""
    takes_event = events.takes_event(schema)
    if choice is None and takes_event:
        raise DrafterError(events.no_match(sheet, events.load_catalog(roots),
                                           opening=f"样式“{pack.style}”写的是一项活动，请用 --event 指定哪一项",
                                           feature_hint=pack.kind == events.KIND))
    if choice is not None and not takes_event:
        raise DrafterError(Problem(f"样式“{pack.style}”（{pack.title}）不针对某项活动，请去掉 --event"))
    return {events.EVENT_FIELD: choice.event.path} if choice else {}


def _no_style(kind: str, sheet: FactSheet, roots: List[Path]) -> Problem:
    if kind == events.KIND:
        return events.no_match(sheet, events.load_catalog(roots),
                               opening="请用 --event 指定活动（编号或类型），或用 --style feature 写年度工作综述")
    return Problem(f"请用 --style 指定“{kind}”的模板样式")


def normalise_sheet(sheet: FactSheet) -> FactSheet:
    """Every text value of the sheet with half-width , : ; ( ) ! ? in Chinese text made full-width,
    and placeholder words (暂无, 待定 … facts.PLACEHOLDERS) read as blanks; a value that starts with
    an enumerator of its own (一是, （一）) is pointed out.

    Web copy-paste brings the punctuation; a 暂无 would be printed as if it were the fact. Each value
    changed is reported once, at its line, as a warning.
    """
    warnings = list(sheet.warnings)
    blanked: Dict[PathTuple, str] = {}

    def warn(path: PathTuple, message: str) -> None:
        line, column = sheet.positions.get(path, (None, None))
        warnings.append(Problem(message, sheet.path, line, column, format_path(path)))

    def walk(value: Any, path: PathTuple) -> Any:
        if isinstance(value, dict):
            return {key: walk(item, path + (key,)) for key, item in value.items()}
        if isinstance(value, list):
            return [walk(item, path + (index,)) for index, item in enumerate(value)]
        if not isinstance(value, str):
            return value
        if len(value) < 10 and value.strip().rstrip("。") in PLACEHOLDERS and not _is_form(path):  # 序号: 无
            blanked[path] = value.strip()
            warn(path, f"“{blanked[path]}”不是事实，按没有填写处理（文稿需要它时显示为【待补】）；不知道的可选项请整行删掉")
            return None
        text, counts = normalise_punctuation(value)
        if counts:
            warn(path, f"半角标点已改为全角：{describe_changes(counts)}")
        typed = typed_enumerator(text.split("。")[0]) if not _is_form(path) else None  # 形式 names enumerators
        if typed and text.lstrip().startswith(typed):
            warn(path, f"以序号“{typed}”开头：序号由形式（事实表的“形式”）按位置生成，值里不必再写，否则会印成两个序号")
        return text

    data = walk(sheet.data, ())
    return dataclasses.replace(sheet, data=data, warnings=warnings, placeholders=blanked)


def _is_form(path: PathTuple) -> bool:
    """Whether a value is in the sheet's 形式, whose words (无, 一是) are not facts."""
    return bool(path) and path[0] in SHEET_KEYS


def render(draft: Draft, fmt: str) -> bytes:
    if fmt == "docx":
        from .writers.package import zip_parts

        return zip_parts(_content(draft, fmt))
    return _content(draft, fmt)


def _content(draft: Draft, fmt: str) -> Any:
    """What output.py writes: a .docx as its parts (fingerprinted, then zipped once), a preview as bytes."""
    if fmt == "docx":
        from .writers.docx import docx_parts

        return docx_parts(draft.document, draft.layout, title=draft.title,
                          comment=f"drafter 根据 {draft.sheet.path} 生成的初稿", record=draft.record(),
                          values=draft.sheet_values())
    from .writers.text import render_markdown, render_text

    text = render_markdown if fmt == "md" else render_text
    return text(draft.document, draft.layout).encode("utf-8")


def write_draft(draft: Draft, fmt: str, folder: Path = Path("."), file: Optional[Path] = None,
                force: bool = False, strict: bool = False, written: Optional[Dict[Path, Path]] = None,
                stream: Any = None) -> Optional[Path]:
    """Write the draft where the writer asked (or under its default name in folder), or to ``stream``,
    a binary file (-o -: returns None); --strict refuses unused facts and placeholders first.
    ``written`` collects a batch's outputs so that two sheets named alike in different folders never
    replace each other."""
    from .output import write_output, write_stream

    refused = accounting.strict_problems(draft.audit) if strict else []
    if refused:
        raise DrafterError(refused)
    if stream is not None:
        write_stream(stream, _content(draft, fmt), fmt)
        return None
    path = file or default_output(draft, fmt, folder)
    if written is not None:
        if path in written:
            raise DrafterError(f"输出文件 {path} 与 {written[path]} 的输出同名，没有写出；请分开运行并用 -o 指定")
        written[path] = Path(draft.sheet.path)
    write_output(path, _content(draft, fmt), fmt, force=force)
    return path


REVIEW_SUFFIX = "-核稿"


def write_review(draft: Draft, path: Path, templates: Sequence[Path] = (), force: bool = False) -> Path:
    """The 核稿 copy beside the draft (2024-汇报发言-核稿.docx): a Word comment on every figure, date
    and name naming its field and sheet line; a speech's title carries its length estimate."""
    from .check import length, load_words
    from .output import write_output
    from .writers.docx import docx_parts
    from .writers.review import Review

    note = ""
    if draft.pack.kind == "speech":
        sources, _ = drafting_sources(templates)
        rate = length.speaking_rate(load_words([source.path for source in sources]))
        characters = sum(length.word_count(plain_text(block.inlines)) for block in draft.document.blocks)
        note = length.Length(characters, rate).describe() + "（估计）"
    review = Review(note)
    parts = docx_parts(draft.document, draft.layout, title=draft.title,
                       comment=f"drafter 根据 {draft.sheet.path} 生成的核稿本", review=review, record=draft.record(),
                       values=draft.sheet_values())
    target = path.with_name(path.stem + REVIEW_SUFFIX + ".docx")
    write_output(target, parts, "docx", force=force)
    return target


def default_output(draft: Draft, fmt: str, folder: Path = Path(".")) -> Path:
    """2024-汇报发言.docx: the sheet's name, then the style's output name; a release names its event
    too (2024-01-会议新闻稿.docx), so two meetings of a year never overwrite each other."""
    stem = Path(draft.sheet.path).stem
    if draft.event_id:
        event = re.sub(r'[\\/:*?"<>|\s]+', "-", draft.event_id).strip("-.") or "活动"
        stem = event if event.startswith(stem) else f"{stem}-{event}"
    return folder / f"{stem}-{draft.pack.output}.{fmt}"
