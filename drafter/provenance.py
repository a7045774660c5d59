"""Facts that know where they were written, from the validated sheet through rendering into the Document.

validate hands templates the sheet's values wrapped: text as FactText, whole numbers as FactNumber,
dates as FactDate, mappings and lists as FactDict and FactList — each with its Source (sheet file,
line, column, the field path as typed). A template prints them as they are or through drafter's
filters, which keep the source on the stretch of text that is the fact (Rich: text made of pieces,
whose operations are in richtext.py).
Whatever else a template computes from a fact is Altered, and printing it is an error.

When a value reaches the outline, render.py marks each fact stretch in the text with Unicode
noncharacters (U+FDD0–U+FDEF, which no sheet or template may contain: see Marks) and keeps a table
of what each mark stands for; document.py turns marked stretches back into Fact inlines. So after
rendering, drafter knows which spans of the draft are facts and where each came from, and any text
that is not a fact is the template's own framing.
"""
from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from typing import Any, Dict, Iterable, Iterator, List, Optional, Sequence, Tuple, Union

PathTuple = Tuple[Union[str, int], ...]


class Source:
    """Where a fact was written: the sheet, its line and column, the path as the writer typed it."""

    __slots__ = ("file", "key", "line", "column", "text")

    def __init__(self, file: str, key: PathTuple, line: Optional[int], column: Optional[int], text: str):
        self.file, self.key, self.line, self.column = file, key, line, column
        self.text = text  # the value as drafts print it (a date in Chinese): what composing ops look for

    @property
    def path(self) -> str:
        from .facts import format_path

        return format_path(self.key)

    def where(self) -> str:
        """file:line:column: path — as every message names a place in the sheet."""
        place = ":".join(str(part) for part in (self.file, self.line, self.column) if part)
        return f"{place}: {self.path}"

    def __repr__(self) -> str:
        return f"Source({self.where()!r})"


PHRASE_OFF = "不写"  # a phrase the sheet switches off: the template prints nothing in its place


def is_off(value: Any) -> bool:
    """Whether the sheet leaves a phrase out: 不写, or an empty text written on purpose ("")."""
    return not isinstance(value, Missing) and str(value).strip() in ("", PHRASE_OFF)


def phrase(value: Any) -> Any:
    """The filter |phrase, for the template's own framing words (称谓, 过渡语, 结束语…): the sheet's
    words for them, a fact; nothing when the sheet writes 不写; else the default words the field
    declares (schema ``phrase``), which are the template's framing."""
    if isinstance(value, Missing):
        if value.phrase is None:
            raise NotFromSheet(f"|phrase 只用于字段定义里写了 phrase（缺省说法）的措辞字段，“{value.path}”不是")
        return Outline(value.phrase)  # the template's own words: markup such as []{.部分数} stays markup
    return "" if is_off(value) else value


class Missing:
    """An optional fact the sheet does not give.

    Falsy and empty so templates can test it; printed as a 【待补：…】 placeholder so a forgotten
    fact is visible in the draft instead of silently blank. ``fields`` are the declared fields under
    it (validate.Field), so a template may still ask for event.host.name when 主持 is missing.
    """

    def __init__(self, label: str, path: str, fields: Optional[Dict[str, Any]] = None, phrase: Optional[str] = None):
        self.label = label
        self.path = path
        self._fields = fields or {}
        self.phrase = phrase  # a phrase field's default words: what |phrase prints in its place

    def _child(self, name: Any) -> Optional[Missing]:
        spec = self._fields.get(name) if isinstance(name, str) else None
        if spec is None:
            return None
        return Missing(spec.label, f"{self.path}.{spec.label}", spec.fields, spec.phrase)

    def __getattr__(self, name: str) -> Missing:
        # Dunder and private probes (copy, pickle, Jinja's sandbox) must not look like facts.
        child = None if name.startswith("_") else self._child(name)
        if child is None:
            raise AttributeError(name)
        return child

    def __getitem__(self, key: Any) -> Missing:
        child = self._child(key)
        if child is None:
            raise KeyError(key)
        return child

    def __bool__(self) -> bool:
        return False

    def __len__(self) -> int:
        return 0

    def __iter__(self) -> Iterator[Any]:
        return iter(())

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Missing)

    def __hash__(self) -> int:
        return hash(Missing)

    def __str__(self) -> str:
        return f"【待补：{self.label}】"

    def __repr__(self) -> str:
        return f"Missing({self.path!r})"


# --------------------------------------------------------------------------- fact values


class FactText(str):
    """A text value of the sheet, exactly as written (after punctuation and line folding). A piece
    of it (fact[3:], fact[0]) is not the fact: Jinja slices without asking the sandbox, so the
    value itself says so."""

    def __new__(cls, value: str, source: Source):
        text = str.__new__(cls, value)
        text.source = source
        return text

    def __getitem__(self, key: Any) -> Any:
        part = str.__getitem__(self, key)
        return self if part == self else Derived(part, Altered((self.source,), "切片"))


class FactNumber(int):
    """A whole number of the sheet (年度): printing it prints the sheet's number; arithmetic on it
    gives a plain int, which is not a fact."""

    def __new__(cls, value: int, source: Source):
        number = int.__new__(cls, value)
        number.source = source
        return number


class FactDate(datetime.date):
    """A date of the sheet; printed in Chinese (2024年12月17日) and still a fact."""

    def __new__(cls, year: int, month: int, day: int, source: Optional[Source] = None):
        date = datetime.date.__new__(cls, year, month, day)
        date.source = source  # None for a date the template made from it (.replace): not a fact
        return date


class FactDict(dict):
    """A mapping of the sheet (a work area, an event): an item a count may count. Its source is
    ``_source``: a field may well be called source, and templates read fields as attributes."""

    def __init__(self, items: Iterable, source: Source):
        super().__init__(items)
        self._source = source


class FactList(list):
    """A list of the sheet: its length and the positions of its items are counts drafter may print."""

    def __init__(self, items: Iterable, source: Source):
        super().__init__(items)
        self._source = source


FACT_VALUES = (FactText, FactNumber, FactDate, FactDict, FactList)


def source_of(value: Any) -> Optional[Source]:
    """Where a fact value was written, or None for anything else."""
    if isinstance(value, (FactDict, FactList)):
        return value._source
    return getattr(value, "source", None) if isinstance(value, FACT_VALUES) else None


def is_fact(value: Any) -> bool:
    return source_of(value) is not None


def attach(facts: Dict[str, Any], file: str, typed: Dict[PathTuple, PathTuple],
           positions: Dict[PathTuple, Tuple[int, int]]) -> Dict[str, Any]:
    """The validated facts with every value wrapped in its fact type. ``typed`` maps a canonical
    path to the path the writer typed (validate's renamer knows it), ``positions`` a typed path to
    its line and column (the loader's)."""
    def wrap(value: Any, canonical: PathTuple) -> Any:
        if isinstance(value, Missing) or value is None or isinstance(value, bool):
            return value
        key = typed.get(canonical, canonical)
        line, column = positions.get(key, (None, None))
        if isinstance(value, dict):
            source = Source(file, key, line, column, "")
            return FactDict(((name, wrap(item, canonical + (name,))) for name, item in value.items()), source)
        if isinstance(value, list):
            source = Source(file, key, line, column, "")
            return FactList((wrap(item, canonical + (index,)) for index, item in enumerate(value)), source)
        if isinstance(value, str):
            return FactText(value, Source(file, key, line, column, value))
        if isinstance(value, int):
            return FactNumber(value, Source(file, key, line, column, str(value)))
        if isinstance(value, datetime.date):
            return FactDate(value.year, value.month, value.day, Source(file, key, line, column, date_text(value)))
        return value

    return {name: wrap(value, (name,)) for name, value in facts.items()}


def date_text(value: datetime.date) -> str:
    """2024年4月23日 — GB/T 9704 §7.3.5.4: full year, no zero padding (zh.zh_date is the filter)."""
    return f"{value.year}年{value.month}月{value.day}日"


# --------------------------------------------------------------------------- counts drafter makes


class NotFromSheet(ValueError):
    """A template asked for a number the sheet does not give; the message is for the template's author."""



@dataclass(frozen=True)
class Counting:
    """What a number drafter itself derived from the sheet: an enumerator (the 二 of 二是) or a count
    (共三项), never a number the template chose."""

    kind: str  # 序号 or 计数
    source: Optional[Source] = None  # the list it counts, when it is one of the sheet's


class Count(int):
    """How many items a list of the sheet has, or an item's position in it (loop.index)."""

    def __new__(cls, value: int, counting: Counting):
        count = int.__new__(cls, value)
        count.counting = counting
        return count


def counts_facts(items: Sequence[Any]) -> bool:
    """Whether a sequence is one of the sheet's lists, or items of one in the sheet's order (a
    filtered list, frame_headings' pairs), so that its length counts something the sheet says;
    [x] * 21, range(21), two lists added together or a list the template wrote count nothing."""
    parent, last = None, -1
    for item in items:
        lead = item[0] if isinstance(item, tuple) and item else item
        source = source_of(lead)
        key = source.key if source is not None else ()
        if not key or not isinstance(key[-1], int) or key[-1] <= last or parent not in (None, key[:-1]):
            return False
        parent, last = key[:-1], key[-1]
    return parent is not None


def count_of(items: Any, kind: str = "计数") -> Any:
    """len(items) — a Count when it counts the sheet, else a plain int."""
    items = items if isinstance(items, (list, tuple)) else list(items)
    if counts_facts(items):
        return Count(len(items), Counting(kind, source_of(items)))
    return len(items)


# --------------------------------------------------------------------------- text made of pieces


class Altered:
    """Text a template computed from facts by other means than drafter's filters (replace, slicing…)."""

    def __init__(self, sources: Sequence[Source], operation: str):
        self.sources = tuple(sources)
        self.operation = operation


RAW = "raw"  # a piece that is outline markup already (what a macro or a {% set %} block rendered)
Ref = Union[None, str, Source, Missing, Counting, Altered]
Piece = Tuple[str, Ref]


class Rich(str):
    """Text in which some stretches are facts (or placeholders, or counts): a str for every purpose
    of a template, and its pieces for the renderer."""

    def __new__(cls, pieces: Sequence[Piece]):
        merged: List[Piece] = []
        for text, ref in pieces:
            if ref is None:
                if not text:
                    continue
                if merged and merged[-1][1] is None:
                    merged[-1] = (merged[-1][0] + text, None)
                    continue
            elif not text and type(ref) is not Missing:
                continue
            merged.append((text, ref))
        rich = str.__new__(cls, "".join([text for text, _ in merged]))
        rich.pieces = tuple(merged)
        return rich

    def __getitem__(self, key: Any) -> Any:
        part = str.__getitem__(self, key)
        return self if part == self else Derived(part, Altered([r for _, r in self.pieces if isinstance(r, Source)], "切片"))


class Outline(str):
    """Outline markup a template already rendered ({% set %} and filter blocks, macros): printed as it
    is, not escaped again; its fact marks are checked when it is parsed."""

    def __getitem__(self, key: Any) -> Any:
        return Outline(str.__getitem__(self, key))


class Derived(str):
    """Text a template computed from facts (fact.replace('5次', '50次'), fact[:3]): not a fact."""

    def __new__(cls, text: str, altered: Altered):
        derived = str.__new__(cls, text)
        derived.altered = altered
        return derived

    def __getitem__(self, key: Any) -> Any:
        return Derived(str.__getitem__(self, key), self.altered)


# --------------------------------------------------------------------------- marks in the outline


class Marks:
    """How fact stretches are marked in rendered outline text: OPEN, the record's number in hex
    digits U+FDE0–U+FDEF, SEP, the text, CLOSE. Noncharacters are never text: the loader refuses
    them in sheets and the template check in templates, so a mark cannot be typed or forged."""

    OPEN, SEP, CLOSE = "\ufdd0", "\ufdd1", "\ufdd2"
    DIGITS = "".join(chr(0xFDE0 + n) for n in range(16))
    SPAN = re.compile("\ufdd0([\ufde0-\ufdef]+)\ufdd1([^\ufdd0-\ufdd2]*)\ufdd2")  # groups: number, text
    ANY = re.compile("[\ufdd0-\ufdd2\ufde0-\ufdef]")  # any character of a mark
    _TO_MARK = str.maketrans("0123456789abcdef", DIGITS)
    _FROM_MARK = str.maketrans(DIGITS, "0123456789abcdef")

    _OPENINGS: List[str] = []

    @classmethod
    def opening(cls, index: int) -> str:
        """OPEN, the record's number, SEP: what precedes a marked stretch's text (made once per number)."""
        openings = cls._OPENINGS
        while len(openings) <= index:
            openings.append(cls.OPEN + format(len(openings), "x").translate(cls._TO_MARK) + cls.SEP)
        return openings[index]

    @classmethod
    def index(cls, digits: str) -> int:
        """The record number of a mark's digits (the parser's pattern admits only those)."""
        return int(digits.translate(cls._FROM_MARK), 16)


class Print:
    """One marked stretch: what it stands for, the text printed, and where the template printed it
    (the template, and the instruction of its compiled code: a frame's f_lineno would cost a walk
    of the whole line table at every fact, the instruction costs nothing until a message needs it)."""

    __slots__ = ("ref", "text", "template", "code", "instruction")

    def __init__(self, ref: Union[Source, Counting], text: str, template: Any = None, code: Any = None,
                 instruction: int = 0):
        self.ref, self.text = ref, text
        self.template, self.code, self.instruction = template, code, instruction

    def template_place(self) -> Tuple[Optional[str], Optional[int]]:
        if self.template is None or self.code is None:
            return None, None
        import dis

        line = self.code.co_firstlineno
        for offset, number in dis.findlinestarts(self.code):
            if offset > self.instruction:
                break
            line = number or line
        return self.template.filename, self.template.get_corresponding_lineno(line)

    def __repr__(self) -> str:
        return f"Print({self.ref!r}, {self.text!r})"


def strip_marks(text: str) -> str:
    """Outline text as a reader sees it: the marked stretches' own text, without the marks."""
    return Marks.SPAN.sub(r"\2", text) if Marks.OPEN in text else text
