"""The Document model and the outline-markup parser (docs/outline.md).

The model knows structure only — roles, heading levels, placeholders, which stretches of text are
facts and where each was written — and nothing about fonts or numbering; writers and layout
profiles decide how it looks, as pandoc's AST does for its writers.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Iterator, List, Optional, Sequence, Tuple, Union

from .errors import DrafterError, Problem

if TYPE_CHECKING:
    from .provenance import Print, Source

PARAGRAPH_ROLES = {
    "subtitle": "subtitle", "副标题": "subtitle",
    "byline": "byline", "署名": "byline",
    "date": "date", "日期": "date",
    "salutation": "salutation", "称谓": "salutation",
    "closing": "closing", "结束语": "closing",
    "signature": "signature", "落款": "signature",
    "signed-date": "signed-date", "成文日期": "signed-date",
}
HEADING_FLAGS = {
    "run-in": "run-in", "领句": "run-in",
    "unnumbered": "unnumbered", "不编号": "unnumbered",
    "no-parallel": "no-parallel", "非排比": "no-parallel",
}
INLINE_CLASSES = {"placeholder": "placeholder", "待补": "placeholder", "part-count": "part-count", "部分数": "part-count"}


@dataclass(frozen=True)
class Text:
    text: str


@dataclass(frozen=True)
class Placeholder:
    """A fact the sheet lacks: written as a highlighted 【待补：label】."""

    label: str

    @property
    def text(self) -> str:
        return f"【待补：{self.label}】"


@dataclass(frozen=True)
class Fact:
    """A stretch of the draft that is a fact of the sheet, and where the sheet says it."""

    text: str
    source: Source


@dataclass(frozen=True)
class Generated:
    """A number drafter derived from the sheet or the document: the 二 of 二是 (序号), the 三 of
    “我讲三点意见” (计数) — never one a template chose."""

    text: str
    kind: str


Inline = Union[Text, Fact, Generated, Placeholder]


@dataclass
class Heading:
    level: int  # 1..4
    inlines: List[Inline]
    numbered: bool = True
    parallel: bool = True  # a 排比 heading, checked against its siblings; framing headings (存在的问题和不足) are not


@dataclass
class Paragraph:
    inlines: List[Inline]
    role: str = "body"  # body, title, subtitle, byline, date, salutation, closing, signature, signed-date
    lead: Optional[Heading] = None  # a run-in heading (段首领句) that opens this paragraph


Block = Union[Heading, Paragraph]


@dataclass
class Document:
    blocks: List[Block] = field(default_factory=list)

    def inlines(self) -> Iterator[Inline]:
        """Every inline of the draft, run-in leads before the paragraph text they open."""
        for block in self.blocks:
            if isinstance(block, Paragraph) and block.lead:
                yield from block.lead.inlines
            yield from block.inlines

    def placeholders(self) -> Iterator[Placeholder]:
        return (i for i in self.inlines() if isinstance(i, Placeholder))

    def facts(self) -> Iterator[Fact]:
        return (i for i in self.inlines() if isinstance(i, Fact))


def plain_text(inlines: List[Inline]) -> str:
    return "".join(i.text for i in inlines)


def escape(value: str) -> str:
    """Make a fact value inert text in the markup, on one line."""
    value = fold_lines(value)
    return _MARKUP.sub(r"\\\1", value) if _MARKUP.search(value) else value


def fold_lines(value: str) -> str:
    """A fact value on one line, as the draft prints it."""
    value = value.strip()
    if "\n" in value or "\r" in value:
        value = _LINE_BREAKS.sub(_join_break, value)
    return value


_LINE_BREAKS = re.compile(r"\s*[\r\n]+\s*")
_MARKUP = re.compile(r"([\\#\[\]{}])")  # characters that mean something in the markup


def _join_break(match: re.Match) -> str:
    # A line break inside a value is folding, not structure: Chinese joins directly, Latin with a space.
    before, after = match.string[match.start() - 1:match.start()], match.string[match.end():match.end() + 1]
    return " " if before.isascii() and after.isascii() and before.isalnum() and after.isalnum() else ""


_ATTRS = re.compile(r"\{((?:\s*\.[^\s{}.\\]+)+)\s*\}\s*$")
_HEADING = re.compile(r"^(#{1,5})\s+(.*)$")
_INLINE = re.compile(r"\\(.)|\[((?:\\.|[^\\\]])*)\]\{\s*\.([^\s{}]+)\s*\}|([\[\]{}])")


def parse_outline(text: str, source: str = "outline", prints: Sequence[Print] = ()) -> Document:
    """Parse rendered outline text into a Document; markup mistakes are template errors. Marked
    stretches (render.py) become Fact and Generated inlines; ``prints`` says what each mark is."""
    problems: List[Problem] = []
    doc = Document()
    pending_lead: Optional[Heading] = None
    title_lines: List[List[Inline]] = []
    para_lines: List[Tuple[int, str]] = []
    spans: List[Inline] = []  # the marked stretches of the lines not yet made inlines, in order

    def fail(lineno: int, message: str) -> None:
        problems.append(Problem(message, file=source, line=lineno))

    def inlines_of(lineno: int, raw: str) -> List[Inline]:
        parts = _inlines_of(lineno, raw)
        return _with_spans(parts, spans) if _SLOT in raw else parts

    def _inlines_of(lineno: int, raw: str) -> List[Inline]:
        parts: List[Inline] = []
        pos = 0
        for m in _INLINE.finditer(raw):
            if m.start() > pos:
                parts.append(Text(raw[pos:m.start()]))
            pos = m.end()
            if m.group(1) is not None:
                parts.append(Text(m.group(1)))
            elif m.group(2) is not None:
                cls = INLINE_CLASSES.get(m.group(3))
                if cls is None:
                    fail(lineno, f"未知的行内标记“.{m.group(3)}”（可用：{_names(INLINE_CLASSES)}）")
                parts.append(_PART_COUNT if cls == "part-count" else Placeholder(_unescape(m.group(2))))
            else:
                fail(lineno, f"多余的“{m.group(4)}”：如需字面输出请写成“\\{m.group(4)}”")
                parts.append(Text(m.group(4)))
        if pos < len(raw):
            parts.append(Text(raw[pos:]))
        return _merge_texts(parts)

    def split_attrs(raw: str) -> Tuple[str, List[str]]:
        m = _ATTRS.search(raw)
        if not m or _escaped(raw, m.start()):
            return raw, []
        before = m.start()
        if before and raw[before - 1] == "]" and not _escaped(raw, before - 1):
            return raw, []  # [文字]{.待补} at the end of a line is an inline span
        return raw[:m.start()].rstrip(), [a.strip()[1:] for a in m.group(1).split()]

    def flush_paragraph() -> None:
        nonlocal pending_lead
        if not para_lines:
            return
        first = para_lines[0][0]
        role = "body"
        inl: List[Inline] = []
        for lineno, raw in para_lines:
            body, attrs = split_attrs(raw)
            inl += inlines_of(lineno, body)
            for attr in attrs:
                if attr in PARAGRAPH_ROLES:
                    role = PARAGRAPH_ROLES[attr]
                else:
                    fail(lineno, f"未知的段落角色“.{attr}”（可用：{_names(PARAGRAPH_ROLES)}）")
        para_lines.clear()
        if pending_lead and role != "body":
            fail(first, "段首领句后面应是正文段落")
        doc.blocks.append(Paragraph(_merge_texts(inl), role=role, lead=pending_lead))
        pending_lead = None

    def flush_title() -> None:
        if title_lines:
            inl: List[Inline] = []
            for line_inlines in title_lines:
                inl += line_inlines
            doc.blocks.append(Paragraph(_merge_texts(inl), role="title"))
            title_lines.clear()

    for lineno, line in enumerate(text.splitlines(), 1):
        if _MARKED.search(line):
            line = _take_spans(line, lineno, prints, spans, problems, source)
        stripped = line.strip()
        heading = _HEADING.match(stripped)
        if heading:
            flush_paragraph()
            if pending_lead:
                fail(lineno, "段首领句后面缺少正文段落")
                pending_lead = None
            body, attrs = split_attrs(heading.group(2).strip())
            hashes = len(heading.group(1))
            if hashes == 1:
                if attrs:
                    fail(lineno, "标题行不能带属性")
                title_lines.append(inlines_of(lineno, body))
                continue
            flush_title()
            node = Heading(level=hashes - 1, inlines=inlines_of(lineno, body))
            run_in = False
            for attr in attrs:
                flag = HEADING_FLAGS.get(attr)
                if flag == "run-in":
                    run_in = True
                elif flag == "unnumbered":
                    node.numbered = False
                elif flag == "no-parallel":
                    node.parallel = False
                else:
                    fail(lineno, f"未知的标题属性“.{attr}”（可用：{_names(HEADING_FLAGS)}）")
            if run_in:
                pending_lead = node
            else:
                doc.blocks.append(node)
        elif stripped:
            flush_title()
            para_lines.append((lineno, stripped))
            if split_attrs(stripped)[1]:
                flush_paragraph()  # a role ends its paragraph: byline and date lines stand alone
        else:
            flush_title()
            flush_paragraph()
    flush_title()
    flush_paragraph()
    if pending_lead:
        problems.append(Problem("段首领句后面缺少正文段落", file=source))
    if problems:
        raise DrafterError(problems)
    _count_parts(doc, source)
    return doc


# --------------------------------------------------------------------------- marked stretches

_SLOT = "\ufdd3"  # where a marked stretch stood in a line while the line's markup is read
_MARKED = re.compile("[\ufdd0-\ufdd3\ufde0-\ufdef]")  # a mark's characters or a slot
_PART_COUNT = Generated("", "部分数")  # []{.部分数}: how many parts (level-1 headings) the draft has


def _take_spans(line: str, lineno: int, prints: Sequence[Print], spans: List[Inline], problems: List[Problem],
                source: str) -> str:
    """The line with each marked stretch replaced by a slot, its inline appended to ``spans``. A mark
    a template broke or a fact it changed after printing (a filter block) is a template error."""
    from .provenance import Marks, Source

    def take(match: re.Match) -> str:
        index = Marks.index(match.group(1))
        if index >= len(prints):
            return match.group()  # not a mark drafter made: reported below as a broken one
        printed, text = prints[index], match.group(2)
        if text != printed.text:
            problems.append(_changed_after_printing(printed, text))
        spans.append(Fact(text, printed.ref) if isinstance(printed.ref, Source) else Generated(text, printed.ref.kind))
        return _SLOT

    result = Marks.SPAN.sub(take, line.replace(_SLOT, Marks.OPEN))  # a slot nobody should have typed is a stray mark
    if Marks.ANY.search(result):
        problems.append(Problem("模板截断或拆开了事实的标记（对印出的事实又做了切片、替换之类的处理）", source, lineno))
        result = Marks.ANY.sub("", result)
    return result


def _changed_after_printing(printed: Print, text: str) -> Problem:
    from .richtext import excerpt_of_change

    file, line = printed.template_place()
    shown = excerpt_of_change(printed.text, text)
    what = getattr(printed.ref, "path", "序号或个数")
    return Problem(f"模板改动了印出的事实：{what}印出后又被改成了“{shown}”（如 filter 块里的 replace）；"
                   "事实只能照事实表的写法印出", file, line)


def _with_spans(parts: List[Inline], spans: List[Inline]) -> List[Inline]:
    """Inlines with each slot replaced by its marked stretch, in order."""
    out: List[Inline] = []
    for part in parts:
        if type(part) is Text and _SLOT in part.text:
            pieces = part.text.split(_SLOT)
            if pieces[0]:
                out.append(Text(pieces[0]))
            for piece in pieces[1:]:
                out.append(spans.pop(0))
                if piece:
                    out.append(Text(piece))
        elif type(part) is Placeholder and _SLOT in part.label:
            label = part.label
            while _SLOT in label and spans:
                label = label.replace(_SLOT, spans.pop(0).text, 1)
            out.append(Placeholder(label))
        else:
            out.append(part)
    return out


def _count_parts(doc: Document, source: str) -> None:
    """Fill each []{.部分数} with how many parts (level-1 headings, standalone or run-in) there are."""
    if not any(i is _PART_COUNT for i in doc.inlines()):
        return
    from .zh import zh_count

    headings = [b if isinstance(b, Heading) else b.lead for b in doc.blocks]
    count = sum(1 for heading in headings if heading is not None and heading.level == 1)
    if not 0 < count < 100:  # zh_numeral has no Chinese for these: the draft would say 0
        raise DrafterError(Problem(f"[]{{.部分数}} 数出的一级标题是 {count} 个，没有这样的说法（应有 1～99 个 ## 标题）",
                                   file=source))
    for block in doc.blocks:
        for inlines in (block.inlines, block.lead.inlines if getattr(block, "lead", None) else []):
            inlines[:] = [Generated(zh_count(count), "计数") if i is _PART_COUNT else i for i in inlines]


def _escaped(raw: str, index: int) -> bool:
    """Whether the character at index is escaped: an odd run of backslashes before it."""
    run = len(raw[:index]) - len(raw[:index].rstrip("\\"))
    return run % 2 == 1


def _unescape(raw: str) -> str:
    return re.sub(r"\\(.)", r"\1", raw)


def _merge_texts(parts: List[Inline]) -> List[Inline]:
    merged: List[Inline] = []
    for part in parts:
        if isinstance(part, Text) and merged and isinstance(merged[-1], Text):
            merged[-1] = Text(merged[-1].text + part.text)
        elif not (isinstance(part, Text) and not part.text):
            merged.append(part)
    return merged


def _names(table: dict) -> str:
    return "、".join("." + k for k in table if not k.isascii())
