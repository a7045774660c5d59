"""Form schemes (templates/forms.yaml, drafter/form.py): one outline, many ways of printing it.

A template says what a block is (## 部分, ### 节, #### 点); the style's ``form`` and the sheet's 形式
say per level the enumerator, the placement (标题 / 领句 / 连写) and the paragraphing (分段 / 同段 /
接上段). These tests draft facts/2024.yaml under many schemes for each genre with levels and read
the .docx XML: which paragraphs are Word headings (pStyle HeadingN), which runs carry the run-in
character style (rStyle GwRunIn{n}), and the exact enumerators and paragraph texts, all derived from
the sheet itself. Then: every fact is still printed (--strict passes) under every scheme; forms that
cannot be printed are refused; and drafter.form is checked directly on small outlines.

Layout of this file: helpers (docx reading, expected-paragraph builders, drafting) → the schemes per
genre, each with the paragraphs it must give → tests over all schemes → refusals → unit tests.
"""
import re
import textwrap
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Dict, List, Optional, Tuple

import pytest
import yaml
from click.testing import CliRunner
from lxml import etree

from drafter.cli import cli
from drafter.document import Generated, Heading, Lead, plain_text, read_outline
from drafter.errors import DrafterError
from drafter.form import apply_form
from drafter.form_scheme import Scheme, read_scheme

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "facts" / "2024.yaml"
SHEET = yaml.safe_load(SAMPLE.read_text(encoding="utf-8"))
AREAS = SHEET["工作领域"]
TALK = SHEET["讲话"]
SUMMARY = SHEET["工作总结"]
PLAN = SHEET["工作计划"]
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W}

COMMANDS = {
    "汇报发言": ("speech",),
    "领导讲话": ("speech", "--style", "leader"),
    "年度工作总结": ("report",),
    "经验交流材料": ("report", "--style", "experience"),
}
TEMPLATES = {
    "汇报发言": ROOT / "templates" / "speech" / "report" / "outline.md.j2",
    "领导讲话": ROOT / "templates" / "speech" / "leader" / "outline.md.j2",
    "年度工作总结": ROOT / "templates" / "report" / "summary" / "outline.md.j2",
    "经验交流材料": ROOT / "templates" / "report" / "experience" / "outline.md.j2",
}
# how the last paragraph before the parts ends: the parts begin right after it
OPENING_ENDS = {
    "汇报发言": "现将有关工作情况汇报如下：",
    "领导讲话": "下面，我讲三点意见。",
    "年度工作总结": "现将有关情况报告如下：",
    "经验交流材料": f"{SHEET['经验材料']['核心理念']}。",
}

CN = "一二三四五六七八九十"
FIRSTLY = {2: ("首先，", "其次，"), 3: ("首先，", "其次，", "最后，"), 4: ("首先，", "其次，", "再次，", "最后，")}
AREA_LABELS = ("方法一", "方法二", "方法三", "方法四")
POINT_LABEL = "第二招"  # given to the second point of the first area (压紧属地责任)


def unlabelled_index(i: int, j: int) -> int:
    """The number (0-based) the j-th point of the i-th area takes under labels(): a 标签 uses up no
    enumerator, so the point after 第二招 is the second, not the third, of its area."""
    return j - 1 if i == 0 and j > 1 else j


# --------------------------------------------------------------------------- reading the .docx

Run = Tuple[Optional[str], str]  # (rStyle or None, text)
Para = Tuple[Optional[str], Tuple[Run, ...]]  # (pStyle or None, runs)


def read_paragraphs(path: Path) -> List[Para]:
    """Every w:p of word/document.xml: its pStyle and its runs, adjacent runs of one rStyle merged."""
    with zipfile.ZipFile(path) as package:
        root = etree.fromstring(package.read("word/document.xml"))
    paragraphs = []
    for p in root.iterfind(".//w:body/w:p", NS):
        style = p.find("w:pPr/w:pStyle", NS)
        runs: List[List] = []
        for r in p.iterfind("w:r", NS):
            rstyle = r.find("w:rPr/w:rStyle", NS)
            rstyle = rstyle.get(f"{{{W}}}val") if rstyle is not None else None
            text = "".join(t.text or "" for t in r.iterfind("w:t", NS))
            if runs and runs[-1][0] == rstyle:
                runs[-1][1] += text
            else:
                runs.append([rstyle, text])
        paragraphs.append((style.get(f"{{{W}}}val") if style is not None else None,
                           tuple((s, t) for s, t in runs)))
    return paragraphs


def text_of(paragraph: Para) -> str:
    return "".join(text for _, text in paragraph[1])


def body(paragraphs: List[Para]) -> List[Para]:
    """The body text and headings: without the title, byline, salutation, closing and the like (Gw* styles)."""
    return [p for p in paragraphs if not (p[0] or "").startswith("Gw")]


def main_part(genre: str, paragraphs: List[Para]) -> List[Para]:
    """The body after the opening: the parts (and for 汇报发言 the 下一步 paragraph)."""
    paras = body(paragraphs)
    ends = [n for n, p in enumerate(paras) if text_of(p).endswith(OPENING_ENDS[genre])]
    assert len(ends) == 1, f"opening of {genre} not found once"
    return paras[ends[0] + 1:]


# --------------------------------------------------------------------------- expected paragraphs


class Prefix(tuple):
    """An expected paragraph whose last run need only begin with the text given: framing text that no
    form changes (the 下一步 paragraph, the thanks in 领导讲话, the openings of 取得的成效)."""


def H(level: int, text: str) -> Para:
    """A standalone heading: Word's built-in Heading n, one plain run."""
    return (f"Heading{level}", ((None, text),))


def P(text: str) -> Para:
    """A body paragraph of plain text only: no run carries a character style."""
    return (None, ((None, text),))


def R(level: int, lead: str, rest: str) -> Para:
    """A body paragraph opening with a run-in lead (character style GwRunIn{level})."""
    return (None, ((f"GwRunIn{level}", lead), (None, rest)))


def J(*runs: Run) -> Para:
    """A body paragraph of several runs: run-in leads inside running text."""
    return (None, tuple(runs))


def runin(level: int, text: str) -> Run:
    return (f"GwRunIn{level}", text)


def plain(text: str) -> Run:
    return (None, text)


def starts(paragraph: Para) -> Prefix:
    return Prefix(paragraph)


def assert_paragraphs(actual: List[Para], expected: List[Para]) -> None:
    shown = []
    for got, want in zip(actual, expected):
        if isinstance(want, Prefix) and got[0] == want[0] and len(got[1]) == len(want[1]):
            keep = len(want[1][-1][1])
            got = (got[0], got[1][:-1] + ((got[1][-1][0], got[1][-1][1][:keep]),))
        shown.append(got)
    shown += actual[len(expected):]
    assert shown == [tuple(w) for w in expected]


# the sheet's facts, as the templates print them
def heading_of(area: dict) -> str:
    return f"{area['排比标题']}，{area['标题展开']}"


def summary_of(area: dict) -> str:
    return f"{area['概述']}，{area['成效']}。"


def point_of(point: dict) -> str:
    return f"{point['领句']}。{point['内容']}"


def points(area: dict) -> List[dict]:
    return area["要点"]


def joined_with_semicolons(sentences: List[str]) -> str:
    """Items of one paragraph under 分号: each item's closing 。 becomes ；, the last keeps 。."""
    assert all(s.endswith("。") for s in sentences)
    return "；".join(s[:-1] for s in sentences) + "。"


# --------------------------------------------------------------------------- drafting


def labelled(text: str) -> str:
    """The sample sheet with 标签 on every work area and on one point."""
    count = iter(AREA_LABELS)
    text, n = re.subn(r"^(  - 排比标题: .*)$", lambda m: f"{m.group(1)}\n    标签: {next(count)}", text, flags=re.M)
    assert n == len(AREA_LABELS) == len(AREAS)
    old = "      - 领句: 压紧属地责任\n"
    assert text.count(old) == 1
    return text.replace(old, f"      - 标签: {POINT_LABEL}\n        领句: 压紧属地责任\n")


def with_forms(text: str, genre: str, forms: str, key: Optional[str] = None) -> str:
    """The sheet with a top-level 形式 block for this genre appended."""
    if not forms.strip():
        return text
    block = textwrap.indent(textwrap.dedent(forms).strip("\n"), "    ")
    return f"{text.rstrip()}\n\n形式:\n  {key or genre}:\n{block}\n"


@dataclass
class Drafted:
    exit_code: int
    output: str
    sheet: Path
    out: Path

    @property
    def paragraphs(self) -> List[Para]:
        return read_paragraphs(self.out)

    @property
    def text(self) -> str:
        return "\n".join(text_of(p) for p in self.paragraphs)


def draft(folder: Path, genre: str, forms: str = "", labels: bool = False, key: Optional[str] = None) -> Drafted:
    """The sample sheet (with labels, with a 形式 block) drafted in process with --strict."""
    folder.mkdir(parents=True, exist_ok=True)
    text = SAMPLE.read_text(encoding="utf-8")
    sheet = folder / "2024.yaml"
    sheet.write_text(with_forms(labelled(text) if labels else text, genre, forms, key), encoding="utf-8")
    out = folder / "out.docx"
    args = [*COMMANDS[genre], str(sheet), "-o", str(out), "--strict"]
    result = CliRunner().invoke(cli, args, catch_exceptions=False)
    return Drafted(result.exit_code, result.output, sheet, out)


# --------------------------------------------------------------------------- the schemes


@dataclass(frozen=True)
class Case:
    genre: str
    name: str
    forms: str
    labels: bool = False
    key: Optional[str] = None  # the 形式 key when not the style's title
    expect: Optional[Callable[[], List[Para]]] = None

    @property
    def id(self) -> str:
        return f"{self.genre}-{self.name}"


CASES: List[Case] = []


def case(genre: str, name: str, forms: str = "", labels: bool = False, key: Optional[str] = None):
    def register(expect: Callable[[], List[Para]]):
        CASES.append(Case(genre, name, forms, labels, key, expect))
        return expect
    return register


# ---- 汇报发言: areas are 部分 (##), their points 点 (####); then 下一步 and the closing

NEXT_STEPS = starts(P("下一步，我们将"))


@case("汇报发言", "默认：无 领句 分段，点接上段")
def _():
    return [R(1, f"{heading_of(a)}。", summary_of(a) + "".join(point_of(p) for p in points(a)))
            for a in AREAS] + [NEXT_STEPS]


def report_headings_with_yishi():
    out = []
    for i, a in enumerate(AREAS):
        out += [H(1, f"{CN[i]}、{heading_of(a)}"), P(summary_of(a))]
        out += [P(f"{CN[j]}是{point_of(p)}") for j, p in enumerate(points(a))]
    return out + [NEXT_STEPS]


case("汇报发言", "一、标题+一是分段", "部分: 一、 标题\n点: 一是 连写 分段")(report_headings_with_yishi)
case("汇报发言", "形式键用样式名report", "部分: 一、 标题\n点: 一是 连写 分段",
     key="report")(report_headings_with_yishi)


@case("汇报发言", "一、领句", "部分: 一、 领句")
def _():
    return [R(1, f"{CN[i]}、{heading_of(a)}。", summary_of(a) + "".join(point_of(p) for p in points(a)))
            for i, a in enumerate(AREAS)] + [NEXT_STEPS]


@case("汇报发言", "（一）标题为首级+（1）领句", "部分: （一） 标题\n点: （1） 领句 分段")
def _():
    out = []
    for i, a in enumerate(AREAS):
        out += [H(2, f"（{CN[i]}）{heading_of(a)}"), P(summary_of(a))]
        out += [R(4, f"（{j + 1}）{p['领句']}。", p["内容"]) for j, p in enumerate(points(a))]
    return out + [NEXT_STEPS]


@case("汇报发言", "1.标题直接在一、下", "部分: 一、 标题\n点: 1. 标题")
def _():
    out = []
    for i, a in enumerate(AREAS):
        out += [H(1, f"{CN[i]}、{heading_of(a)}"), P(summary_of(a))]
        for j, p in enumerate(points(a)):
            out += [H(3, f"{j + 1}.{p['领句']}"), P(p["内容"])]
    return out + [NEXT_STEPS]


@case("汇报发言", "一是连写接上段分号", "点: 一是 连写 接上段 分号")
def _():
    return [R(1, f"{heading_of(a)}。",
              summary_of(a) + joined_with_semicolons([f"{CN[j]}是{point_of(p)}" for j, p in enumerate(points(a))]))
            for a in AREAS] + [NEXT_STEPS]


@case("汇报发言", "一、标题+一是接上段（分段取样式缺省）", "部分: 一、 标题\n点: 一是 连写")
def _():
    out = []
    for i, a in enumerate(AREAS):
        out += [H(1, f"{CN[i]}、{heading_of(a)}"),
                P(summary_of(a) + "".join(f"{CN[j]}是{point_of(p)}" for j, p in enumerate(points(a))))]
    return out + [NEXT_STEPS]


@case("汇报发言", "首先其次最后", "部分: 一、 标题\n点: 首先 连写 分段")
def _():
    out = []
    for i, a in enumerate(AREAS):
        out += [H(1, f"{CN[i]}、{heading_of(a)}"), P(summary_of(a))]
        series = FIRSTLY[len(points(a))]
        out += [P(f"{series[j]}{point_of(p)}") for j, p in enumerate(points(a))]
    return out + [NEXT_STEPS]


@case("汇报发言", "第一同段", "部分: 一、 标题\n点: 第一 连写 同段")
def _():
    out = []
    for i, a in enumerate(AREAS):
        out += [H(1, f"{CN[i]}、{heading_of(a)}"), P(summary_of(a)),
                P("".join(f"第{CN[j]}，{point_of(p)}" for j, p in enumerate(points(a))))]
    return out + [NEXT_STEPS]


@case("汇报发言", "第二部分单独用首先领句", "部分: 一、 标题\n点: 一是 连写 分段\n第二部分: {点: 首先 领句}")
def _():
    out = []
    for i, a in enumerate(AREAS):
        out += [H(1, f"{CN[i]}、{heading_of(a)}"), P(summary_of(a))]
        if i == 1:
            series = FIRSTLY[len(points(a))]
            out += [R(3, f"{series[j]}{p['领句']}。", p["内容"]) for j, p in enumerate(points(a))]
        else:
            out += [P(f"{CN[j]}是{point_of(p)}") for j, p in enumerate(points(a))]
    return out + [NEXT_STEPS]


@case("汇报发言", "标签代替序号", "部分: 一、 标题\n点: 一是 连写 分段", labels=True)
def _():
    out = []
    for i, a in enumerate(AREAS):
        out += [H(1, f"{AREA_LABELS[i]}：{heading_of(a)}"), P(summary_of(a))]
        for j, p in enumerate(points(a)):
            enumerator = f"{POINT_LABEL}：" if (i, j) == (0, 1) else f"{CN[unlabelled_index(i, j)]}是"
            out.append(P(f"{enumerator}{point_of(p)}"))
    return out + [NEXT_STEPS]


@case("汇报发言", "标签不占一方面的两项", "第一部分: {点: 一方面 连写 分段}", labels=True)
def _():
    first, labelled_point, last = points(AREAS[0])  # three points, the second labelled: two numbered
    out = [R(1, f"{AREA_LABELS[0]}：{heading_of(AREAS[0])}。", summary_of(AREAS[0])),
           P(f"一方面，{point_of(first)}"), P(f"{POINT_LABEL}：{point_of(labelled_point)}"),
           P(f"另一方面，{point_of(last)}")]
    out += [R(1, f"{AREA_LABELS[i]}：{heading_of(a)}。", summary_of(a) + "".join(point_of(p) for p in points(a)))
            for i, a in enumerate(AREAS) if i]
    return out + [NEXT_STEPS]


# 形式 for another style that exists is ignored, though it could not be printed for this one
case("汇报发言", "另一样式的形式不管本样式", "部分: 一方面 领句\n问题: {节: 第一 连写}\n第九部分: {点: 一是 连写}",
     key="年度工作总结")(lambda: default_case("汇报发言").expect())


# ---- 领导讲话: three framing parts 成绩/形势/任务 (##); areas are 节 of 成绩 with their points 点,
# judgements 节 of 形势, tasks 节 of 任务 with the requirements as 点

MERITS_HEADING = "充分肯定成绩，坚定做好工作的信心决心"
JUDGEMENTS = TALK["形势"]["判断"]
TASKS = TALK["任务"]["要点"]


def requirement_sentences(task: dict) -> List[str]:
    return [f"{r}。" for r in task["要求"]]


def leader(part_heading: Callable[[int, str, str], List[Para]], area: Callable[[int, dict], Para],
           judgements: List[Para], tasks: List[Para]) -> List[Para]:
    """The speech's main part; part_heading(i, heading) gives the part's heading and its summary."""
    return (part_heading(0, MERITS_HEADING, TALK["成绩"]["概述"] + "。")
            + [area(i, a) for i, a in enumerate(AREAS)]
            + [starts(P("成绩来之不易。在此，我代表区委")), starts(P("在肯定成绩的同时，我们也要清醒看到，"))]
            + part_heading(1, TALK["形势"]["标题"], TALK["形势"]["概述"] + "。") + judgements
            + part_heading(2, TALK["任务"]["标题"], TALK["任务"]["概述"] + "。") + tasks)


def standalone(i: int, heading: str, summary: str) -> List[Para]:
    return [H(1, f"{CN[i]}、{heading}"), P(summary)]


def area_with(enumerator: Callable[[int], str]) -> Callable[[int, dict], Para]:
    """An area of 成绩 as one paragraph (the style's 节 连写 分段, 点 无 连写 接上段)."""
    return lambda i, a: P(f"{enumerator(i)}{heading_of(a)}。{summary_of(a)}" + "".join(point_of(p) for p in points(a)))


DEFAULT_JUDGEMENTS = [R(2, f"（{CN[k]}）{j['领句']}。", j["内容"]) for k, j in enumerate(JUDGEMENTS)]
DEFAULT_TASKS = [para for k, t in enumerate(TASKS)
                 for para in (H(2, f"（{CN[k]}）{t['标题']}"), P("".join(requirement_sentences(t))))]


@case("领导讲话", "默认：成绩一是、形势（一）领句、任务（一）标题")
def _():
    return leader(standalone, area_with(lambda i: f"{CN[i]}是"), DEFAULT_JUDGEMENTS, DEFAULT_TASKS)


@case("领导讲话", "名称=成绩单独用第一", "成绩: {节: 第一 连写}")
def _():
    return leader(standalone, area_with(lambda i: f"第{CN[i]}，"), DEFAULT_JUDGEMENTS, DEFAULT_TASKS)


@case("领导讲话", "成绩的点首先领句在段中", "成绩: {点: 首先 领句}")
def _():
    def area(i, a):
        series = FIRSTLY[len(points(a))]
        runs = [plain(f"{CN[i]}是{heading_of(a)}。{summary_of(a)}")]
        for j, p in enumerate(points(a)):
            runs += [runin(3, f"{series[j]}{p['领句']}。"), plain(p["内容"])]
        return J(*runs)
    return leader(standalone, area, DEFAULT_JUDGEMENTS, DEFAULT_TASKS)


@case("领导讲话", "形势一是同段分号", "形势: {节: 一是 连写 同段 分号}")
def _():
    judgements = [P(joined_with_semicolons([f"{CN[k]}是{point_of(j)}" for k, j in enumerate(JUDGEMENTS)]))]
    return leader(standalone, area_with(lambda i: f"{CN[i]}是"), judgements, DEFAULT_TASKS)


@case("领导讲话", "任务1.标题在一、下+一方面两项", "任务: {节: 1. 标题, 点: 一方面 连写 分段}")
def _():
    tasks = []
    for k, t in enumerate(TASKS):
        first, second = requirement_sentences(t)  # every task has exactly two requirements
        tasks += [H(3, f"{k + 1}.{t['标题']}"), P(f"一方面，{first}"), P(f"另一方面，{second}")]
    return leader(standalone, area_with(lambda i: f"{CN[i]}是"), DEFAULT_JUDGEMENTS, tasks)


@case("领导讲话", "任务首先领句接上段", "任务: {节: 首先 领句, 点: 无 连写 接上段}")
def _():
    series = FIRSTLY[len(TASKS)]
    tasks = [R(2, f"{series[k]}{t['标题']}。", "".join(requirement_sentences(t))) for k, t in enumerate(TASKS)]
    return leader(standalone, area_with(lambda i: f"{CN[i]}是"), DEFAULT_JUDGEMENTS, tasks)


@case("领导讲话", "部分一、领句", "部分: 一、 领句")
def _():
    def run_in(i, heading, summary):
        return [R(1, f"{CN[i]}、{heading}。", summary)]
    return leader(run_in, area_with(lambda i: f"{CN[i]}是"), DEFAULT_JUDGEMENTS, DEFAULT_TASKS)


@case("领导讲话", "标签代替一是", labels=True)
def _():
    def area(i, a):  # the labelled point shows its label though its level has no enumerator (无)
        pts = "".join((f"{POINT_LABEL}：" if (i, j) == (0, 1) else "") + point_of(p) for j, p in enumerate(points(a)))
        return P(f"{AREA_LABELS[i]}：{heading_of(a)}。{summary_of(a)}{pts}")
    return leader(standalone, area, DEFAULT_JUDGEMENTS, DEFAULT_TASKS)


# ---- 年度工作总结: part 一 holds the areas (节) and their points (点); 问题 the problems (节);
# 计划 the plan's tasks (节)

PROBLEMS = SUMMARY["存在问题"]
PROBLEMS_INTRO = "在肯定成绩的同时，我们也清醒地认识到，工作中还存在一些问题和不足："
PROBLEMS_CLOSE = "对此，我们将在今后工作中认真研究解决。"
PLAN_TASKS = PLAN["任务"]


def summary_doc(areas: List[Para], problems: List[Para], plan: List[Para]) -> List[Para]:
    return ([H(1, f"一、{SHEET['年度']}年工作开展情况")] + areas
            + [H(1, "二、存在的问题和不足")] + problems
            + [H(1, f"三、{PLAN['年度']}年工作计划")] + plan)


def summary_areas(head: Callable[[int, dict], Para], point: Callable[[int, int, dict], Para]) -> List[Para]:
    out = []
    for i, a in enumerate(AREAS):
        out += [head(i, a), P(summary_of(a))] + [point(i, j, p) for j, p in enumerate(points(a))]
    return out


def numbered_run_in(i: int, j: int, p: dict) -> Para:
    return R(3, f"{j + 1}.{p['领句']}。", p["内容"])


DEFAULT_SECTION = lambda i, a: H(2, f"（{CN[i]}）{heading_of(a)}")  # noqa: E731
DEFAULT_PROBLEMS = [P(PROBLEMS_INTRO + joined_with_semicolons([f"{CN[k]}是{p}。" for k, p in enumerate(PROBLEMS)])
                      + PROBLEMS_CLOSE)]
PLAN_OPENING = f"{PLAN['年度']}年，{SHEET['单位']['简称']}将{PLAN['思路']}。主要目标是：{'；'.join(PLAN['目标'])}。"
DEFAULT_PLAN = [P(PLAN_OPENING)] + [R(2, f"（{CN[k]}）{t['领句']}。", t["内容"]) for k, t in enumerate(PLAN_TASKS)]


@case("年度工作总结", "默认：（一）标题、1.领句、问题一是分号、计划（一）领句")
def _():
    return summary_doc(summary_areas(DEFAULT_SECTION, numbered_run_in), DEFAULT_PROBLEMS, DEFAULT_PLAN)


@case("年度工作总结", "第一部分：1.标题在一、下+（1）领句", "第一部分: {节: 1. 标题, 点: （1） 领句}")
def _():
    areas = summary_areas(lambda i, a: H(3, f"{i + 1}.{heading_of(a)}"),
                          lambda i, j, p: R(4, f"（{j + 1}）{p['领句']}。", p["内容"]))
    return summary_doc(areas, DEFAULT_PROBLEMS, DEFAULT_PLAN)


@case("年度工作总结", "第一部分：一是连写，点接上段", "第一部分: {节: 一是 连写, 点: 无 连写 接上段}")
def _():
    areas = [P(f"{CN[i]}是{heading_of(a)}。{summary_of(a)}" + "".join(point_of(p) for p in points(a)))
             for i, a in enumerate(AREAS)]
    return summary_doc(areas, DEFAULT_PROBLEMS, DEFAULT_PLAN)


@case("年度工作总结", "点首先同段", "点: 首先 连写 同段")
def _():
    out = []
    for i, a in enumerate(AREAS):
        series = FIRSTLY[len(points(a))]
        out += [DEFAULT_SECTION(i, a), P(summary_of(a)),
                P("".join(f"{series[j]}{point_of(p)}" for j, p in enumerate(points(a))))]
    return summary_doc(out, DEFAULT_PROBLEMS, DEFAULT_PLAN)


@case("年度工作总结", "问题第一分段", "问题: {节: 第一 连写 分段}")
def _():
    problems = [P(PROBLEMS_INTRO)] + [P(f"第{CN[k]}，{p}。") for k, p in enumerate(PROBLEMS)]
    problems[-1] = P(text_of(problems[-1]) + PROBLEMS_CLOSE)  # the line right after ###/ goes on
    return summary_doc(summary_areas(DEFAULT_SECTION, numbered_run_in), problems, DEFAULT_PLAN)


@case("年度工作总结", "整篇的节（一）标题不改问题部分", "节: （一） 标题")
def _():  # the style's 问题 → 节 (一是 连写 接上段 分号) is more specific than the sheet's 节: the default again
    return summary_doc(summary_areas(DEFAULT_SECTION, numbered_run_in), DEFAULT_PROBLEMS, DEFAULT_PLAN)


@case("年度工作总结", "整篇的节第一连写：问题和计划照旧", "节: 第一 连写 分段")
def _():
    areas = []
    for i, a in enumerate(AREAS):  # the summary goes on in the paragraph the inline lead opened
        areas += [P(f"第{CN[i]}，{heading_of(a)}。{summary_of(a)}")] + [numbered_run_in(i, j, p)
                                                                       for j, p in enumerate(points(a))]
    return summary_doc(areas, DEFAULT_PROBLEMS, DEFAULT_PLAN)


@case("年度工作总结", "问题（一）标题：无领句的序号作领句", "问题: {节: （一） 标题}")
def _():  # no lead, so no heading: the enumerator is a run-in lead; 接上段 分号 stay the style's
    runs = [plain(PROBLEMS_INTRO)]
    for k, p in enumerate(PROBLEMS):
        runs += [runin(2, f"（{CN[k]}）"), plain(f"{p}；" if k < len(PROBLEMS) - 1 else f"{p}。{PROBLEMS_CLOSE}")]
    return summary_doc(summary_areas(DEFAULT_SECTION, numbered_run_in), [J(*runs)], DEFAULT_PLAN)


@case("年度工作总结", "问题（一）标题分段", "问题: {节: （一） 标题 分段}")
def _():
    problems = [P(PROBLEMS_INTRO)] + [R(2, f"（{CN[k]}）", f"{p}。") for k, p in enumerate(PROBLEMS)]
    problems[-1] = R(2, f"（{CN[len(PROBLEMS) - 1]}）", f"{PROBLEMS[-1]}。{PROBLEMS_CLOSE}")
    return summary_doc(summary_areas(DEFAULT_SECTION, numbered_run_in), problems, DEFAULT_PLAN)


@case("年度工作总结", "计划一是接上段分号", "计划: {节: 一是 连写 接上段 分号}")
def _():
    plan = [P(PLAN_OPENING + joined_with_semicolons([f"{CN[k]}是{point_of(t)}" for k, t in enumerate(PLAN_TASKS)]))]
    return summary_doc(summary_areas(DEFAULT_SECTION, numbered_run_in), DEFAULT_PROBLEMS, plan)


@case("年度工作总结", "第一部分第二节单独用一是", "第一部分第二节: {点: 一是 连写 分段}")
def _():
    def point(i, j, p):
        return P(f"{CN[j]}是{point_of(p)}") if i == 1 else numbered_run_in(i, j, p)
    return summary_doc(summary_areas(DEFAULT_SECTION, point), DEFAULT_PROBLEMS, DEFAULT_PLAN)


@case("年度工作总结", "标签代替（一）和1.", labels=True)
def _():
    def point(i, j, p):
        if (i, j) == (0, 1):
            return R(3, f"{POINT_LABEL}：{p['领句']}。", p["内容"])
        return numbered_run_in(i, unlabelled_index(i, j), p)
    areas = summary_areas(lambda i, a: H(2, f"{AREA_LABELS[i]}：{heading_of(a)}"), point)
    return summary_doc(areas, DEFAULT_PROBLEMS, DEFAULT_PLAN)


# ---- 经验交流材料: areas are 部分 (##), points 点; then the framing parts 取得的成效, 几点体会

FRAMING_PARTS = [("取得的成效", "经过探索实践，"), ("几点体会", "实践中，我们深刻体会到：")]


def experience(head: Callable[[int, str], Para], after_head: Callable[[int, dict], List[Para]]) -> List[Para]:
    """Each area's heading and what follows it, then the framing parts 取得的成效, 几点体会, numbered on."""
    out = []
    for i, a in enumerate(AREAS):
        out += [head(i, heading_of(a))] + after_head(i, a)
    for k, (title, opening) in enumerate(FRAMING_PARTS, len(AREAS)):
        out += [head(k, title), starts(P(opening))]
    return out


def run_in_framing_parts(first: int = len(AREAS)) -> List[Para]:
    """取得的成效, 几点体会 as run-in parts numbered from ``first`` (0-based): after the areas, or from 一、
    when every area has a label (a 标签 uses up no enumerator)."""
    return [starts(R(1, f"{CN[k]}、{title}。", opening))
            for k, (title, opening) in enumerate(FRAMING_PARTS, first)]


def heading1(i: int, text: str) -> Para:
    return H(1, f"{CN[i]}、{text}")


def yishi_each(i: int, a: dict) -> List[Para]:
    return [P(summary_of(a))] + [P(f"{CN[j]}是{point_of(p)}") for j, p in enumerate(points(a))]


@case("经验交流材料", "默认：一、标题+一是分段")
def _():
    return experience(heading1, yishi_each)


@case("经验交流材料", "（一）为首级", "部分: （一） 标题")
def _():
    return experience(lambda i, t: H(2, f"（{CN[i]}）{t}"), yishi_each)


@case("经验交流材料", "一、领句+一是接上段", "部分: 一、 领句\n点: 一是 连写 接上段")
def _():
    return [R(1, f"{CN[i]}、{heading_of(a)}。",
              summary_of(a) + "".join(f"{CN[j]}是{point_of(p)}" for j, p in enumerate(points(a))))
            for i, a in enumerate(AREAS)] + run_in_framing_parts()


@case("经验交流材料", "一是同段分号", "点: 一是 连写 同段 分号")
def _():
    return experience(heading1, lambda i, a: [
        P(summary_of(a)), P(joined_with_semicolons([f"{CN[j]}是{point_of(p)}" for j, p in enumerate(points(a))]))])


@case("经验交流材料", "1.标题在一、下", "点: 1. 标题")
def _():
    return experience(heading1, lambda i, a: [P(summary_of(a))] + [
        para for j, p in enumerate(points(a)) for para in (H(3, f"{j + 1}.{p['领句']}"), P(p["内容"]))])


@case("经验交流材料", "第一分段", "点: 第一 连写 分段")
def _():
    return experience(heading1, lambda i, a: [P(summary_of(a))] + [
        P(f"第{CN[j]}，{point_of(p)}") for j, p in enumerate(points(a))])


@case("经验交流材料", "第二部分单独用首先领句", "第二部分: {点: 首先 领句}")
def _():
    def after(i, a):
        if i != 1:
            return yishi_each(i, a)
        series = FIRSTLY[len(points(a))]
        return [P(summary_of(a))] + [R(3, f"{series[j]}{p['领句']}。", p["内容"]) for j, p in enumerate(points(a))]
    return experience(heading1, after)


@case("经验交流材料", "标签在领句里", "部分: 一、 领句\n点: 一是 连写 接上段", labels=True)
def _():
    out = []
    for i, a in enumerate(AREAS):
        pts = "".join((f"{POINT_LABEL}：" if (i, j) == (0, 1) else f"{CN[unlabelled_index(i, j)]}是") + point_of(p)
                      for j, p in enumerate(points(a)))
        out.append(R(1, f"{AREA_LABELS[i]}：{heading_of(a)}。", summary_of(a) + pts))
    return out + run_in_framing_parts(0)  # every area is labelled: the framing parts are 一、 and 二、


# --------------------------------------------------------------------------- tests over every scheme


@pytest.fixture(scope="module")
def drafted(tmp_path_factory):
    """Each case drafted once (in process, --strict), shared by the tests below."""
    done: Dict[str, Drafted] = {}

    def get(c: Case) -> Drafted:
        if c.id not in done:
            folder = tmp_path_factory.mktemp("form")
            done[c.id] = draft(folder, c.genre, c.forms, c.labels, c.key)
        return done[c.id]
    return get


@pytest.mark.parametrize("c", CASES, ids=[c.id for c in CASES])
def test_scheme_lays_out_the_sheet(drafted, c):
    """Headings, run-in leads, enumerators and paragraphing, paragraph by paragraph."""
    result = drafted(c)
    assert result.exit_code == 0, result.output
    assert_paragraphs(main_part(c.genre, result.paragraphs), c.expect())


@pytest.mark.parametrize("c", CASES, ids=[c.id for c in CASES])
def test_every_fact_still_printed(drafted, c):
    """--strict passes (no fact unused, no 待补), and the sheet's words are there verbatim."""
    result = drafted(c)
    assert result.exit_code == 0, result.output
    assert "未使用" not in result.output and "待补" not in result.output
    text = result.text
    facts = [a["概述"] for a in AREAS] + [a["成效"] for a in AREAS] + [a["排比标题"] for a in AREAS]
    facts += [p[key] for a in AREAS for p in points(a) for key in ("领句", "内容")]
    facts += {
        "领导讲话": [j[key] for j in JUDGEMENTS for key in ("领句", "内容")]
                    + [t["标题"] for t in TASKS] + [r for t in TASKS for r in t["要求"]],
        "年度工作总结": list(PROBLEMS) + [t[key] for t in PLAN_TASKS for key in ("领句", "内容")],
        "汇报发言": [s[key] for s in SHEET["下一步"] for key in ("领句", "内容")],
        "经验交流材料": list(SHEET["经验材料"]["成效"]) + list(SHEET["经验材料"]["体会"]),
    }[c.genre]
    if c.labels:
        facts += list(AREA_LABELS) + [POINT_LABEL]
    # a sentence ending in 。 may end in ； where the scheme joins items with 分号
    missing = [f for f in facts if f not in text and not (f.endswith("。") and f[:-1] + "；" in text)]
    assert missing == []


def test_every_genre_has_at_least_four_schemes_besides_its_default():
    for genre in COMMANDS:
        assert len([c for c in CASES if c.genre == genre and c.forms]) >= 4, genre


def test_the_sample_sheet_is_strict_clean_under_each_default(drafted):
    for genre in COMMANDS:
        result = drafted(default_case(genre))
        assert result.exit_code == 0, (genre, result.output)


def test_inline_enumerators_are_plain_text_and_run_in_ones_carry_the_lead_style(drafted):
    """Under 连写 the enumerators are body text (no rStyle); under 领句 they sit in the lead's run."""
    yishi = drafted(next(c for c in CASES if c.id == "汇报发言-一、标题+一是分段"))
    enumerated = [p for p in body(yishi.paragraphs) if re.match("[一二三四]是", text_of(p))]
    assert len(enumerated) == sum(len(points(a)) for a in AREAS)
    assert all(len(p[1]) == 1 and p[1][0][0] is None for p in enumerated)
    run_in = drafted(next(c for c in CASES if c.id == "汇报发言-第二部分单独用首先领句"))
    styled = [run[1] for p in body(run_in.paragraphs) for run in p[1] if run[0]]
    assert styled == [f"{FIRSTLY[3][j]}{p['领句']}。" for j, p in enumerate(points(AREAS[1]))]


def default_case(genre: str) -> Case:
    return next(c for c in CASES if c.genre == genre and not c.forms and not c.labels)


def test_leader_default_prints_every_point_and_passes_strict(drafted):
    """Regression: the leader style once dropped the points of its work areas without a word."""
    result = drafted(default_case("领导讲话"))
    assert result.exit_code == 0, result.output
    for area in AREAS:
        for point in points(area):
            assert point["内容"] in result.text


def test_leader_achievements_print_each_point_lead(drafted):
    """Regression: a text line framed by tags (`{% if area.effect %}…{% endif %}`) once lost its line
    break as if it were a tag line, gluing `#### 压紧领导责任` onto the area's summary as literal text."""
    result = drafted(default_case("领导讲话"))
    assert result.exit_code == 0, result.output
    assert "#" not in result.text
    texts = [text_of(p) for p in body(result.paragraphs)]
    for i, area in enumerate(AREAS):
        expected = f"{CN[i]}是{heading_of(area)}。{summary_of(area)}" + "".join(point_of(p) for p in points(area))
        assert expected in texts


def summary_indicators_and_honours() -> str:
    indicators = "，".join(f"{i['事项']}{i['数值']}" for i in SUMMARY["指标"])
    first, second = SUMMARY["荣誉"]  # names hold 全市/全省, so no level is written before them
    return (f"全年{indicators}。工作成效得到上级肯定，{SHEET['单位']['简称']}被{first['授予单位']}评为{first['名称']}，"
            f"{second['获评项目']}被{second['授予单位']}评为{second['名称']}。现将有关情况报告如下：")


OPENINGS = [
    pytest.param("汇报发言", [f"{SHEET['汇报']['时段']}，{SHEET['单位']['自称']}全面贯彻落实"], id="汇报发言"),
    pytest.param("领导讲话", [f"今天，我们召开{TALK['会议']['名称']}，主要任务是{TALK['主要任务']}。"], id="领导讲话"),
    pytest.param("年度工作总结",
                 [f"{SHEET['年度']}年，{SHEET['单位']['简称']}全面贯彻落实", summary_indicators_and_honours()],
                 id="年度工作总结"),  # regression: an empty conditional line once split it after “…先进单位，”
    pytest.param("经验交流材料", [f"{SHEET['单位']['简称']}{SHEET['经验材料']['导语']}，"], id="经验交流材料"),
]


@pytest.mark.parametrize("genre, openings", OPENINGS)
def test_the_opening_paragraphs_before_the_parts(drafted, genre, openings):
    """The framing before the parts is untouched by the form: as many paragraphs as the template writes,
    each plain body text beginning as given."""
    result = drafted(default_case(genre))
    paras = body(result.paragraphs)
    opening = paras[:len(paras) - len(main_part(genre, result.paragraphs))]
    assert len(opening) == len(openings)
    for para, expected in zip(opening, openings):
        assert para[0] is None and len(para[1]) == 1
        assert text_of(para).startswith(expected)


# --------------------------------------------------------------------------- refusals

REFUSALS = [
    pytest.param("汇报发言", "部分: 一是 连写\n点: 一是 连写", "点",
                 ["点“压紧领导责任”", "和上级都用“一是”", "二是……一是……"], id="一是-under-一是"),
    pytest.param("汇报发言", "部分: 1. 标题\n点: （一） 领句", "点",
                 ["点“压紧领导责任”", "“（一）”不能排在上级的“1.”之下"], id="（一）-under-1."),
    pytest.param("年度工作总结", "节: 1. 标题\n点: （一） 领句", "点",
                 ["点“压紧领导责任”", "“（一）”不能排在上级的“1.”之下"], id="summary-（一）-under-1."),
    pytest.param("汇报发言", "部分: 一方面 领句", "部分",
                 ["部分“织密网络", "序号“一方面”只用于 2 项，这一级有 4 项"], id="一方面-4-parts"),
    pytest.param("领导讲话", "任务: {节: 一方面 标题}", "任务.节",
                 ["节“聚焦凝心铸魂", "序号“一方面”只用于 2 项，这一级有 4 项"], id="一方面-4-tasks"),
    pytest.param("汇报发言", "部分: 一、 领句 同段\n点: 1. 标题", "点",
                 ["点“压紧领导责任”", "上级已连成一段，这一级不能再单独成标题"], id="heading-in-joined-paragraph"),
]


def sheet_entry(sheet: Path, style: str, entry: str) -> Tuple[int, int]:
    """Line and column of an entry of the 形式 block with_forms() wrote: “点” is the key of `    点: …`,
    “任务.节” the 节 inside `    任务: {节: …}`."""
    lines = sheet.read_text(encoding="utf-8").splitlines()
    start = lines.index("形式:")
    assert lines[start + 1] == f"  {style}:"
    first, *inner = entry.split(".")
    n = next(n for n in range(start + 2, len(lines)) if lines[n].startswith(f"    {first}:"))
    if not inner:
        return n + 1, 5
    (key,) = inner
    return n + 1, lines[n].index(f"{key}:", 4 + len(first)) + 1


@pytest.mark.parametrize("genre, forms, entry, fragments", REFUSALS)
def test_unprintable_forms_are_refused_at_the_sheets_entry(tmp_path, genre, forms, entry, fragments):
    """Reported at the 形式 entry that chose the form of the level that cannot be printed, with its path;
    the template is not named."""
    result = draft(tmp_path, genre, forms)
    assert result.exit_code == 1
    assert not result.out.exists()
    for fragment in fragments:
        assert fragment in result.output
    line, column = sheet_entry(result.sheet, genre, entry)
    assert f"{result.sheet}:{line}:{column}: 形式.{genre}.{entry}: 形式排不出来：{fragments[0]}" in result.output
    assert str(TEMPLATES[genre]) not in result.output


@pytest.mark.parametrize("forms, level", [("部分: 一是 连写\n点: 一是 连写", "点"), ("部分: 一方面 领句", "部分")],
                         ids=["点-一是-under-一是", "部分-一方面"])
def test_refusal_names_the_sheet_line_of_the_levels_entry(tmp_path, forms, level):
    """One problem, at the line of the level's own entry under 形式 → 汇报发言 in the sheet as written
    (for 一是 under 一是 that is the lower level, 点, not 部分)."""
    result = draft(tmp_path, "汇报发言", forms)
    assert result.exit_code == 1
    lines = result.sheet.read_text(encoding="utf-8").splitlines()
    style = lines.index("  汇报发言:", lines.index("形式:"))
    line = next(n for n, text in enumerate(lines, 1) if n > style and text.startswith(f"    {level}:"))
    (problem,) = result.output.strip().splitlines()
    assert problem.startswith(f"{result.sheet}:{line}:5: 形式.汇报发言.{level}: 形式排不出来：")


def test_a_refusal_the_styles_own_form_causes_is_reported_at_template_yaml(tmp_path):
    """经验交流材料's template.yaml gives 点 “一是 连写 分段”; a sheet giving 部分 一是 too leaves the points
    unprintable, and their form was chosen by template.yaml's form → 点, so that line is reported."""
    result = draft(tmp_path, "经验交流材料", "部分: 一是 连写")
    assert result.exit_code == 1
    assert not result.out.exists()
    style_yaml = TEMPLATES["经验交流材料"].parent / "template.yaml"
    lines = style_yaml.read_text(encoding="utf-8").splitlines()
    form = next(n for n, text in enumerate(lines) if text.startswith("form:"))
    line = next(n for n, text in enumerate(lines, 1) if n > form and text.startswith("  点:"))
    assert (f"{style_yaml}:{line}:3: form.点: 形式排不出来：点“压紧领导责任”：和上级都用“一是”"
            in result.output)
    assert str(result.sheet) not in result.output


def sheet_line(sheet: Path, text: str) -> int:
    lines = sheet.read_text(encoding="utf-8").splitlines()
    return next(n for n, line in enumerate(lines, 1) if line == text)


@pytest.mark.parametrize("forms, key_line, column, path, fragment", [
    ("点: 一是 连写 分行", "    点: 一是 连写 分行", 5, "形式.汇报发言.点", "不认识“分行”"),
    ("点:\n  序号: 二是", "      序号: 二是", 7, "形式.汇报发言.点.序号", "序号不能是“二是”"),  # at the sub-key
    ("第二部分:\n  段落: 一是", "      段落: 一是", 7, "形式.汇报发言.第二部分.段落", "未知的级别“段落”"),
    ("段落: 一是", "    段落: 一是", 5, "形式.汇报发言.段落",
     "未知的级别“段落”；可写：部分、节、点、小点，或“第二部分”"),
], ids=["unknown-word", "unknown-enumerator", "unknown-level", "unknown-top-level-key"])
def test_a_bad_form_in_the_sheet_is_reported_at_its_line(tmp_path, forms, key_line, column, path, fragment):
    result = draft(tmp_path, "汇报发言", forms)
    assert result.exit_code == 1
    assert not result.out.exists()
    line = sheet_line(result.sheet, key_line)
    assert f"{result.sheet}:{line}:{column}: {path}" in result.output
    assert fragment in result.output


@pytest.mark.parametrize("forms, key_line, path, fragment", [
    ("第五部分: {节: 一是 连写}", "    第五部分: {节: 一是 连写}", "形式.领导讲话.第五部分",
     "文稿里没有这一项（共三个部分）"),
    ("成就: {节: 第一 连写}", "    成就: {节: 第一 连写}", "形式.领导讲话.成就",
     "文稿里没有名为“成就”的部分；有名称的部分：成绩、形势、任务"),
], ids=["no-fifth-part", "no-part-named-成就"])
def test_a_selector_that_picks_nothing_is_reported_at_its_line(tmp_path, forms, key_line, path, fragment):
    """The sheet's 形式 is checked against the draft: 领导讲话 has three parts, named 成绩, 形势, 任务."""
    result = draft(tmp_path, "领导讲话", forms)
    assert result.exit_code == 1
    assert not result.out.exists()
    line = sheet_line(result.sheet, key_line)
    assert f"{result.sheet}:{line}:5: {path}: {fragment}" in result.output


def test_a_style_key_naming_no_style_is_reported_at_its_line(tmp_path):
    result = draft(tmp_path, "汇报发言", "部分: 一、 标题", key="汇报发音")
    assert result.exit_code == 1
    assert not result.out.exists()
    line = sheet_line(result.sheet, "  汇报发音:")
    assert f"{result.sheet}:{line}:3: 形式.汇报发音: 没有叫“汇报发音”的样式，是否想写“汇报发言”？" in result.output


# --------------------------------------------------------------------------- drafter.form directly


def no_where(path: tuple):
    return ("test.yaml", None, None)


def at_line(entry: tuple, line: int, column: int):
    """A where() for read_scheme that puts ``entry`` (e.g. ("点",)) at line:column of s.yaml, the rest at 1:1."""
    return lambda path: ("s.yaml", *((line, column) if tuple(path) == entry else (1, 1)))


def lay_out(outline: str, scheme: Optional[dict] = None, where=no_where):
    return apply_form(read_outline(outline, "t.md"), read_scheme(scheme or {}, where))


def lay_out_under(outline: str, style: dict, sheet: dict) -> List[str]:
    """Laid out under a style's form (template.yaml) and a sheet's 形式 over it, as scheme_for joins them."""
    scheme = Scheme().plus(read_scheme(style, lambda path: ("template.yaml", None, None), ("form",)))
    scheme = scheme.plus(read_scheme(sheet, lambda path: ("sheet.yaml", None, None), ("形式", "汇报发言"),
                                     from_sheet=True))
    return shown(apply_form(read_outline(outline, "t.md"), scheme))


def shown(document) -> List[str]:
    """Each block as one line: 'H2 （一）标题', 'P 正文', 'closing …'; a run-in lead in ⟨…⟩."""
    lines = []
    for block in document.blocks:
        if isinstance(block, Heading):
            lines.append(f"H{block.level} {plain_text(block.inlines)}")
            continue
        text = "".join(f"⟨{i.level}:{i.text}⟩" if isinstance(i, Lead) else i.text for i in block.inlines)
        lines.append(f"{'P' if block.role == 'body' else block.role} {text}")
    return lines


def items(n: int, depth: int = 3, body: bool = True) -> str:
    marks = "#" * (depth + 1)
    return "".join(f"{marks} 做法{CN[k]}\n" + (f"内容{CN[k]}。\n" if body else "") for k in range(n))


@pytest.mark.parametrize("n", [2, 3, 4])
def test_firstly_series_by_count(n):
    doc = lay_out("## 甲\n" + items(n), {"点": "首先 连写 分段"})
    assert shown(doc) == ["H1 一、甲"] + [f"P {FIRSTLY[n][k]}做法{CN[k]}。内容{CN[k]}。" for k in range(n)]
    numbers = [i for b in doc.blocks for i in b.inlines if isinstance(i, Generated)]
    assert [g.text for g in numbers] == ["一、", *FIRSTLY[n]] and {g.kind for g in numbers} == {"序号"}


@pytest.mark.parametrize("enumerator, n, allowed", [("首先", 5, "2、3、4"), ("首先", 1, "2、3、4"),
                                                     ("一方面", 3, "2"), ("一方面", 1, "2")])
def test_series_enumerators_refuse_other_counts(enumerator, n, allowed):
    """Reported at the scheme's entry for 点 (the one that chose 首先 / 一方面), not at an outline line."""
    with pytest.raises(DrafterError) as error:
        lay_out("## 甲\n" + items(n), {"部分": "一、 标题", "点": f"{enumerator} 连写"}, at_line(("点",), 7, 3))
    message = str(error.value)
    assert f"只用于 {allowed} 项，这一级有 {n} 项" in message and message.startswith("s.yaml:7:3: 点: 形式排不出来：")
    assert "t.md" not in message


def test_series_counts_count_the_unlabelled_siblings_only():
    labelled_first = "## 甲\n#### [方法]{.标签}做法甲\n内容甲。\n" + items(2)
    assert shown(lay_out(labelled_first, {"点": "一方面 连写 分段"})) == [
        "H1 一、甲", "P 方法：做法甲。内容甲。", "P 一方面，做法一。内容一。", "P 另一方面，做法二。内容二。"]
    assert shown(lay_out("## 甲\n" + items(1) + "#### [方法]{.标签}做法甲\n内容甲。\n" + items(2)[len(items(1)):],
                         {"点": "首先 连写 分段"})) == [
        "H1 一、甲", "P 首先，做法一。内容一。", "P 方法：做法甲。内容甲。", "P 其次，做法二。内容二。"]
    with pytest.raises(DrafterError, match="序号“一方面”只用于 2 项，这一级有 1 项"):
        lay_out("## 甲\n#### [方法]{.标签}做法甲\n内容甲。\n" + items(1), {"点": "一方面 连写"})


def test_on_the_one_hand_for_two():
    assert shown(lay_out("## 甲\n" + items(2), {"部分": "无 标题", "点": "一方面 连写 同段"})) == [
        "H1 甲", "P 一方面，做法一。内容一。另一方面，做法二。内容二。"]


@pytest.mark.parametrize("paragraphing, expected", [
    ("同段", ["H1 一、甲", "P 概述。", "P 一是做法一。内容一；二是做法二。内容二；三是做法三。内容三。"]),
    ("接上段", ["H1 一、甲", "P 概述。一是做法一。内容一；二是做法二。内容二；三是做法三。内容三。"]),
])
def test_semicolons_between_items_and_a_full_stop_at_the_end(paragraphing, expected):
    assert shown(lay_out("## 甲\n概述。\n" + items(3), {"点": f"一是 连写 {paragraphing} 分号"})) == expected


def test_semicolons_with_run_in_leads_keep_the_lead_full_stop():
    assert shown(lay_out("## 甲\n概述。\n" + items(2), {"点": "一是 领句 接上段 分号"})) == [
        "H1 一、甲", "P 概述。⟨3:一是做法一。⟩内容一；⟨3:二是做法二。⟩内容二。"]


def test_together_starts_a_paragraph_after_the_summary_then_joins_siblings():
    assert shown(lay_out("## 甲\n概述。\n" + items(3), {"点": "第一 连写 同段"})) == [
        "H1 一、甲", "P 概述。", "P 第一，做法一。内容一。第二，做法二。内容二。第三，做法三。内容三。"]


@pytest.mark.parametrize("lead, printed", [
    ("做强基层", "做强基层。"),  # gets its 。
    ("做强基层。", "做强基层。"),
    ("做强基层？", "做强基层？"),
    ("做强基层！", "做强基层！"),
    ("做强基层：", "做强基层："),
    ("做强基层，", "做强基层，"),
])
@pytest.mark.parametrize("placement, level", [("领句", 1), ("连写", None)])
def test_a_lead_ends_in_a_full_stop_unless_it_ends_in_punctuation(lead, printed, placement, level):
    doc = lay_out(f"## {lead}\n正文。\n", {"部分": f"一、 {placement}"})
    lead_text = f"一、{printed}"
    assert shown(doc) == [f"P ⟨{level}:{lead_text}⟩正文。" if level else f"P {lead_text}正文。"]


def test_a_lead_ending_in_a_pause_mark_does_not_get_two_marks():
    (line,) = shown(lay_out("## 做好、\n正文。\n", {"部分": "一、 领句"}))
    assert "、。" not in line and line in ("P ⟨1:一、做好、⟩正文。", "P ⟨1:一、做好。⟩正文。")


def test_the_lead_end_can_be_chosen():
    assert shown(lay_out("## 甲\n" + items(2), {"点": {"序号": "一是", "位置": "连写", "领句后": "逗号"}})) == [
        "H1 一、甲", "P 一是做法一，内容一。", "P 二是做法二，内容二。"]


@pytest.mark.parametrize("lead", ["做强基层。", "做强基层；", "做强基层，", "做强基层："])
def test_a_standalone_heading_loses_its_trailing_mark(lead):
    assert shown(lay_out(f"## {lead}\n正文。\n", {"部分": "一、 标题"})) == ["H1 一、做强基层", "P 正文。"]


@pytest.mark.parametrize("enumerator, level, printed", [
    ("一、", 1, "一、"), ("（一）", 2, "（一）"), ("1.", 3, "1."), ("1、", 3, "1、"), ("（1）", 4, "（1）"),
    ("一是", 1, "一是"), ("第一", 1, "第一，"), ("无", 1, ""),
])
def test_heading_level_is_the_enumerators_rank_else_the_depth(enumerator, level, printed):
    assert shown(lay_out("## 甲\n正文。\n", {"部分": f"{enumerator} 标题"})) == [f"H{level} {printed}甲", "P 正文。"]


def test_rankless_heading_takes_its_depth_and_run_in_style_its_rank():
    doc = lay_out("## 甲\n#### 乙\n正文。\n#### 丙\n正文。\n", {"部分": "无 标题", "点": "一是 标题"})
    assert shown(doc) == ["H1 甲", "H3 一是乙", "P 正文。", "H3 二是丙", "P 正文。"]
    doc = lay_out("## 甲\n#### 乙\n正文。\n", {"点": "（1） 领句"})
    assert shown(doc) == ["H1 一、甲", "P ⟨4:（1）乙。⟩正文。"]


def test_a_label_replaces_the_enumerator():
    """A labelled item uses up no number: its siblings are numbered as if it were not there."""
    doc = lay_out("## [方法一]{.标签}甲\n正文。\n## 乙\n正文。\n", {"部分": "一、 标题"})
    assert shown(doc) == ["H1 方法一：甲", "P 正文。", "H1 一、乙", "P 正文。"]
    doc = lay_out("## 甲\n#### 乙\n正文。\n#### [第二招]{.标签}丙\n正文。\n#### 丁\n正文。\n", {"点": "一是 连写 分段"})
    assert shown(doc) == ["H1 一、甲", "P 一是乙。正文。", "P 第二招：丙。正文。", "P 二是丁。正文。"]
    doc = lay_out("## [方法一]{.标签}甲\n正文。\n", {"部分": {"序号": "（1）", "位置": "领句", "标签": "【{label}】"}})
    assert shown(doc) == ["P ⟨1:【方法一】甲。⟩正文。"]  # a labelled run-in takes the depth's style, not （1）'s


def test_a_label_format_keeps_its_ideographic_space():
    doc = lay_out("## [方法一]{.标签}甲\n正文。\n", {"部分": {"序号": "一、", "位置": "标题", "标签": "{label}　"}})
    assert shown(doc) == ["H1 方法一　甲", "P 正文。"]


def test_close_marker_returns_text_to_the_parent():
    doc = lay_out("## 甲\n### 乙\n乙正文。\n###/\n紧接着。\n\n另起一段。\n## 丙\n丙正文。\n", {"节": "一是 连写 分段"})
    assert shown(doc) == ["H1 一、甲", "P 一是乙。乙正文。紧接着。", "P 另起一段。", "H1 二、丙", "P 丙正文。"]
    outline = read_outline("## 甲\n### 乙\n乙正文。\n###/\n\n另起一段。\n", "t.md")
    (part,) = outline.items()
    assert [type(n).__name__ for n in part.content] == ["Item", "Paragraph"]  # the parent's, after 乙


def test_a_role_paragraph_closes_all_parts():
    outline_text = "## 甲\n### 乙\n乙正文。\n\n汇报完毕，谢谢大家！{.结束语}\n\n附言。\n"
    outline = read_outline(outline_text, "t.md")
    assert [getattr(n, "role", "item") for n in outline.content] == ["item", "closing", "body"]
    doc = lay_out(outline_text, {"部分": "一是 连写 接上段", "节": "无 连写 接上段"})
    assert shown(doc) == ["P 一是甲。乙。乙正文。", "closing 汇报完毕，谢谢大家！", "P 附言。"]


@pytest.mark.parametrize("parts, said", [(1, "一"), (2, "两"), (3, "三"), (4, "四")])
def test_part_count_counts_the_parts_only(parts, said):
    outline = "下面，我讲[]{.部分数}点意见。\n" + "".join(f"## 部分{CN[k]}\n### 节\n#### 点\n" for k in range(parts))
    assert shown(lay_out(outline))[0] == f"P 下面，我讲{said}点意见。"


def test_part_count_without_parts_is_an_error():
    with pytest.raises(DrafterError, match="部分数"):
        read_outline("下面，我讲[]{.部分数}点意见。\n", "t.md")


def test_selectors_by_position_and_by_name():
    outline = "## 甲{名称=成绩}\n### a\n### b\n## 乙\n### c\n### d\n## 丙\n### e\n### f\n"
    scheme = {"节": "一是 连写 分段", "成绩": {"节": "第一 连写"}, "第三部分": {"节": "首先 连写"}}
    assert shown(lay_out(outline, scheme)) == [
        "H1 一、甲", "P 第一，a。", "P 第二，b。", "H1 二、乙", "P 一是c。", "P 二是d。",
        "H1 三、丙", "P 首先，e。", "P 其次，f。"]


def test_precedence_is_by_specificity_whole_draft_first():
    """The whole-draft layers (style, then sheet) first, then those for one part (style, then sheet): the
    sheet's 节 does not undo the style's 问题 → 节, the sheet's 问题 → 节 does."""
    outline = "## 甲\n### a\n### b\n## 乙{名称=问题}\n### c\n### d\n"
    style = {"部分": "一、 标题", "节": "（一） 标题", "问题": {"节": "一是 连写 接上段 分号"}}
    assert lay_out_under(outline, style, {"节": "第一 连写 分段"}) == [
        "H1 一、甲", "P 第一，a。", "P 第二，b。", "H1 二、乙", "P 一是c；二是d。"]
    assert lay_out_under(outline, style, {"问题": {"节": "第一 连写"}}) == [
        "H1 一、甲", "H2 （一）a", "H2 （二）b", "H1 二、乙", "P 第一，c；第二，d。"]  # 接上段 分号 from the style's 问题


def test_deeper_positions_count_later_whatever_the_order_written():
    outline = "## 甲\n### a\n#### x\n#### y\n### b\n#### z\n#### w\n"
    scheme = {"节": "一是 连写 分段", "第一部分第二节": {"点": "第一 连写 接上段"}, "第一部分": {"点": "首先 连写 接上段"}}
    assert shown(lay_out(outline, scheme)) == [
        "H1 一、甲", "P 一是a。首先，x。其次，y。", "P 二是b。第一，z。第二，w。"]


def test_an_item_without_a_lead_under_heading_opens_its_body_with_a_run_in_enumerator():
    doc = lay_out("## 甲\n###\n问题一。\n###\n问题二。\n", {"节": "（一） 标题"})
    assert shown(doc) == ["H1 一、甲", "P ⟨2:（一）⟩问题一。", "P ⟨2:（二）⟩问题二。"]
    assert [type(b).__name__ for b in doc.blocks] == ["Heading", "Paragraph", "Paragraph"]  # no empty heading


def test_scheme_words_in_any_order_or_as_a_mapping():
    one = lay_out("## 甲\n" + items(2), {"点": "同段 连写 一是"})
    two = lay_out("## 甲\n" + items(2), {"点": {"分段": "同段", "位置": "连写", "序号": "一是"}})
    assert shown(one) == shown(two) == ["H1 一、甲", "P 一是做法一。内容一。二是做法二。内容二。"]


@pytest.mark.parametrize("scheme, fragment", [
    ({"点": "一是 连写 分行"}, "不认识“分行”"),
    ({"第二部分": {"段落": "一是"}}, "未知的级别“段落”"),
    ({"段落": "一是"}, "未知的级别“段落”；可写：部分、节、点、小点，或“第二部分”"),
    ({"点": {"序号": "二是"}}, "序号不能是“二是”"),
    ({"点": {"标签": "方法"}}, "{label}"),
])
def test_read_scheme_refuses_what_it_does_not_know(scheme, fragment):
    with pytest.raises(DrafterError) as error:
        read_scheme(scheme, no_where, ("形式", "汇报发言"))
    assert fragment in str(error.value) and "形式.汇报发言." in str(error.value)


def test_a_mistake_in_a_mapping_spec_points_at_its_sub_key():
    with pytest.raises(DrafterError) as error:
        read_scheme({"点": {"位置": "连写", "序号": "二是"}}, lambda path: ("s.yaml", len(path), None), ("形式", "汇报发言"))
    (problem,) = error.value.problems
    assert (problem.path, problem.line) == ("形式.汇报发言.点.序号", 4)  # where() is asked for the sub-key


@pytest.mark.parametrize("scheme, fragment", [
    ({"部分": "一是 连写", "点": "一是 连写"}, "二是……一是……"),
    ({"部分": "（1） 标题", "点": "1. 领句"}, "“1.”不能排在上级的“（1）”之下"),
    ({"部分": "1、 标题", "点": "1. 领句"}, "“1.”不能排在上级的“1、”之下"),
    ({"部分": "无 连写 同段", "点": "1. 标题"}, "不能再单独成标题"),
])
def test_apply_form_refuses_unprintable_nesting(scheme, fragment):
    with pytest.raises(DrafterError) as error:
        lay_out("## 甲\n#### 乙\n正文。\n#### 丙\n正文。\n", scheme)
    assert fragment in str(error.value)


@pytest.mark.parametrize("scheme", [
    {"部分": "一是 连写", "点": "第一 连写"},
    {"部分": "一、 标题", "点": "1. 领句"},  # a rank skipped is fine
    {"部分": "（一） 标题", "点": "（1） 领句"},
    {"部分": "1. 标题", "点": "一是 连写"},  # 一是 has no rank: fits under anything but itself
    {"部分": "无 标题", "点": "一是 连写"},
])
def test_apply_form_accepts_printable_nesting(scheme):
    assert lay_out("## 甲\n#### 乙\n正文。\n#### 丙\n正文。\n", scheme).blocks
