"""核稿 against planted faults: a clean draft from facts/2024.yaml, one fault planted into its .docx
the way Word writes it (runs split by rsids, tracked changes, content controls, direct formatting,
automatic numbering, a LibreOffice round trip), and `drafter check` must find it at the paragraph
it was planted in, under the expected rule and severity.

Paragraph numbers are never hard-coded: each is found by searching the clean draft for text, and
counted as the checker counts them (non-empty paragraphs, from 1).
"""
from __future__ import annotations

import io
import itertools
import json
import math
import re
import shutil
import subprocess
import zipfile
from copy import deepcopy
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Dict, List, Optional, Tuple, Union

import pytest
from click.testing import CliRunner
from lxml import etree

from drafter.check import check_draft, load_words
from drafter.check.findings import DOUBT, ERROR, HINT
from drafter.check.run import _sheet
from drafter.cli import cli
from drafter.readers import ReadDraft
from drafter.readers.docx import read_docx
from drafter.templates import builtin_templates

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "facts" / "2024.yaml"

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
CONTENT_TYPES = "http://schemas.openxmlformats.org/package/2006/content-types"
NUMBERING_TYPE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/numbering"
NUMBERING_CONTENT = "application/vnd.openxmlformats-officedocument.wordprocessingml.numbering+xml"
AUTHOR, WHEN = "张三", "2025-01-06T09:30:00Z"


def w(name: str) -> str:
    return f"{{{W}}}{name}"


def _el(name: str, text: Optional[str] = None, **attrs: str):
    element = etree.Element(w(name), {w(k): v for k, v in attrs.items()}, nsmap={"w": W})
    if text is not None:
        element.text = text
        if text != text.strip():
            element.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    return element


# --- planting, the way Word writes the XML -------------------------------------------------------

_ids = itertools.count(9001)
_rsids = itertools.cycle(["00A41C2E", "003B7F19", "00D25E6A"])


def _run(text: str, rpr=None, tag: str = "t", rsid: Optional[str] = None):
    run = _el("r")
    if rsid:
        run.set(w("rsidR"), rsid)
        run.set(w("rsidRPr"), rsid)
    if rpr is not None:
        run.append(deepcopy(rpr))
    run.append(_el(tag, text))
    return run


def _rpr_with(base, *children):
    """A copy of the run's own properties (its w:rStyle kept first) with ``children`` added."""
    rpr = deepcopy(base) if base is not None else _el("rPr")
    order = ["rStyle", "rFonts", "b", "i", "color", "sz", "szCs", "lang"]
    for child in children:
        for old in rpr.findall(child.tag):
            rpr.remove(old)
        rpr.append(child)
    ranked = sorted(rpr, key=lambda e: order.index(etree.QName(e).localname) if etree.QName(e).localname in order
                    else len(order))
    for child in ranked:
        rpr.append(child)
    return rpr


class Piece:
    def elements(self, rpr) -> list:
        raise NotImplementedError


@dataclass(frozen=True)
class Split(Piece):
    """Text over several runs, as Word's revision ids leave it: every second run carries its own copy
    of the properties (w:rFonts w:hint, w:lang — neither a font nor a size) and an rsid."""
    texts: Tuple[str, ...]

    def __init__(self, *texts: str):
        object.__setattr__(self, "texts", texts)

    def elements(self, rpr) -> list:
        runs = []
        for n, text in enumerate(self.texts):
            if n % 2:
                own = _rpr_with(rpr, _el("rFonts", hint="eastAsia"), _el("lang", eastAsia="zh-CN"))
                runs.append(_run(text, own, rsid=next(_rsids)))
            else:
                runs.append(_run(text, rpr, rsid=next(_rsids)))
        return runs


@dataclass(frozen=True)
class Ins(Piece):
    """A tracked insertion (审阅 → 修订 on)."""
    text: str

    def elements(self, rpr) -> list:
        ins = _el("ins", id=str(next(_ids)), author=AUTHOR, date=WHEN)
        ins.append(_run(self.text, rpr, rsid=next(_rsids)))
        return [ins]


@dataclass(frozen=True)
class Del(Piece):
    """A tracked deletion: the old text as w:delText, which Word shows struck through."""
    text: str
    rpr: Optional[Callable] = None  # properties of the deleted run, if any of its own

    def elements(self, rpr) -> list:
        deletion = _el("del", id=str(next(_ids)), author=AUTHOR, date=WHEN)
        deletion.append(_run(self.text, self.rpr(rpr) if self.rpr else rpr, tag="delText", rsid=next(_rsids)))
        return [deletion]


@dataclass(frozen=True)
class Sdt(Piece):
    """An inline content control (开发工具 → 纯文本内容控件) around the text."""
    text: str

    def elements(self, rpr) -> list:
        sdt = _el("sdt")
        properties = _el("sdtPr")
        properties.append(_el("id", val=str(next(_ids))))
        properties.append(_el("text"))
        sdt.append(properties)
        content = _el("sdtContent")
        content.append(_run(self.text, rpr))
        sdt.append(content)
        return [sdt]


@dataclass(frozen=True)
class Direct(Piece):
    """A run formatted by hand over its style: 字体 and/or 字号 picked in the ribbon."""
    text: str
    font: Optional[str] = None
    size: Optional[str] = None  # half-points, as w:sz writes it

    def elements(self, rpr) -> list:
        return [_run(self.text, _direct_rpr(rpr, self.font, self.size), rsid=next(_rsids))]


def _direct_rpr(base, font: Optional[str], size: Optional[str]):
    children = []
    if font:
        children.append(_el("rFonts", ascii=font, eastAsia=font, hAnsi=font))
    if size:
        children += [_el("sz", val=size), _el("szCs", val=size)]
    return _rpr_with(base, *children)


Part = Union[str, Piece]
Edit = Callable[[etree._Element, Dict[str, bytes]], None]


def replace(old: str, *pieces: Part) -> Edit:
    """Replace ``old`` (in one w:t of the clean draft, exactly once) by ``pieces``: plain strings
    become runs with the run's own properties, the rest as their class writes them."""
    def edit(root, parts) -> None:
        _coalesce(root, old)
        hits = [t for t in root.iter(w("t")) if t.text and old in t.text]
        assert len(hits) == 1 and hits[0].text.count(old) == 1, f"“{old}” is not once in the clean draft"
        t = hits[0]
        run = t.getparent()
        assert [child.tag for child in run if child.tag != w("rPr")] == [w("t")], "a run of one w:t expected"
        rpr = run.find(w("rPr"))
        before, after = t.text.split(old)
        new = [_run(before, rpr)] if before else []
        for piece in pieces:
            new += [_run(piece, rpr)] if isinstance(piece, str) else piece.elements(rpr)
        if after:
            new.append(_run(after, rpr))
        parent, at = run.getparent(), run.getparent().index(run)
        parent.remove(run)
        for offset, element in enumerate(new):
            parent.insert(at + offset, element)
    return edit


def _coalesce(root, text: str) -> None:
    """The paragraph holding text as one run per stretch of like formatting, as a staff member's
    typing over it leaves it: drafter writes each fact as a run of its own inside a bookmark, and the
    faults are planted as Word plants them, over those edges."""
    for p in root.iter(w("p")):
        runs = [child for child in p if child.tag == w("r")]
        if text not in "".join(t.text or "" for r in runs for t in r.iter(w("t"))):
            continue
        for bookmark in [c for c in p if c.tag in (w("bookmarkStart"), w("bookmarkEnd"))]:
            p.remove(bookmark)
        previous = None
        for run in list(p):
            if run.tag != w("r"):
                previous = None  # a tracked change or a content control between: nothing merges across it
                continue
            content = [c for c in run if c.tag != w("rPr")]
            same = previous is not None and etree.tostring(previous.find(w("rPr")) if previous.find(w("rPr")) is not None
                                                           else _el("rPr")) == etree.tostring(
                run.find(w("rPr")) if run.find(w("rPr")) is not None else _el("rPr"))
            if same and [c.tag for c in content] == [w("t")] and previous[-1].tag == w("t"):
                previous[-1].text = (previous[-1].text or "") + (content[0].text or "")
                p.remove(run)
            else:
                previous = run


def edits(*steps: Edit) -> Edit:
    def edit(root, parts) -> None:
        for step in steps:
            step(root, parts)
    return edit


def _numbering_xml() -> bytes:
    """One list, 一、 then （一）, as Word's 多级列表 writes it; num 2 restarts it (重新开始于一)."""
    levels = "".join(
        f'<w:lvl w:ilvl="{i}"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/>'
        f'<w:lvlText w:val="{text}"/><w:lvlJc w:val="left"/>'
        f'<w:pPr><w:ind w:firstLine="640"/></w:pPr></w:lvl>'
        for i, text in ((0, "%1、"), (1, "（%2）")))
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            f'<w:numbering xmlns:w="{W}"><w:abstractNum w:abstractNumId="0">'
            f'<w:multiLevelType w:val="multilevel"/>{levels}</w:abstractNum>'
            f'<w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>'
            f'<w:num w:numId="2"><w:abstractNumId w:val="0"/>'
            f'<w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride></w:num>'
            f'</w:numbering>').encode("utf-8")


def _add_numbering_part(parts: Dict[str, bytes]) -> None:
    if "word/numbering.xml" in parts:
        return
    parts["word/numbering.xml"] = _numbering_xml()
    rels = etree.fromstring(parts["word/_rels/document.xml.rels"])
    taken = {rel.get("Id") for rel in rels}
    rel_id = next(f"rId{n}" for n in itertools.count(100) if f"rId{n}" not in taken)
    etree.SubElement(rels, f"{{{PKG_REL}}}Relationship", Id=rel_id, Type=NUMBERING_TYPE, Target="numbering.xml")
    parts["word/_rels/document.xml.rels"] = etree.tostring(rels, xml_declaration=True, encoding="UTF-8",
                                                            standalone=True)
    types = etree.fromstring(parts["[Content_Types].xml"])
    etree.SubElement(types, f"{{{CONTENT_TYPES}}}Override", PartName="/word/numbering.xml",
                     ContentType=NUMBERING_CONTENT)
    parts["[Content_Types].xml"] = etree.tostring(types, xml_declaration=True, encoding="UTF-8", standalone=True)


_TYPED_ENUMERATOR = re.compile(r"[一二三四五六七八九十]{1,3}、|（[一二三四五六七八九十]{1,3}）")


def numbered(typed: str, num_id: str, ilvl: str = "0") -> Edit:
    """The paragraph whose text starts with ``typed`` (e.g. “二、存在的问题”) numbered automatically
    instead: its typed 二、 removed, a w:numPr added, numbering.xml added to the package."""
    def edit(root, parts) -> None:
        _add_numbering_part(parts)
        _coalesce(root, typed)
        hits = [t for t in root.iter(w("t")) if t.text and t.text.startswith(typed)]
        assert len(hits) == 1, typed
        hits[0].text = hits[0].text[_TYPED_ENUMERATOR.match(typed).end():]
        p = next(hits[0].iterancestors(w("p")))
        ppr = p.find(w("pPr"))
        if ppr is None:
            ppr = _el("pPr")
            p.insert(0, ppr)
        numpr = _el("numPr")
        numpr.append(_el("ilvl", val=ilvl))
        numpr.append(_el("numId", val=num_id))
        style = ppr.find(w("pStyle"))
        ppr.insert(ppr.index(style) + 1 if style is not None else 0, numpr)
    return edit


def plant(data: bytes, edit: Edit) -> bytes:
    """The package with word/document.xml edited; every other part kept as it was, in its order."""
    source = zipfile.ZipFile(io.BytesIO(data))
    parts = {info.filename: source.read(info) for info in source.infolist()}
    root = etree.fromstring(parts["word/document.xml"])
    edit(root, parts)
    parts["word/document.xml"] = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as package:
        for name, content in parts.items():
            package.writestr(name, content)
    return out.getvalue()


# --- the faults ----------------------------------------------------------------------------------

SHEET_PLAIN, SHEET_MINUTES, SHEET_CHARACTERS = "plain", "minutes", "characters"
WHOLE = ""  # anchor of a finding about the whole document (paragraph 0)


@dataclass(frozen=True)
class Fault:
    id: str
    doc: str  # "speech" (汇报发言) or "report" (年度工作总结, with 一、（一）1. headings)
    anchor: str  # text of the clean draft's paragraph the finding belongs to; WHOLE for paragraph 0
    edit: Edit
    rules: Tuple[str, ...]  # each must be found at that paragraph
    severity: str  # of the first rule
    shows: str = ""  # text the first rule's span (full_text[start:end]) contains
    elsewhere: Tuple[Tuple[str, str], ...] = ()  # (anchor, rule) a knock-on finding may add
    sheet: str = SHEET_PLAIN
    xfail: str = ""  # a checker bug this case exposes, left to be fixed in the checker


def F(id_, doc, anchor, edit, rules, severity, shows="", elsewhere=(), sheet=SHEET_PLAIN, xfail="") -> Fault:
    return Fault(id_, doc, anchor, edit, (rules,) if isinstance(rules, str) else tuple(rules), severity, shows,
                 tuple(elsewhere), sheet, xfail)


S, R = "speech", "report"
SUBHEADINGS = ("织密网络", "织牢制度", "织紧纽带", "织亮品牌", "着力强化", "着力夯实", "着力服务", "着力补齐")
S_BYLINE, S_DATE, S_OPENING = "程静澜", "（2024年12月17日）", "今年以来，我区"
S_NET, S_RULES, S_TIES, S_BRAND, S_NEXT = "织密网络", "织牢制度", "织紧纽带", "织亮品牌", "下一步，"
EXTRA = "全年还组织统战干部到兄弟县区开展交流学习，形成调研报告一批，推动基层实践经验在更大范围转化运用。"

FAULTS: List[Fault] = [
    # 事实表: numbers, dates, names, titles, order
    F("sheet-number-contradicts-split-runs", S, S_NET, replace("区委常委会5次", Split("区委常委会", "6", "次")),
      "sheet.number-contradicts", ERROR, "6次"),
    F("sheet-number-contradicts-tracked-change", S, S_TIES,
      replace("全年推荐38名", "全年推荐", Del("38"), Ins("36"), "名"), "sheet.number-contradicts", ERROR, "36名"),
    F("sheet-number-contradicts-content-control", S, S_RULES, replace("结对63对", "结对", Sdt("65对")),
      "sheet.number-contradicts", ERROR, "65对"),
    F("sheet-number-misplaced", S, S_NET, replace("区委常委会5次", Split("区委常委会", "2次")),
      "sheet.number-misplaced", DOUBT, "2次"),
    F("sheet-number-contradicts-which", S, S_BRAND, replace("提升阵地21个。", "提升阵地", Ins("40个阵地获评达标"),
                                                            Del("21个"), "。"),
      "sheet.number-contradicts-which", DOUBT, "40个"),
    F("sheet-number-unsourced", S, S_NEXT,
      replace("提升阵地活跃度和覆盖面。", "提升阵地活跃度和覆盖面，全年接待来访群众", Sdt("58批次"), "。"),
      "sheet.number-unsourced", DOUBT, "58批次"),
    F("sheet-number-inconsistent", S, S_NEXT,
      edits(replace("做到任务到岗、责任到人。", "做到任务到岗、责任到人，全年接待来访群众58批次。"),
            replace("提升阵地活跃度和覆盖面。", "提升阵地活跃度和覆盖面，全年接待来访群众", Split("6", "0批次"), "。")),
      "sheet.number-inconsistent", DOUBT, "60批次", elsewhere=[(S_NET, "sheet.number-unsourced")]),
    F("sheet-number-approx", S, S_TIES, replace("2600余人次", Split("2600", "多人次")),
      "sheet.number-approx", DOUBT, "2600多人次"),
    F("sheet-number-form", S, S_TIES, replace("占比达61.5%", "占比达", Ins("61.50%"), Del("61.5%")),
      "sheet.number-form", HINT, "61.50%"),
    F("sheet-number-two-forms", R, "3.突出示范带动", replace("服务群众约1.2万人次；", "服务群众约", Split("12000", "人次"), "；"),
      "sheet.number-two-forms", DOUBT, "12000人次"),
    F("sheet-date-contradicts", S, S_DATE, replace(S_DATE, "（2024年12月", Del("17"), Ins("18"), "日）"),
      "sheet.date-contradicts", ERROR, "12月18日"),
    F("sheet-date-contradicts-in-body", S, S_NEXT,
      replace("在夯基固本上精准发力。", "在夯基固本上精准发力。这是", Split("3月", "29日"), "召开的2024年全区统一战线工作会议明确的任务。"),
      "sheet.date-contradicts", ERROR, "3月29日"),
    F("sheet-date-unsourced", S, S_NEXT,
      replace("在夯基固本上精准发力。", "在夯基固本上精准发力。", Split("5月", "20日"), "前完成阵地星级评定。"),
      "sheet.date-unsourced", DOUBT, "5月20日"),
    F("sheet-month-unsourced", S, S_NEXT, replace("力争新建", "力争", Sdt("8月"), "底前新建"),
      "sheet.date-unsourced", DOUBT, "8月"),
    F("sheet-year-unsourced", S, S_BRAND,
      replace("服务群众约1.2万人次；", "服务群众约1.2万人次，较", Split("2019", "年"), "翻了一番；"),
      "sheet.year-unsourced", DOUBT, "2019年"),
    F("sheet-person-title", S, S_BYLINE,
      replace("青禾区委常委、统战部部长 程静澜", Split("青禾区委", "副书记", "、统战部部长 程静澜")),
      "sheet.person-title", ERROR, "副书记"),
    F("sheet-person-name", S, S_BYLINE, replace("部长 程静澜", "部长 ", Del("程静澜"), Ins("程静岚")),
      "sheet.person-name", DOUBT, "程静岚"),
    F("sheet-person-order", S, S_OPENING,
      replace("根据会议安排，", "区委常委、统战部部长程静澜、", Sdt("区委书记陆启航"), "多次到基层调研指导。根据会议安排，"),
      "sheet.person-order", DOUBT, "程静澜"),
    # GB/T 15834 标点
    F("punct-halfwidth-comma", S, S_NEXT, replace("放在首位，常态化", Split("放在首位", ",", "常态化")),
      "punct.halfwidth", ERROR, ","),
    F("punct-halfwidth-brackets", S, S_NET, replace("全区9个街道（镇）", "全区9个街道", Del("（镇）"), Ins("(镇)")),
      "punct.halfwidth", ERROR, "("),
    F("punct-halfwidth-colon", S, S_OPENING, replace("汇报如下：", "汇报如下", Sdt(":")),
      "punct.halfwidth", ERROR, ":"),
    F("punct-straight-quotes", S, S_NET, replace("“网更密”", Split('"', "网更密", '"')),
      "punct.straight-quote", ERROR, '"'),
    F("punct-unbalanced-title-mark", S, S_RULES,
      replace("《青禾区政党协商年度计划》", "《青禾区政党协商年度计划", Del("》")), "punct.unbalanced", DOUBT, "《"),
    F("punct-nested-quotes", S, S_NEXT,
      replace("引导统一战线成员", "开展“争当", Split("“同心”", "先锋”评选，"), "引导统一战线成员"),
      "punct.nested-quote", DOUBT, "“"),
    F("punct-doubled", S, S_OPENING, replace("强共识，聚焦", Split("强共识，", "，聚焦")), "punct.doubled", ERROR, "，，"),
    F("punct-dunhao-approx", S, S_NEXT,
      replace("常态化开展主题教育", "每季度开展", Ins("三、四次"), "主题教育"), "punct.dunhao-approx", DOUBT, "、"),
    F("punct-dunhao-before-deng", S, S_TIES, replace("座谈交流等活动", "座谈交流", Split("、", "等活动")),
      "punct.dunhao-deng", DOUBT, "、"),
    F("punct-ellipsis", S, S_NET, replace("新的社会阶层人士等领域", "新的社会阶层人士", Split("...", "等领域")),
      "punct.ellipsis", ERROR, "..."),
    F("punct-dash", S, S_OPENING, replace("统一战线工作整体提质", "统一战线工作", Ins("--"), "整体提质"),
      "punct.dash", DOUBT, "--"),
    F("punct-space-between-hanzi", S, S_NET, replace("将统战工作纳入全区", Split("将统战工作", " ", "纳入全区")),
      "punct.space", DOUBT, " "),
    F("punct-no-end-mark", S, S_NEXT, replace("建功立业。", "建功立业", Del("。")), "punct.no-end", HINT, "业"),
    F("punct-enumerator-bracket-dunhao", R, "（一）着力强化思想政治引领",
      replace("（一）着力强化思想政治引领。", "（一）", Ins("、"), "着力强化思想政治引领。"), "punct.enumerator", ERROR, "、"),
    F("punct-enumerator-han-dot", R, "二、存在的问题和不足",
      replace("二、存在的问题和不足", Split("二", ".", "存在的问题和不足")), "punct.enumerator", ERROR, ".",
      elsewhere=[("三、2025年工作计划", "heading.sequence")]),
    F("punct-enumerator-fullwidth-dot+heading-form", R, "2.压紧属地责任",
      replace("2.压紧属地责任。", Split("2", "．", "压紧属地责任。")), ("punct.enumerator", "heading.form"), DOUBT, "．"),
    F("punct-enumerator-arabic-dunhao+heading-form", R, "2.压紧属地责任",
      replace("2.压紧属地责任。", "2", Del("."), Ins("、"), "压紧属地责任。"), ("punct.enumerator-dun", "heading.form"),
      HINT, "、"),
    F("punct-ordinal-comma", S, S_NEXT, replace("在夯基固本上精准发力。", "其次", Split("、", "在夯基固本上精准发力。")),
      "punct.ordinal-comma", ERROR, "、"),
    # GB/T 15835 数字, dates
    F("num-fullwidth-digit", S, S_TIES, replace("培训班3期", Split("培训班", "３", "期")), "num.fullwidth", ERROR, "３"),
    F("num-digit-and-numeral-mixed", S, S_TIES, replace("帮扶资金4600余万元", "帮扶资金", Ins("4千6百"), Del("4600"), "余万元"),
      "num.mixed", DOUBT, "4千"),
    F("num-mixed-year", R, "2024年，区委统战部", replace("2024年，区委统战部", Split("二0二四", "年，区委统战部")),
      "num.mixed-year", DOUBT, "二0二四"),
    F("num-date-iso-form", S, S_DATE, replace(S_DATE, "（", Sdt("2024-12-17"), "）"), "num.date-form", DOUBT,
      "2024-12-17"),
    F("num-date-dotted", S, S_DATE, replace(S_DATE, Split("（2024", ".12.", "17）")), "num.date-form", DOUBT,
      "2024.12.17"),
    F("num-short-year", S, S_DATE, replace(S_DATE, "（", Del("2024"), Ins("24"), "年12月17日）"), "num.short-year",
      DOUBT, "24"),
    F("num-chinese-date", R, "2024年12月25日", replace("2024年12月25日", Split("二〇二四年", "十二月二十五日")),
      "num.chinese-date", HINT, "二〇二四年十二月二十五日"),
    F("num-date-hao", S, S_DATE, replace(S_DATE, "（2024年12月17", Split("号", "）")), "num.date-hao", DOUBT, "号"),
    F("num-impossible-date", S, S_DATE, replace(S_DATE, "（2024年", Ins("2月30日"), Del("12月17日"), "）"),
      "num.impossible-date", ERROR, "2月30日"),
    F("num-range-percent-once", S, S_TIES, replace("占比达61.5%", "占比达", Split("60", "-", "65%")),
      "num.range-percent", DOUBT, "60-65%"),
    F("num-range-dash", S, S_TIES, replace("占比达61.5%", "占比达", Split("60%", "-", "65%")),
      "num.range-dash", HINT, "60%-65%"),
    F("num-decimal-comma", S, S_TIES, replace("总投资2.35亿元", "总投资", Ins("2,35"), Del("2.35"), "亿元"),
      "num.decimal-comma", DOUBT, "2,35"),
    F("num-approx-twice", S, S_BRAND, replace("服务群众约1.2万人次", Split("服务群众约1.2万", "余", "人次")),
      "num.approx-twice", DOUBT, "约1.2万余"),
    # repeated characters and words
    F("repeat-character", S, S_TIES, replace("统战工作的落脚点", Split("统战工作的", "的落脚点")), "repeat.twice", DOUBT, "的的"),
    F("repeat-word", S, S_NET, replace("把基层统战工作摆上", Split("把基层统战", "统战工作摆上")), "repeat.twice", DOUBT,
      "统战统战"),
    # GB/T 9704 heading numbering, parallel leads
    F("heading-number-skipped", R, "（三）着力服务全区发展大局",
      edits(replace("（三）着力服务全区发展大局。", Split("（", "四", "）着力服务全区发展大局。")),
            replace("（四）着力补齐新兴领域短板。", "（", Ins("五"), Del("四"), "）着力补齐新兴领域短板。")),
      "heading.sequence", DOUBT, "（四）"),
    F("heading-auto-numbering-restarts", R, "三、2025年工作计划",
      edits(numbered("一、2024年", "1"), numbered("二、存在的问题", "1"), numbered("三、2025年", "2")),
      "heading.sequence", DOUBT, "一、"),
    F("heading-auto-numbering-continues", R, "（一）着力强化思想政治引领",
      edits(*[numbered(f"（{zh}）{lead}", "1", "1") for zh, lead in zip("一二三四一二三四", SUBHEADINGS)]),
      "heading.sequence", DOUBT, "（五）"),
    F("heading-skipped-level", R, "（一）着力强化思想政治引领",
      edits(*[replace(f"（{zh}）着力", Split("（", str(n), "）着力")) for n, zh in enumerate("一二三四", 1)]),
      "heading.skipped-level", HINT, "（1）"),
    F("heading-leads-not-parallel", R, "1.压紧领导责任",
      replace("3.压紧部门责任。", "3.", Del("压紧部门责任"), Ins("进一步压实各部门责任"), "。"),
      "heading.parallel", HINT, "1."),
    # GB/T 9704 layout: formatting typed over the style
    F("layout-direct-font", S, S_NET,
      replace("区委统一战线工作领导小组召开全体会议2次", Direct("区委统一战线工作领导小组召开全体会议2次", font="宋体")),
      "layout.direct-formatting", DOUBT),
    F("layout-direct-size", S, S_RULES,
      replace("修订区委统一战线工作领导小组工作规则", "修订", Direct("区委统一战线工作领导小组工作规则", size="28")),
      "layout.direct-formatting", DOUBT),
    # length against the sheet's 核稿 limit
    F("length-over-time-limit", S, WHOLE, replace("建功立业。", "建功立业。", Split(EXTRA[:20], EXTRA[20:])),
      "length.minutes", DOUBT, sheet=SHEET_MINUTES),
    F("length-over-character-limit", S, WHOLE, replace("建功立业。", "建功立业。", Ins(EXTRA)),
      "length.characters", DOUBT, sheet=SHEET_CHARACTERS),
]

# Planted together into one draft each, then sent through LibreOffice: none of their texts overlap.
ROUND_TRIP = {
    S: ["sheet-number-contradicts-split-runs", "sheet-number-contradicts-tracked-change",
        "sheet-number-contradicts-content-control", "num-impossible-date", "sheet-person-title",
        "punct-halfwidth-comma", "punct-unbalanced-title-mark", "num-fullwidth-digit", "num-approx-twice",
        "layout-direct-size"],
    R: ["heading-auto-numbering-continues", "heading-leads-not-parallel", "punct-enumerator-fullwidth-dot+heading-form",
        "sheet-number-two-forms", "num-chinese-date", "num-mixed-year"],
}
BY_ID = {fault.id: fault for fault in FAULTS}


# --- drafting and checking -----------------------------------------------------------------------

WORDS = load_words([builtin_templates()])


@dataclass(frozen=True)
class Clean:
    data: bytes
    read: ReadDraft
    path: Path

    def number(self, anchor: str) -> int:
        """The checker's paragraph number of the one clean paragraph holding ``anchor``."""
        if anchor == WHOLE:
            return 0
        found = [p.number for p in self.read.paragraphs if anchor in p.full_text]
        assert len(found) == 1, f"“{anchor}” is in paragraphs {found} of the clean draft"
        return found[0]


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("planted")


@pytest.fixture(scope="module")
def clean(folder) -> Dict[str, Clean]:
    """Each document drafted once for the module, by the command line, as staff would."""
    runner = CliRunner()
    drafted = {}
    for doc, args in ((S, ["speech", str(SAMPLE), "--style", "report"]), (R, ["report", str(SAMPLE)])):
        path = folder / f"clean-{doc}.docx"
        result = runner.invoke(cli, args + ["-o", str(path)])
        assert result.exit_code == 0, result.output
        data = path.read_bytes()
        drafted[doc] = Clean(data, read_docx(data), path)
    return drafted


@pytest.fixture(scope="module")
def sheets(folder, clean) -> Dict[str, object]:
    """The sample sheet, and copies of it with a 核稿 limit the clean speech just keeps to."""
    characters = _check(clean[S].data, _sheet(SAMPLE)).length.characters
    rate = WORDS["length"]["rate"]
    text = SAMPLE.read_text(encoding="utf-8")
    limits = {SHEET_MINUTES: f"限时: {math.ceil((characters + 5) / rate * 10) / 10:g}分钟",
              SHEET_CHARACTERS: f"字数: {characters + 5}"}
    loaded = {SHEET_PLAIN: _sheet(SAMPLE)}
    for name, limit in limits.items():
        path = folder / f"2024-{name}.yaml"
        path.write_text(text.rstrip("\n") + f"\n\n核稿:\n  {limit}\n", encoding="utf-8")
        loaded[name] = _sheet(path)
    return loaded


def _check(data: bytes, sheet):
    return check_draft(read_docx(data), sheet, WORDS)


def _seen(report) -> List[Tuple[int, str, str]]:
    return [(f.paragraph, f.rule, f.severity) for f in report.findings]


@pytest.mark.parametrize("doc", [S, R])
def test_the_clean_drafts_have_no_errors(clean, sheets, doc):
    """Nothing for a planted fault to hide behind: no finding at all against the sample sheet, and
    no 错误 against the copies with a 核稿 limit (which the longer report does exceed, as 疑误)."""
    report = _check(clean[doc].data, sheets[SHEET_PLAIN])
    assert report.findings == [] and report.errors == 0, _seen(report)
    for name in (SHEET_MINUTES, SHEET_CHARACTERS):
        report = _check(clean[doc].data, sheets[name])
        assert report.errors == 0, (name, _seen(report))
        assert {rule for _, rule, _ in _seen(report)} <= ({"length.minutes", "length.characters"} if doc == R else set())


def test_the_catalogue_is_broad():
    assert len(FAULTS) >= 40 and len({fault.id for fault in FAULTS}) == len(FAULTS)
    families = {rule.split(".")[0] for fault in FAULTS for rule in fault.rules}
    assert families == {"sheet", "punct", "num", "repeat", "heading", "layout", "length"}


def _assert_found(fault: Fault, read: ReadDraft, report, at: int) -> None:
    texts = {p.number: p.full_text for p in read.paragraphs}
    for rule in fault.rules:
        hits = [f for f in report.findings if f.rule == rule and f.paragraph == at]
        assert hits, f"{fault.id}: no {rule} at paragraph {at}; found {_seen(report)}"
    first = next(f for f in report.findings if f.rule == fault.rules[0] and f.paragraph == at)
    assert first.severity == fault.severity, (fault.id, first)
    if fault.shows:
        span = texts[at][first.start:first.end]
        assert fault.shows in span or (span and span in fault.shows), (fault.id, span, first)
        assert first.excerpt and (fault.shows in first.excerpt or span in first.excerpt), first


def _cases(faults: List[Fault]) -> list:
    return [pytest.param(fault, id=fault.id, marks=[pytest.mark.xfail(strict=True, reason=fault.xfail)]
                         if fault.xfail else []) for fault in faults]


@pytest.mark.parametrize("fault", _cases(FAULTS))
def test_a_planted_fault_is_found_where_it_was_planted(clean, sheets, fault):
    base = clean[fault.doc]
    at = base.number(fault.anchor)
    data = plant(base.data, fault.edit)
    read = read_docx(data)
    assert len(read.paragraphs) == len(base.read.paragraphs)  # planting moves no paragraph
    report = check_draft(read, sheets[fault.sheet], WORDS)
    _assert_found(fault, read, report, at)
    knock_on = {(base.number(anchor), rule) for anchor, rule in fault.elsewhere}
    stray = [seen for seen in _seen(report) if seen[0] != at and seen[:2] not in knock_on]
    assert not stray, f"{fault.id}: findings away from paragraph {at}: {stray}"


# --- what must not be reported -------------------------------------------------------------------

def _deleted_faults(root, parts) -> None:
    """Faults that exist only as tracked deletions, some in a run formatted by hand."""
    font = (lambda rpr: _direct_rpr(rpr, "宋体", "28"))
    replace("区委常委会5次", "区委常委会", Del("6次，，", rpr=font), "5次")(root, parts)
    replace("入库612名", "入库", Del("621名"), Ins("612名"))(root, parts)
    replace("（2024年12月17日）", "（2024年12月17", Del("号"), "日）")(root, parts)
    replace("统战工作的落脚点", "统战工作的", Del("的的"), "落脚点")(root, parts)
    replace("汇报如下：", "汇报如下", Del(":", rpr=font), "：")(root, parts)


def test_a_fault_in_deleted_text_is_not_reported(clean, sheets):
    data = plant(clean[S].data, _deleted_faults)
    read = read_docx(data)
    assert [p.full_text for p in read.paragraphs] == [p.full_text for p in clean[S].read.paragraphs]
    report = check_draft(read, sheets[SHEET_PLAIN], WORDS)
    assert report.findings == [], _seen(report)


def test_formatting_that_restates_the_style_is_not_drift(clean, sheets):
    """A run whose 字体 and 字号 are set by hand to what 正文 already gives (仿宋_GB2312, 三号)."""
    body = clean[S].read
    font, size = body.body_font, str(int(body.body_size * 2))
    data = plant(clean[S].data, replace("区委常委会5次", Direct("区委常委会5次", font=font, size=size)))
    assert check_draft(read_docx(data), sheets[SHEET_PLAIN], WORDS).findings == []


def test_automatic_numbering_that_runs_on_is_quiet(clean, sheets):
    """The clean report with 一、二、三、 from numbering.xml instead of typed: read as labels, no finding."""
    data = plant(clean[R].data, edits(numbered("一、2024年", "1"), numbered("二、存在的问题", "1"),
                                      numbered("三、2025年", "1"),
                                      *[numbered(f"（{zh}）{lead}", "1", "1") for zh, lead in zip("一二三四", SUBHEADINGS)]))
    read = read_docx(data)
    assert [p.label for p in read.paragraphs if p.label] == ["一、", "（一）", "（二）", "（三）", "（四）", "二、", "三、"]
    assert [p.full_text for p in read.paragraphs] == [p.full_text for p in clean[R].read.paragraphs]
    assert check_draft(read, sheets[SHEET_PLAIN], WORDS).findings == []


# --- the command: exit code and JSON -------------------------------------------------------------

@pytest.mark.parametrize("fault_id", [
    "sheet-number-contradicts-split-runs", "sheet-number-contradicts-tracked-change",
    "sheet-number-contradicts-content-control", "sheet-date-contradicts-in-body",
    "sheet-date-contradicts",
])
def test_the_command_reports_the_planted_text_and_fails(clean, folder, fault_id):
    fault = BY_ID[fault_id]
    path = folder / f"{fault_id}.docx"
    path.write_bytes(plant(clean[fault.doc].data, fault.edit))
    result = CliRunner().invoke(cli, ["check", str(path), str(SAMPLE), "--format", "json"])
    assert result.exit_code == 1, result.output
    data = json.loads(result.output)
    assert data["errors"] >= 1 and data["ok"] is False
    at = clean[fault.doc].number(fault.anchor)
    hits = [f for f in data["findings"] if f["rule"] == fault.rules[0] and f["paragraph"] == at]
    assert len(hits) == 1 and hits[0]["severity"] == ERROR
    assert fault.shows in hits[0]["excerpt"]
    assert hits[0]["fix"] is not None  # the sheet's figure, for --fix


def test_the_command_passes_a_clean_draft(clean):
    result = CliRunner().invoke(cli, ["check", str(clean[S].path), str(SAMPLE), "--format", "json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["errors"] == 0


# --- a LibreOffice round trip --------------------------------------------------------------------

def _together(doc: str) -> Edit:
    return edits(*[BY_ID[fault_id].edit for fault_id in ROUND_TRIP[doc]])


@pytest.fixture(scope="module")
def round_trip(clean, folder) -> Dict[str, bytes]:
    """The clean drafts and one draft per document holding several planted faults, each saved by
    LibreOffice as Word 2007 XML, in one soffice call."""
    if shutil.which("soffice") is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    source = folder / "lo-in"
    out = folder / "lo-out"
    source.mkdir(exist_ok=True)
    names = {}
    for doc in (S, R):
        names[f"clean-{doc}"] = clean[doc].data
        names[f"planted-{doc}"] = plant(clean[doc].data, _together(doc))
    for name, data in names.items():
        (source / f"{name}.docx").write_bytes(data)
    profile = folder / "lo-profile"  # private: another test run's LibreOffice must not share it
    subprocess.run(["soffice", "--norestore", f"-env:UserInstallation={profile.resolve().as_uri()}", "--headless",
                    "--convert-to", "docx:MS Word 2007 XML", "--outdir", str(out)]
                   + [f"{name}.docx" for name in names], cwd=source, check=True, timeout=240,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    converted = {name: (out / f"{name}.docx").read_bytes() for name in names}
    for name, data in converted.items():
        assert data != names[name]
    return converted


@pytest.mark.parametrize("doc", [S, R])
def test_a_clean_draft_after_libreoffice_has_no_errors(round_trip, clean, sheets, doc):
    read = read_docx(round_trip[f"clean-{doc}"])
    assert [p.full_text for p in read.paragraphs] == [p.full_text for p in clean[doc].read.paragraphs]
    report = check_draft(read, sheets[SHEET_PLAIN], WORDS)
    assert report.errors == 0, _seen(report)


@pytest.mark.parametrize("doc", [S, R])
def test_planted_faults_survive_a_libreoffice_round_trip(round_trip, clean, sheets, doc):
    before = plant(clean[doc].data, _together(doc))
    for data in (before, round_trip[f"planted-{doc}"]):
        read = read_docx(data)
        report = check_draft(read, sheets[SHEET_PLAIN], WORDS)
        for fault_id in ROUND_TRIP[doc]:
            fault = BY_ID[fault_id]
            _assert_found(fault, read, report, clean[doc].number(fault.anchor))

