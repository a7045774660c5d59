"""The Document laid out from an outline under a form scheme (form_scheme.py): enumerators made
from position, each item a heading, a run-in lead or running text, paragraphs joined as the scheme
says. So no template or sheet types a 二是, and a form that cannot be printed is refused.
"""
from __future__ import annotations

import dataclasses
from typing import Any, Dict, List, Optional, Sequence, Tuple

from .document import (
    LEVEL_NAMES,
    Document,
    Fact,
    Generated,
    Heading,
    Inline,
    Item,
    Lead,
    Outline,
    Paragraph,
    Text,
    plain_text,
)
from .errors import DrafterError, Problem, did_you_mean
from .form_scheme import (
    CONTINUE,
    HEADING,
    RUN_IN,
    SENTENCE_ENDS,
    TOGETHER,
    Enumerator,
    Scheme,
    Selector,
    Spec,
    selects,
    vocabulary,
)
from .zh import zh_numeral

# --------------------------------------------------------------------------- laying out


def apply_form(outline: Outline, scheme: Optional[Scheme] = None) -> Document:
    """The Document of an outline under a scheme: enumerators made from position, each item a
    heading, a run-in lead or running text, paragraphs joined as the scheme says. A form that
    cannot be printed (二是……一是…… nested, 一方面 for three items) is refused with the reason,
    and so is a part the sheet's 形式 names that the draft does not have."""
    layout = _Layout(scheme or Scheme(vocab=vocabulary()), outline.source)
    layout.content(outline.content, (), (), (), False)
    problems = layout.problems + layout.unmatched()
    if problems:
        raise DrafterError(problems)
    return layout.document


class _Layout:
    def __init__(self, scheme: Scheme, source: str):
        self.scheme, self.source = scheme, source
        self.vocab = scheme.vocab or vocabulary()
        self.document = Document()
        self.open: Optional[Paragraph] = None  # the paragraph the next joined text continues
        self.problems: List[Problem] = []
        self.reported: set = set()
        self.checked: set = set()
        self.watched = [layer for layer in scheme.layers if layer.written]  # the sheet's: each must pick something
        self.matched: set = set()  # ids of the watched layers that picked an item, and (id, depth) of their levels
        self.names: List[str] = []  # every item's 名称=, for the message about one that is not there
        self.depths: set = set()  # the levels the draft has
        self.parts = 0

    def unmatched(self) -> List[Problem]:
        """The sheet's 形式 entries that chose the form of nothing: a part not there, a name no part
        has, a level this style does not have (工作综述 has no 点)."""
        problems = []
        for layer in self.watched:
            if layer.selector is not None and id(layer) not in self.matched:
                problems.append(dataclasses.replace(layer.written, message=self.missing(layer.selector)))
                continue
            for depth, spec in sorted(layer.levels.items()):
                if (id(layer), depth) not in self.matched:
                    level = LEVEL_NAMES[depth - 1]
                    say = (f"这篇文稿没有“{level}”这一级（它有：{self.levels()}）" if layer.selector is None
                           else f"“{layer.written.path.split('.')[-1]}”里没有“{level}”这一级")
                    problems.append(dataclasses.replace(spec.origin or layer.written, message=say +
                                                        "，这一项不起作用；各样式有哪几级见 drafter templates show"))
        return problems

    def missing(self, selector: Selector) -> str:
        kind, value = selector
        if kind == "named":
            known = "、".join(dict.fromkeys(self.names)) or "无"
            say = f"文稿里没有名为“{value}”的部分{did_you_mean(value, self.names) or '；'}有名称的部分：{known}"
        else:
            say = f"文稿里没有这一项（共{zh_numeral(self.parts) if 0 < self.parts < 100 else self.parts}个部分）"
        return say + "；请对照起草出的文稿改“形式”"

    def levels(self) -> str:
        return "、".join(LEVEL_NAMES[d - 1] for d in sorted(self.depths)) or "无"

    def start(self, inlines: List[Inline]) -> None:
        self.open = Paragraph(list(inlines))
        self.document.blocks.append(self.open)

    def extend(self, inlines: List[Inline]) -> None:
        if self.open is None:
            self.start(inlines)
        else:
            self.open.inlines.extend(inlines)

    def content(self, nodes: Sequence[Any], position: Tuple[int, ...], names: Tuple[Optional[str], ...],
                ancestors: Tuple[Tuple[Item, Spec], ...], joined: bool, continue_first: bool = False) -> None:
        counts: Dict[int, int] = {}
        numbered: Dict[int, int] = {}  # items a label does not stand in for: the enumerators count them
        for node in nodes:
            if type(node) is Item:
                counts[node.depth] = counts.get(node.depth, 0) + 1
                if not node.label:
                    numbered[node.depth] = numbered.get(node.depth, 0) + 1
        if not position:
            self.parts = sum(counts.values())
        seen: Dict[int, int] = {}
        numbers: Dict[int, int] = {}
        for node in nodes:
            if type(node) is Paragraph:
                if node.role != "body":
                    self.open = None
                    self.document.blocks.append(Paragraph(list(node.inlines), node.role))
                elif joined or continue_first or node.continues:
                    self.extend(node.inlines)
                else:
                    self.start(node.inlines)
                continue_first = False
                continue
            index = seen[node.depth] = seen.get(node.depth, -1) + 1
            number = numbers[node.depth] = numbers.get(node.depth, -1) + (0 if node.label else 1)
            self.item(node, index, counts[node.depth], (number, numbered.get(node.depth, 0)), position, names,
                      ancestors, joined)
            continue_first = False

    def item(self, item: Item, index: int, count: int, numbering: Tuple[int, int], position: Tuple[int, ...],
             names: Tuple[Optional[str], ...], ancestors: Tuple[Tuple[Item, Spec], ...], joined: bool) -> None:
        """Lay out one item, the index-th of count siblings, numbered the numbering[0]-th of the
        numbering[1] that have no label of their own."""
        position, names = position + (index + 1,), names + (item.name,)
        if item.name:
            self.names.append(item.name)
        for layer in self.watched:
            if selects(layer.selector, position, names):
                self.matched.update((id(layer), (id(layer), item.depth)))
                self.depths.add(item.depth)
        spec = self.scheme.spec(item.depth, position, names)
        enumerator = self.vocab.enumerators[spec.enumerator or "无"]
        form_key = (item.depth, id(spec), numbering[1], joined, tuple(id(s) for _, s in ancestors))
        if form_key not in self.checked:  # siblings share their form: it is checked once
            self.checked.add(form_key)
            self.check(item, spec, enumerator, numbering[1], ancestors, joined)
        marker = self.marker(item, spec, enumerator, *numbering)
        rank = enumerator.rank if enumerator.rank and not item.label else min(item.depth, 4)
        inner = ancestors + ((item, spec),)
        if spec.placement == HEADING and not joined and item.lead:
            self.open = None
            self.document.blocks.append(Heading(rank, marker + _without_end(item.lead)))
            self.content(item.content, position, names, inner, False)
            return  # an item without a lead has no heading of its own: its enumerator opens its body
        lead = marker + (_with_end(item.lead, spec.lead_end) if item.lead else [])
        run_in = spec.placement == RUN_IN or spec.placement == HEADING and not joined
        piece: List[Inline] = [Lead(rank, tuple(lead))] if run_in and lead else lead
        together = spec.paragraphing in (TOGETHER, CONTINUE)
        if joined or spec.paragraphing == CONTINUE or (spec.paragraphing == TOGETHER and index > 0):
            self.extend(piece)
        else:
            self.start(piece)
        self.content(item.content, position, names, inner, joined or together, continue_first=True)
        if (joined or together) and spec.separator == "；" and index < count - 1:
            self.end_with("；")

    def marker(self, item: Item, spec: Spec, enumerator: Enumerator, index: int, count: int) -> List[Inline]:
        if item.label:
            before, _, after = (spec.label or self.vocab.label).partition("{label}")
            return ([Text(before)] if before else []) + list(item.label) + ([Text(after)] if after else [])
        text = enumerator.text(index, count) if enumerator.fits(count) else ""
        return [Generated(text, "序号")] if text else []

    def check(self, item: Item, spec: Spec, enumerator: Enumerator, count: int,
              ancestors: Tuple[Tuple[Item, Spec], ...], joined: bool) -> None:
        """Forms that cannot be printed: the reason, at the 形式 or form entry that chose the form."""
        level = LEVEL_NAMES[min(item.depth, 4) - 1]

        def fail(message: str) -> None:
            if (item.depth, message) not in self.reported:  # once per level, at its first item
                self.reported.add((item.depth, message))
                where = spec.origin or Problem("")  # the 形式 (or form) entry that chose it
                self.problems.append(dataclasses.replace(
                    where, message=f"形式排不出来：{level}“{_excerpt(item)}”：{message}"))

        if not enumerator.fits(count) and count:
            fail(f"序号“{enumerator.name}”只用于 {'、'.join(map(str, enumerator.by_count))} 项，这一级有 {count} 项；"
                 "请在“形式”里换一种序号")
        if spec.placement == HEADING and joined:
            fail("上级已连成一段，这一级不能再单独成标题；请把这一级的位置改为领句或连写")
        if not enumerator.format and enumerator.by_count is None or item.label:
            return
        for parent, parent_spec in ancestors:
            above = self.vocab.enumerators[parent_spec.enumerator or "无"]
            if parent.label or not (above.format or above.by_count):
                continue
            if above.name == enumerator.name:
                fail(f"和上级都用“{enumerator.name}”，会印成“{enumerator.text(1, max(count, 2))}……"
                     f"{enumerator.text(0, max(count, 2))}……”；请给其中一级换一种序号（如 （1）、第一、首先）")
            elif enumerator.rank and above.rank and enumerator.rank <= above.rank:
                fail(f"“{enumerator.name}”不能排在上级的“{above.name}”之下（层次依次是 一、（一）1.（1））")

    def end_with(self, mark: str) -> None:
        """The item just laid out ends in ``mark`` instead of 。 (items of one paragraph, 分号)."""
        if self.open is None or not self.open.inlines:
            return
        last = self.open.inlines[-1]
        if type(last) is Lead:
            self.open.inlines[-1] = Lead(last.level, tuple(_ended(list(last.inlines), mark)))
        else:
            self.open.inlines[-1:] = _ended([last], mark)


def _ended(inlines: List[Inline], mark: str) -> List[Inline]:
    last = inlines[-1]
    if not last.text.endswith("。"):
        return inlines
    if type(last) is Fact:
        return inlines[:-1] + [Fact(last.text[:-1], last.source), Text(mark)]
    if type(last) is Text:
        return inlines[:-1] + [Text(last.text[:-1] + mark)]
    return inlines


def _without_end(inlines: List[Inline]) -> List[Inline]:
    """A heading ends in no punctuation (GB/T 9704 practice): 做强基层。 → 做强基层."""
    out = list(inlines)
    while out and out[-1].text and out[-1].text[-1] in "。；，：、" and type(out[-1]) in (Text, Fact):
        last = out.pop()
        text = last.text.rstrip("。；，：、")
        if text:
            out.append(Fact(text, last.source) if type(last) is Fact else Text(text))
            break
    return out


def _with_end(inlines: List[Inline], mark: Optional[str]) -> List[Inline]:
    """A run-in or inline lead ends in its mark (。 by default) unless it ends in one already."""
    text = plain_text(inlines)
    if not mark or not text or text[-1] in SENTENCE_ENDS:
        return list(inlines)
    if text[-1] in "，、":
        return _without_end(inlines) + [Text(mark)]
    return list(inlines) + [Text(mark)]


def _excerpt(item: Item) -> str:
    text = plain_text(item.label + item.lead) or "（无领句）"
    return text if len(text) <= 16 else text[:16] + "……"
