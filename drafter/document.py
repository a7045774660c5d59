"""The Document model, the outline tree, and the outline-markup parser (docs/outline.md).

A template writes an outline that says what each block is — a part, section, point or sub-point,
its lead phrase and its body — and never how it looks. The parser reads that into an Outline
(a tree of Items); form.py lays the tree out as a Document under the document's form scheme
(enumerators, headings or run-in leads or running text, paragraphing). The Document knows
structure only — roles, heading levels, placeholders, which stretches of text are facts and where
each was written — and nothing about fonts; writers and layout profiles decide how it looks, as
pandoc's AST does for its writers.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Iterator, List, Optional, Sequence, Tuple, Union

from .errors import DrafterError, Problem

if TYPE_CHECKING:
    from .form_scheme import Scheme
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
ITEM_FLAGS = {"no-parallel": "no-parallel", "非排比": "no-parallel"}
FORM_FLAGS = {"领句", "run-in", "不编号", "unnumbered"}  # how an item looks: the form scheme says that now
INLINE_CLASSES = {"placeholder": "placeholder", "待补": "placeholder", "part-count": "part-count", "部分数": "part-count",
                  "label": "label", "标签": "label"}
LEVEL_NAMES = ("部分", "节", "点", "小点")  # ## ### #### #####


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
    """A number drafter derived from the sheet or the document: the 二是 of a second point (序号),
    the 三 of “我讲三点意见” (计数) — never one a template chose."""

    text: str
    kind: str


@dataclass(frozen=True)
class Lead:
    """A run-in lead (段首领句) inside a body paragraph, enumerator and phrase: one character style
    per level, so staff restyle every 领句 at once."""

    level: int
    inlines: Tuple["Inline", ...]

    @property
    def text(self) -> str:
        return "".join(i.text for i in self.inlines)


Inline = Union[Text, Fact, Generated, Placeholder, Lead]


@dataclass
class Heading:
    level: int  # Word's Heading 1..4
    inlines: List[Inline]


@dataclass
class Paragraph:
    inlines: List[Inline]
    role: str = "body"  # body, title, subtitle, byline, date, salutation, closing, signature, signed-date
    continues: bool = False  # in an outline: written right after a ###/ line, it goes on the paragraph before


Block = Union[Heading, Paragraph]


@dataclass
class Document:
    blocks: List[Block] = field(default_factory=list)

    def inlines(self) -> Iterator[Inline]:
        """Every inline of the draft, a run-in lead's own in its place."""
        for block in self.blocks:
            yield from self.inlines_of(block)

    @staticmethod
    def inlines_of(block: Block) -> Iterator[Inline]:
        for inline in block.inlines:
            if type(inline) is Lead:
                yield from inline.inlines
            else:
                yield inline

    def placeholders(self) -> Iterator[Placeholder]:
        return (i for i in self.inlines() if isinstance(i, Placeholder))

    def facts(self) -> Iterator[Fact]:
        return (i for i in self.inlines() if isinstance(i, Fact))


@dataclass
class Item:
    """A part, section, point or sub-point as the template wrote it: what it is, not how it looks."""

    depth: int  # 1 part (##), 2 section (###), 3 point (####), 4 sub-point (#####)
    lead: List[Inline]  # the lead phrase (领句, or a heading's words), without enumerator or end mark
    label: List[Inline] = field(default_factory=list)  # the sheet's own label, in the enumerator's place
    name: Optional[str] = None  # {名称=成绩}: the scheme may address the item by it
    parallel: bool = True  # a 排比 lead, checked against its siblings; framing ones (存在的问题) are not
    content: List[Union[Paragraph, "Item"]] = field(default_factory=list)  # body, then children, ...

    def items(self) -> List["Item"]:
        return [node for node in self.content if type(node) is Item]


@dataclass
class Outline:
    """The parsed outline: document-level paragraphs (title, salutation, closing…) and the parts."""

    content: List[Union[Paragraph, Item]] = field(default_factory=list)
    source: str = "outline"

    def items(self) -> List[Item]:
        return [node for node in self.content if type(node) is Item]


def plain_text(inlines: Sequence[Inline]) -> str:
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


_ATTRS = re.compile(r"\{((?:\s*(?:\.[^\s{}.=\\]+|(?:名称|name)=[^\s{}\\]+))+)\s*\}\s*$")
_HEADING = re.compile(r"^(#{1,5})(?:\s+(.*))?$")
_CLOSE = re.compile(r"^(#{2,5})/$")
_INLINE = re.compile(r"\\(.)|\[((?:\\.|[^\\\]])*)\]\{\s*\.([^\s{}]+)\s*\}|([\[\]{}])")


@dataclass(frozen=True)
class _LabelSpan:
    """[……]{.标签} while its line is read: the item's own label."""

    inlines: Tuple[Inline, ...]

    @property
    def text(self) -> str:
        return plain_text(self.inlines)


def parse_outline(text: str, source: str = "outline", prints: Sequence[Print] = (),
                  scheme: Optional[Scheme] = None) -> Document:
    """Outline text → Document under a form scheme (the vocabulary's defaults without one)."""
    from .form import apply_form

    return apply_form(read_outline(text, source, prints), scheme)


def read_outline(text: str, source: str = "outline", prints: Sequence[Print] = ()) -> Outline:
    """Parse rendered outline text into an Outline; markup mistakes are template errors. Marked
    stretches (render.py) become Fact and Generated inlines; ``prints`` says what each mark is."""
    problems: List[Problem] = []
    outline = Outline(source=source)
    open_items: List[Item] = []  # the item being written at each depth, outermost first
    title_lines: List[List[Inline]] = []
    para_lines: List[Tuple[int, str]] = []
    spans: List[Inline] = []  # the marked stretches of the lines not yet made inlines, in order
    closed_at = -1  # the line of the last ###/: text right under it goes on the paragraph before

    def fail(lineno: int, message: str) -> None:
        problems.append(Problem(message, file=source, line=lineno))

    def container() -> list:
        return open_items[-1].content if open_items else outline.content

    def inlines_of(lineno: int, raw: str) -> List[Inline]:
        parts = _inlines_of(lineno, raw)
        return _with_spans(parts, spans) if _SLOT in raw else parts

    def _inlines_of(lineno: int, raw: str) -> List[Inline]:
        if not _MARKUP.search(raw):
            return [Text(raw)] if raw else []  # plain text and slots: no markup on the line
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
                inner = _unescape(m.group(2))
                parts.append(_PART_COUNT if cls == "part-count" else
                             _LabelSpan((Text(inner),)) if cls == "label" else Placeholder(inner))
            else:
                fail(lineno, f"多余的“{m.group(4)}”：如需字面输出请写成“\\{m.group(4)}”")
                parts.append(Text(m.group(4)))
        if pos < len(raw):
            parts.append(Text(raw[pos:]))
        return _merge_texts(parts)

    def split_attrs(raw: str) -> Tuple[str, List[str]]:
        if not raw.endswith("}"):
            return raw, []  # most lines: no attributes to look for
        m = _ATTRS.search(raw)
        if not m or _escaped(raw, m.start()):
            return raw, []
        before = m.start()
        if before and raw[before - 1] == "]" and not _escaped(raw, before - 1):
            return raw, []  # [文字]{.待补} at the end of a line is an inline span
        return raw[:m.start()].rstrip(), m.group(1).split()

    def no_labels(lineno: int, inlines: List[Inline]) -> List[Inline]:
        if any(type(i) is _LabelSpan for i in inlines):
            fail(lineno, "[……]{.标签} 只能写在一项的 ##～##### 行里：它代替这一项的序号")
            return [i for i in inlines if type(i) is not _LabelSpan]
        return inlines

    def flush_paragraph() -> None:
        if not para_lines:
            return
        role = "body"
        inl: List[Inline] = []
        for lineno, raw in para_lines:
            body, attrs = split_attrs(raw)
            inl += no_labels(lineno, inlines_of(lineno, body))
            for attr in attrs:
                if attr[1:] in PARAGRAPH_ROLES and attr[0] == ".":
                    role = PARAGRAPH_ROLES[attr[1:]]
                else:
                    fail(lineno, f"未知的段落角色“{attr}”（可用：{_names(PARAGRAPH_ROLES)}）")
        continues = para_lines[0][0] == closed_at + 1 and role == "body"
        para_lines.clear()
        if role != "body":
            open_items.clear()  # 结束语, 落款: the document's own, after every part
        container().append(Paragraph(_merge_texts(inl), role=role, continues=continues))

    def flush_title() -> None:
        if title_lines:
            inl: List[Inline] = []
            for line_inlines in title_lines:
                inl += line_inlines
            outline.content.append(Paragraph(_merge_texts(inl), role="title"))
            title_lines.clear()

    def open_item(lineno: int, depth: int, raw: str) -> None:
        body, attrs = split_attrs(raw)
        inlines = inlines_of(lineno, body)
        item = Item(depth, [i for i in inlines if type(i) is not _LabelSpan],
                    [piece for i in inlines if type(i) is _LabelSpan for piece in i.inlines])
        for attr in attrs:
            word = attr[1:]
            if "=" in attr:
                item.name = attr.partition("=")[2]
            elif ITEM_FLAGS.get(word) == "no-parallel":
                item.parallel = False
            elif word in FORM_FLAGS:
                fail(lineno, f"“{attr}”不再写在模板里：一项是标题、领句还是连写，编不编号，由形式方案决定"
                             "（template.yaml 的 form，事实表的“形式”；见 docs/forms.md）")
            else:
                fail(lineno, f"未知的标题属性“{attr}”（可用：.非排比、名称=……）")
        while open_items and open_items[-1].depth >= depth:
            open_items.pop()
        container().append(item)
        open_items.append(item)

    if _MARKED.search(text):
        text = _take_spans(text, prints, spans, problems, source)
    spans.reverse()  # taken from the end, in order
    for lineno, line in enumerate(text.splitlines(), 1):
        stripped = line.strip()
        close = heading = None
        if stripped[:1] == "#":
            close = _CLOSE.match(stripped)
            heading = None if close else _HEADING.match(stripped)
        if close:
            flush_title()
            flush_paragraph()
            depth = len(close.group(1)) - 1  # nothing open at that depth (an empty list) is nothing to end
            while open_items and open_items[-1].depth >= depth:
                open_items.pop()
            closed_at = lineno
        elif heading:
            flush_paragraph()
            hashes = len(heading.group(1))
            if hashes == 1:
                body, attrs = split_attrs((heading.group(2) or "").strip())
                if attrs:
                    fail(lineno, "标题行不能带属性")
                title_lines.append(no_labels(lineno, inlines_of(lineno, body)))
                continue
            flush_title()
            open_item(lineno, hashes - 1, (heading.group(2) or "").strip())
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
    if problems:
        raise DrafterError(problems)
    _count_parts(outline)
    return outline


# --------------------------------------------------------------------------- marked stretches

_SLOT = "\ufdd3"  # where a marked stretch stood in a line while the line's markup is read
_MARKED = re.compile("[\ufdd0-\ufdd3\ufde0-\ufdef]")  # a mark's characters or a slot
_PART_COUNT = Generated("", "部分数")  # []{.部分数}: how many parts (level-1 headings) the draft has


def _take_spans(text: str, prints: Sequence[Print], spans: List[Inline], problems: List[Problem],
                source: str) -> str:
    """The text with each marked stretch replaced by a slot, its inline appended to ``spans`` in
    order: one pass over the whole outline. A mark a template broke or a fact it changed after
    printing (a filter block) is a template error."""
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

    result = Marks.SPAN.sub(take, text.replace(_SLOT, Marks.OPEN))  # a slot nobody should have typed is a stray mark
    broken = Marks.ANY.search(result)
    if broken:
        line = result.count("\n", 0, broken.start()) + 1
        problems.append(Problem("模板截断或拆开了事实的标记（对印出的事实又做了切片、替换之类的处理）", source, line))
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

    def fill(text: str) -> List[Inline]:
        pieces = text.split(_SLOT)
        filled: List[Inline] = [Text(pieces[0])] if pieces[0] else []
        for piece in pieces[1:]:
            filled.append(spans.pop())
            if piece:
                filled.append(Text(piece))
        return filled

    for part in parts:
        if type(part) is Text and _SLOT in part.text:
            out += fill(part.text)
        elif type(part) is _LabelSpan and _SLOT in part.text:
            out.append(_LabelSpan(tuple(fill(part.text))))
        elif type(part) is Placeholder and _SLOT in part.label:
            label = part.label
            while _SLOT in label and spans:
                label = label.replace(_SLOT, spans.pop().text, 1)
            out.append(Placeholder(label))
        else:
            out.append(part)
    return out


def _count_parts(outline: Outline) -> None:
    """Fill each []{.部分数} with how many parts (the outline's top-level items) there are."""
    paragraphs = list(_paragraphs(outline.content))
    if not any(i is _PART_COUNT for p in paragraphs for i in p.inlines):
        return
    from .zh import zh_count

    count = len(outline.items())
    if not 0 < count < 100:  # zh_numeral has no Chinese for these: the draft would say 0
        raise DrafterError(Problem(f"[]{{.部分数}} 数出的部分是 {count} 个，没有这样的说法（应有 1～99 个 ## 项）",
                                   file=outline.source))
    for paragraph in paragraphs:
        paragraph.inlines[:] = [Generated(zh_count(count), "计数") if i is _PART_COUNT else i
                                for i in paragraph.inlines]


def _paragraphs(nodes: Sequence[Union[Paragraph, Item]]) -> Iterator[Paragraph]:
    for node in nodes:
        if type(node) is Item:
            yield from _paragraphs(node.content)
        else:
            yield node


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
