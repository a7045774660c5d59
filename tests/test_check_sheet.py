"""核稿 against the fact sheet (drafter.check.against_sheet): silent on every draft drafter writes
from its own sheets, and each planted fault found at its paragraph and span."""
import shlex
from pathlib import Path
from typing import Dict, List, Optional, Sequence, Tuple

import pytest

from drafter.check.against_sheet import check
from drafter.check.findings import DOUBT, ERROR, HINT, SHEET
from drafter.document import plain_text
from drafter.facts import load_sheet
from drafter.pipeline import make_draft
from drafter.readers import ReadParagraph

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "facts" / "2024.yaml"
DEFAULT_STYLE = {"speech": "report", "report": "summary"}

Case = Tuple[str, str, Optional[str], Optional[str]]  # kind, sheet, style, event


def _cases() -> List[Case]:
    cases: List[Case] = [("speech", str(SAMPLE), "report", None), ("speech", str(SAMPLE), "leader", None),
                         ("speech", str(SAMPLE), "host", "2024-01")]
    cases += [("news", str(SAMPLE), None, event) for event in ("meeting", "training", "调研", "慰问")]
    cases += [("news", str(SAMPLE), "feature", None), ("report", str(SAMPLE), "summary", None),
              ("report", str(SAMPLE), "experience", None)]
    for sheet in sorted((ROOT / "facts" / "examples").glob("*.yaml")):
        words = shlex.split(sheet.read_text(encoding="utf-8").splitlines()[0].lstrip("#").strip())
        kind = words[1]
        style = words[words.index("--style") + 1] if "--style" in words else DEFAULT_STYLE.get(kind)
        event = words[words.index("--event") + 1] if "--event" in words else None
        cases.append((kind, str(sheet), style, event))
    return cases


CASES = _cases()


@pytest.fixture(scope="module")
def drafted() -> Dict[Case, List[str]]:
    """Each case drafted once for the module: paragraph texts as the blocks print them."""
    cache: Dict[Case, List[str]] = {}
    for case in CASES:
        kind, sheet, style, event = case
        draft = make_draft(kind, Path(sheet), style=style, event=event)
        cache[case] = [plain_text(block.inlines) for block in draft.document.blocks]
    return cache


def _paragraphs(texts: Sequence[str]) -> List[ReadParagraph]:
    return [ReadParagraph(number=i + 1, position=i, text=text) for i, text in enumerate(texts)]


def _planted(texts: Sequence[str], old: str, new: str) -> Tuple[List[ReadParagraph], int, int]:
    """The texts with ``old`` replaced once by ``new``: (paragraphs, its paragraph number, where new starts)."""
    texts = list(texts)
    index = next(i for i, text in enumerate(texts) if old in text)
    at = texts[index].index(old)
    texts[index] = texts[index].replace(old, new, 1)
    return _paragraphs(texts), index + 1, at


def _findings(paragraphs, sheet=SAMPLE):
    return list(check(paragraphs, load_sheet(sheet)))


def _only(findings, rule):
    assert [f.rule for f in findings] == [rule], [(f.rule, f.message) for f in findings]
    finding = findings[0]
    assert finding.source == SHEET and finding.excerpt == ""
    return finding


def _span(paragraphs, finding) -> str:
    return paragraphs[finding.paragraph - 1].full_text[finding.start:finding.end]


@pytest.mark.parametrize("case", CASES, ids=lambda c: f"{c[0]}-{c[2]}-{c[3]}-{Path(c[1]).stem}")
def test_silent_on_drafter_drafts(drafted, case):
    findings = _findings(_paragraphs(drafted[case]), case[1])
    assert findings == [], [(f.paragraph, f.rule, f.message) for f in findings]


REPORT: Case = ("speech", str(SAMPLE), "report", None)
MEETING: Case = ("news", str(SAMPLE), None, "meeting")
HOST: Case = ("speech", str(SAMPLE), "host", "2024-01")
TRAINING: Case = ("news", str(SAMPLE), None, "training")
SUMMARY: Case = ("report", str(SAMPLE), "summary", None)


def test_changed_count(drafted):
    paragraphs, number, at = _planted(drafted[REPORT], "区委常委会5次", "区委常委会6次")
    finding = _only(_findings(paragraphs), "sheet.number-contradicts")
    assert finding.severity == ERROR and finding.paragraph == number
    assert (finding.start, finding.end) == (at + 5, at + 7) and _span(paragraphs, finding) == "6次"
    assert finding.fix == "5次"
    assert "事实表写的是“5次”" in finding.message and "这里是“6次”" in finding.message
    assert "2024.yaml:71" in finding.message and "工作领域[1].要点[1].内容" in finding.message


def test_count_moved_from_another_fact(drafted):
    """2次 is in the sheet (全体会议2次), but the words around it say 区委常委会5次."""
    paragraphs, number, _ = _planted(drafted[REPORT], "区委常委会5次", "区委常委会2次")
    finding = _only(_findings(paragraphs), "sheet.number-misplaced")
    assert finding.severity == DOUBT and finding.paragraph == number and _span(paragraphs, finding) == "2次"


def test_changed_money(tmp_path):
    sheet = tmp_path / "sheet.yaml"
    sheet.write_text("年度: 2024\n工作领域:\n  - 概述: 全年招商引资到位资金4.57亿元，同比增长8.2%\n", encoding="utf-8")
    paragraphs = _paragraphs(["一、招商引资", "全年招商引资到位资金4.75亿元，同比增长8.2%。"])
    finding = _only(_findings(paragraphs, sheet), "sheet.number-contradicts")
    assert finding.severity == ERROR and finding.paragraph == 2
    assert _span(paragraphs, finding) == "4.75亿元" and finding.fix == "4.57亿元"
    assert "sheet.yaml:3，工作领域[1].概述" in finding.message


def test_changed_money_in_draft(drafted):
    paragraphs, number, _ = _planted(drafted[REPORT], "总投资2.35亿元", "总投资2.53亿元")
    finding = _only(_findings(paragraphs), "sheet.number-contradicts")
    assert (finding.paragraph, _span(paragraphs, finding), finding.fix) == (number, "2.53亿元", "2.35亿元")


def test_changed_percentage(drafted):
    paragraphs, number, at = _planted(drafted[REPORT], "占比达61.5%", "占比达65.1%")
    finding = _only(_findings(paragraphs), "sheet.number-contradicts")
    assert finding.severity == ERROR and finding.paragraph == number
    assert (finding.start, finding.end) == (at + 3, at + 8) and finding.fix == "61.5%"


def test_changed_whole_value_count(drafted):
    """数量: 10个 stands beside 类别: …先进集体; the draft prints them together."""
    paragraphs, number, _ = _planted(drafted[MEETING], "先进集体10个", "先进集体12个")
    finding = _only(_findings(paragraphs), "sheet.number-contradicts")
    assert (finding.paragraph, _span(paragraphs, finding), finding.fix) == (number, "12个", "10个")
    assert "活动[1].表彰[1].数量" in finding.message


def test_dropped_approximation(drafted):
    paragraphs, number, _ = _planted(drafted[REPORT], "覆盖党外人士2600余人次", "覆盖党外人士2600人次")
    finding = _only(_findings(paragraphs), "sheet.number-approx")
    assert finding.severity == DOUBT and _span(paragraphs, finding) == "2600人次" and finding.fix == "2600余人次"


def test_changed_date(drafted):
    paragraphs, number, at = _planted(drafted[MEETING], "3月28日上午", "3月29日上午")
    finding = _only(_findings(paragraphs), "sheet.date-contradicts")
    assert finding.severity == ERROR and finding.paragraph == number
    assert (finding.start, finding.end) == (at, at + 5) and finding.fix == "3月28日"
    assert "2024-03-28" in finding.message and "活动[1].日期" in finding.message


def test_changed_date_line(drafted):
    paragraphs, number, _ = _planted(drafted[REPORT], "（2024年12月17日）", "（2024年12月18日）")
    finding = _only(_findings(paragraphs), "sheet.date-contradicts")
    assert (finding.paragraph, _span(paragraphs, finding), finding.fix) == (number, "2024年12月18日", "2024年12月17日")


def test_changed_closing_day(drafted):
    paragraphs, number, _ = _planted(drafted[TRAINING], "6月18日至20日", "6月18日至21日")
    finding = _only(_findings(paragraphs), "sheet.date-contradicts")
    assert (finding.paragraph, _span(paragraphs, finding), finding.fix) == (number, "21日", "20日")
    assert "活动[2].结束日期" in finding.message


def test_number_absent_from_sheet(drafted):
    paragraphs, number, at = _planted(drafted[REPORT], "实施帮扶项目104个", "实施帮扶项目104个，带动就业580人")
    finding = _only(_findings(paragraphs), "sheet.number-unsourced")
    assert finding.severity == DOUBT and finding.paragraph == number
    assert _span(paragraphs, finding) == "580人" and finding.fix is None


def test_date_and_year_absent_from_sheet(drafted):
    paragraphs, number, _ = _planted(drafted[REPORT], "今年以来，", "2019年8月9日以来，")
    findings = _findings(paragraphs)
    assert [(f.rule, _span(paragraphs, f)) for f in findings] == [("sheet.date-unsourced", "2019年8月9日")]


def test_year_next_to_the_sheets_is_explained(drafted):
    paragraphs, _, _ = _planted(drafted[REPORT], "今年以来，", "2023年以来，")
    assert _findings(paragraphs) == []
    paragraphs, number, _ = _planted(drafted[REPORT], "今年以来，", "2015年以来，")
    finding = _only(_findings(paragraphs), "sheet.year-unsourced")
    assert (finding.paragraph, _span(paragraphs, finding)) == (number, "2015年")


def test_figure_written_two_ways(drafted):
    """The summary prints 约1.2万人次 twice (指标 and the body); one is rewritten as 约12000人次."""
    texts = drafted[SUMMARY]
    assert sum(text.count("约1.2万人次") for text in texts) == 2
    last = max(i for i, text in enumerate(texts) if "约1.2万人次" in text)
    texts = list(texts)
    texts[last] = texts[last].replace("约1.2万人次", "约12000人次")
    paragraphs = _paragraphs(texts)
    finding = _only(_findings(paragraphs), "sheet.number-two-forms")
    assert finding.severity == DOUBT and finding.paragraph == last + 1
    assert _span(paragraphs, finding) == "约12000人次" and "约1.2万人次" in finding.message


def test_figure_written_another_way_once(drafted):
    paragraphs, number, _ = _planted(drafted[REPORT], "服务群众约1.2万人次", "服务群众约12000人次")
    finding = _only(_findings(paragraphs), "sheet.number-form")
    assert finding.severity == HINT and finding.paragraph == number and _span(paragraphs, finding) == "约12000人次"


def test_same_words_two_numbers(tmp_path):
    sheet = tmp_path / "sheet.yaml"
    sheet.write_text("年度: 2024\n概述: 全年发展会员工作稳步推进\n", encoding="utf-8")
    paragraphs = _paragraphs(["全年共发展会员120名。", "其中，今年发展会员112名，均为民营企业负责人。"])
    findings = _findings(paragraphs, sheet)
    assert [(f.paragraph, f.rule, _span(paragraphs, f)) for f in findings] == [
        (1, "sheet.number-unsourced", "120名"), (2, "sheet.number-inconsistent", "112名")]
    assert "第1段写的是“120名”" in findings[1].message


def test_wrong_title_before_leader(drafted):
    paragraphs, number, at = _planted(drafted[MEETING], "区委书记陆启航", "区委副书记陆启航")
    finding = _only(_findings(paragraphs), "sheet.person-title")
    assert finding.severity == ERROR and finding.paragraph == number
    assert (finding.start, finding.end) == (at, at + 5) and finding.fix is None
    assert "陆启航的职务是“区委书记”" in finding.message and "活动[1].出席领导[1].职务" in finding.message


def test_wrong_title_in_host_speech(drafted):
    paragraphs, number, _ = _planted(drafted[HOST], "请区委常委、统战部部长程静澜同志", "请区委常委、统战部副部长程静澜同志")
    finding = _only(_findings(paragraphs), "sheet.person-title")
    assert finding.paragraph == number and _span(paragraphs, finding) == "区委常委、统战部副部长"


def test_shortened_title_is_not_wrong(drafted):
    paragraphs, _, _ = _planted(drafted[MEETING], "区委常委、统战部部长程静澜", "统战部部长程静澜")
    assert _findings(paragraphs) == []


def test_name_one_character_off(drafted):
    paragraphs, number, at = _planted(drafted[MEETING], "程静澜作工作报告", "程静兰作工作报告")
    finding = _only(_findings(paragraphs), "sheet.person-name")
    assert finding.severity == DOUBT and finding.paragraph == number
    assert (finding.start, finding.end) == (at, at + 3) and "是否为事实表中的“程静澜”" in finding.message


def test_leaders_in_swapped_order(drafted):
    paragraphs, number, at = _planted(drafted[HOST], "区委书记陆启航同志，区委常委、统战部部长程静澜同志",
                                      "区委常委、统战部部长程静澜同志，区委书记陆启航同志")
    finding = _only(_findings(paragraphs), "sheet.person-order")
    assert finding.severity == DOUBT and finding.paragraph == number
    assert _span(paragraphs, finding) == "程静澜同志，区委书记陆启航"
    assert "事实表依次为陆启航、程静澜" in finding.message and "活动[1].出席领导" in finding.message


def test_leaders_in_separate_sentences_keep_no_order(drafted):
    paragraphs, _, _ = _planted(drafted[MEETING], "区委书记陆启航出席会议并讲话，区委常委、统战部部长程静澜作工作报告",
                                "区委常委、统战部部长程静澜作工作报告。区委书记陆启航出席会议并讲话")
    assert [f.rule for f in _findings(paragraphs)] == []


def test_enumerators_labels_and_chinese_counts_are_not_figures(tmp_path):
    sheet = tmp_path / "sheet.yaml"
    sheet.write_text("年度: 2024\n概述: 出台《2024年度基层统战工作要点》，走访企业12家\n", encoding="utf-8")
    paragraphs = [ReadParagraph(1, 0, "走访企业12家，我讲三点意见。", label="1."),
                  ReadParagraph(2, 1, "（1）出台《2024年度基层统战工作要点》。2.走访企业12家。"),
                  ReadParagraph(3, 2, "— 3 —")]
    assert _findings(paragraphs, sheet) == []
