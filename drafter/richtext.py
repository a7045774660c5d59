"""Text made of pieces — facts, framing, placeholders, counts — and the operations drafter's filters
and sandbox use on it so that every fact keeps its source (provenance.py has the value types).

A piece is (text, ref): ref None is the template's framing, a Source a fact, a Missing a placeholder,
a Counting a number drafter counted, RAW outline markup already rendered, an Altered a fact a
template changed. Plain text in gives plain text out, so the Chinese helpers serve layout code too.
"""
from __future__ import annotations

import datetime
from typing import Any, Callable, Iterable, List, Optional, Sequence, Tuple

from .provenance import (
    RAW,
    Altered,
    Count,
    Derived,
    FactDate,
    FactNumber,
    FactText,
    Missing,
    Outline,
    Piece,
    Ref,
    Rich,
    Source,
    date_text,
)


def pieces_of(value: Any) -> List[Piece]:
    """A value as pieces: facts keep their source, the rest is framing text."""
    kind = type(value)
    if kind is str:
        return [(value, None)]
    if kind is Rich:
        return list(value.pieces)
    if kind is FactText:
        return [(str.__str__(value), value.source)]
    if kind is Outline:
        return [(str.__str__(value), RAW)]
    if kind is Derived:
        return [(str.__str__(value), value.altered)]
    if kind is Missing:
        return [(str(value), value)]
    if kind is Count:
        return [(str(int(value)), None)]  # Arabic digits: framing, which the number check refuses
    if isinstance(value, datetime.date):
        return [(date_text(value), getattr(value, "source", None))]
    if kind is FactNumber:
        return [(str(int(value)), value.source)]
    return [(str(value), None)]


def is_marked(value: Any) -> bool:
    """Whether a value has pieces the renderer must know about (facts, placeholders, counts, markup)."""
    kind = type(value)
    if kind is str:
        return False
    return isinstance(value, (Rich, Outline, Derived, Missing, FactText, FactNumber)) or (
        isinstance(value, FactDate) and value.source is not None)


def concat(*values: Any) -> Any:
    """Values joined into one text, each fact keeping its source; plain text stays a plain str."""
    pieces: List[Piece] = []
    marked = False
    for value in values:
        if type(value) is str:
            pieces.append((value, None))
        elif is_marked(value):
            pieces.extend(pieces_of(value))
            marked = True
        else:
            pieces.append((str(value), None))
    if not marked:
        return "".join([text for text, _ in pieces])
    return _settle(pieces)


def _settle(pieces: List[Piece]) -> Any:
    """Rich pieces, or what they amount to: markup that is all markup stays markup (its marks are
    checked when parsed), text with an altered stretch is altered; anything else keeps every piece,
    so a fact joined to rendered markup is still a fact."""
    altered: List[Altered] = []
    raw = 0
    for _, ref in pieces:
        if ref is RAW:
            raw += 1
        elif type(ref) is Altered:
            altered.append(ref)
    if altered:
        sources = [s for a in altered for s in a.sources]
        return Derived("".join([text for text, _ in pieces]), Altered(sources, altered[0].operation))
    if raw and raw == len(pieces):
        return Outline("".join([text for text, _ in pieces]))
    return Rich(pieces)


def cut(value: Any, start: int, end: int) -> Any:
    """value[start:end] for drafter's own trimming (a clause without its end mark): the stretches
    that remain keep their source."""
    if type(value) is FactText:  # the usual case, quickly
        if start <= 0 and end >= len(value):
            return value
        return Rich([(str.__str__(value)[start:end], value.source)])
    if not is_marked(value):
        return str(value)[start:end]
    out: List[Piece] = []
    position = 0
    for text, ref in pieces_of(value):
        left, right = max(start, position), min(end, position + len(text))
        if left < right or (type(ref) is Missing and start <= position < end):
            out.append((text[left - position:right - position], ref))
        position += len(text)
    return _settle(out)


def transform(value: Any, function: Callable[[str], str]) -> Any:
    """function applied to the text of each piece (a headline's commas become spaces): a fact stays
    that fact in drafter's printed form."""
    if not is_marked(value):
        return function(str(value))
    return _settle([(text if type(ref) is Missing or ref is RAW else function(text), ref)
                    for text, ref in pieces_of(value)])


def form(value: Any, text: str) -> Any:
    """The same fact printed in another form drafter defines (a date in Chinese, a frame's n-th
    heading, a count in Chinese): text with the value's source."""
    if isinstance(value, Count):
        return Rich([(text, value.counting)])
    source = getattr(value, "source", None)
    if isinstance(source, Source):
        return Rich([(text, source)])
    return text


def sources_in(values: Iterable[Any]) -> List[Source]:
    """Every source a set of values (and lists of them) carries."""
    pieces, altered = marked_pieces(values)
    return [ref for _, ref in pieces if isinstance(ref, Source)] + [s for a in altered for s in a.sources]


def marked_pieces(values: Iterable[Any]) -> Tuple[List[Piece], List[Altered]]:
    """The stretches of some values that are not framing — facts, counts, placeholders — to find
    again in a text composed from them, and what among them was already altered."""
    pieces: List[Piece] = []
    altered: List[Altered] = []
    for value in values:
        if isinstance(value, (list, tuple)) and not isinstance(value, str):
            more, changed = marked_pieces(value)
            pieces += more
            altered += changed
        elif isinstance(value, dict):
            more, changed = marked_pieces(value.values())
            pieces += more
            altered += changed
        elif is_marked(value):
            for text, ref in pieces_of(value):
                if type(ref) is Altered:
                    altered.append(ref)
                elif ref is not None and ref is not RAW:
                    pieces.append((text, ref))
    return pieces, altered


def recover(result: str, pieces: Sequence[Piece], leftover_altered: Optional[Altered] = None) -> Any:
    """A text composed from facts by a Jinja or Python function (join, format with plain fields):
    the fact stretches found in it verbatim are those facts again; the rest is the template's
    framing — or, when ``leftover_altered`` says some input was already altered, altered text."""
    found: List[Tuple[int, int, Ref]] = []
    taken = [False] * len(result)
    for text, ref in sorted(pieces, key=lambda piece: -len(piece[0])):
        if not text:
            continue
        start = result.find(text)
        while start >= 0:
            end = start + len(text)
            if not any(taken[start:end]):
                found.append((start, end, ref))
                taken[start:end] = [True] * (end - start)
            start = result.find(text, end)
    found.sort(key=lambda item: item[0])
    out: List[Piece] = []
    position = 0
    for start, end, ref in found:
        if start > position:
            out.append((result[position:start], leftover_altered))
        out.append((result[start:end], ref))
        position = end
    if position < len(result):
        out.append((result[position:], leftover_altered))
    return _settle(out)


def excerpt_of_change(original: str, changed: str, width: int = 30) -> str:
    """The changed text around where it first departs from the original: “……区委常委会50次专题研究……”."""
    same = 0
    while same < min(len(original), len(changed)) and original[same] == changed[same]:
        same += 1
    start = max(0, same - width // 3)
    end = start + width
    return ("……" if start else "") + changed[start:end] + ("……" if end < len(changed) else "")
