"""Framing is data (issue 13) for the 领导讲话 (drafter speech --style leader): every phrase the template
adds can be replaced or switched off from the sheet's 讲话 section, nothing a real speech can lack is
required (形势, 任务, 号召, the meeting, the speaker's name), the title takes the speaker, and the
sheet's own paragraphs have their places. Each case drafts a small sheet with --strict and reads the
.docx: every paragraph with its Word style.
"""
import copy
import datetime
import re
import zipfile
from pathlib import Path
from typing import Any, Dict, List, Tuple

import pytest
import yaml
from click.testing import CliRunner
from docx_reading import styled_paragraphs

from drafter.cli import cli

ROOT = Path(__file__).resolve().parent.parent
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"

BASE: Dict[str, Any] = {
    "讲话": {
        "会议": {"名称": "全县统一战线工作会议", "日期": datetime.date(2025, 2, 18)},
        "讲话人": {"职务": "县委书记", "姓名": "林澈"},
        "主要任务": "总结去年工作，部署今年任务",
        "刚才": ["志远同志作了工作报告"],
        "成绩": {
            "概述": "去年全县统战工作稳中有进",
            "致谢": {"代表": "县委", "对象": ["全县统战干部"]},
            "不足": ["乡镇统战力量偏弱"],
        },
        "形势": {
            "概述": "统战工作面临新的形势",
            "判断": [{"领句": "做好统战工作是政治责任", "内容": "必须抓紧抓实。"}],
        },
        "任务": {
            "概述": "今年要抓好两方面工作",
            "要点": [{"标题": "聚焦凝心铸魂", "要求": ["要加强思想引领"]}],
        },
        "号召": "让我们团结奋进",
    },
    "工作领域": [
        {"排比标题": "建强阵地", "概述": "新建同心驿站8个"},
        {"排比标题": "建好队伍", "概述": "培训统战干部96人次"},
    ],
}

# the sheet above as drafted by default, paragraph by paragraph: (Word paragraph style, text)
TITLE = ("GwTitle", "在全县统一战线工作会议上的讲话")
BYLINE = ("GwByline", "县委书记 林澈")
DATE = ("GwDate", "（2025年2月18日）")
SALUTATION = ("GwSalutation", "同志们：")
CONVENE = "今天，我们召开全县统一战线工作会议，主要任务是总结去年工作，部署今年任务。"
BEFORE = "刚才，志远同志作了工作报告。"
OPENING = (None, CONVENE + BEFORE + "下面，我讲三点意见。")
MERITS = [
    ("Heading1", "一、充分肯定成绩，坚定做好工作的信心决心"),
    (None, "去年全县统战工作稳中有进。"),
    (None, "一是建强阵地。新建同心驿站8个。"),
    (None, "二是建好队伍。培训统战干部96人次。"),
]
THANKS = (None, "成绩来之不易。在此，我代表县委，向全县统战干部表示衷心的感谢！")
GAPS = (None, "在肯定成绩的同时，我们也要清醒看到，乡镇统战力量偏弱。对这些问题，必须高度重视，切实加以解决。")
SITUATION = [
    ("Heading1", "二、准确把握形势，切实增强做好工作的责任感使命感"),
    (None, "统战工作面临新的形势。"),
    (None, "（一）做好统战工作是政治责任。必须抓紧抓实。"),
]
TASKS = [
    ("Heading1", "三、突出重点任务，推动各项工作落地见效"),
    (None, "今年要抓好两方面工作。"),
    ("Heading2", "（一）聚焦凝心铸魂"),
    (None, "要加强思想引领。"),
]
CALL = ("GwClosing", "同志们，让我们团结奋进。")
DEFAULT = [TITLE, BYLINE, DATE, SALUTATION, OPENING, *MERITS, THANKS, GAPS, *SITUATION, *TASKS, CALL]


class Whole(dict):
    """A mapping that replaces the base's instead of being merged into it."""


def merged(base: Any, changes: Dict[str, Any]) -> Any:
    """The base sheet with changes: a value None deletes the key, a dict (not Whole) merges into the base's."""
    out = copy.deepcopy(base)
    for key, value in changes.items():
        if value is None:
            out.pop(key, None)
        elif isinstance(value, dict) and not isinstance(value, Whole) and isinstance(out.get(key), dict):
            out[key] = merged(out[key], value)
        else:
            out[key] = dict(value) if isinstance(value, Whole) else value
    return out


class Drafted:
    def __init__(self, code: int, output: str, paragraphs: List[Tuple[str, str]]):
        self.code, self.output, self.paragraphs = code, output, paragraphs

    @property
    def texts(self) -> List[str]:
        return [text for _, text in self.paragraphs]


def draft(tmp_path: Path, strict: bool = True, sheet: Any = None, forms: Any = None, **talk: Any) -> Drafted:
    """The base sheet with the 讲话 section changed as given, drafted in process as a 领导讲话."""
    data = merged(BASE, {"讲话": talk}) if sheet is None else sheet
    if forms is not None:
        data = dict(data, 形式={"领导讲话": forms})
    path = tmp_path / "s.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    out = tmp_path / "out.docx"
    args = ["speech", "--style", "leader", str(path), "-o", str(out), "--force"] + (["--strict"] if strict else [])
    result = CliRunner().invoke(cli, args, catch_exceptions=False)
    paragraphs = styled_paragraphs(out) if result.exit_code == 0 else []
    return Drafted(result.exit_code, result.output, paragraphs)


def ok(result: Drafted) -> Drafted:
    assert result.code == 0, result.output
    assert "待补" not in "".join(result.texts)
    return result


# --------------------------------------------------------------------------- the defaults


def test_the_defaults(tmp_path):
    assert ok(draft(tmp_path)).paragraphs == DEFAULT


# --------------------------------------------------------------------------- title, byline


def test_a_title_written_whole_with_a_subtitle(tmp_path):
    result = ok(draft(tmp_path, 标题="凝心聚力　共谱新篇", 副题="——在全县统一战线工作会议上的讲话"))
    assert result.paragraphs[:4] == [("GwTitle", "凝心聚力　共谱新篇"),
                                     ("GwSubtitle", "——在全县统一战线工作会议上的讲话"), BYLINE, DATE]


def test_the_title_tail_phrase(tmp_path):
    assert ok(draft(tmp_path, 标题末尾="上的动员讲话")).paragraphs[0] == ("GwTitle", "在全县统一战线工作会议上的动员讲话")
    assert ok(draft(tmp_path, 标题末尾="不写")).paragraphs[0] == ("GwTitle", "在全县统一战线工作会议")


@pytest.mark.parametrize("speaker, title", [
    ({"姓名": "林澈", "写进标题": "姓名"}, "林澈同志在全县统一战线工作会议上的讲话"),
    ({"姓名": "林澈", "写进标题": "姓名", "尊称": "书记"}, "林澈书记在全县统一战线工作会议上的讲话"),
    ({"姓名": "林澈", "写进标题": "姓名", "尊称": "不写"}, "林澈在全县统一战线工作会议上的讲话"),
    ({"职务": "县长", "写进标题": "职务"}, "县长在全县统一战线工作会议上的讲话"),
    ({"职务": "县委书记", "姓名": "林澈", "写进标题": "职务和姓名"}, "县委书记林澈在全县统一战线工作会议上的讲话"),
], ids=["name-同志", "name-书记", "name-alone", "office-alone", "office-and-name"])
def test_the_speaker_named_in_the_title_has_no_byline(tmp_path, speaker, title):
    result = ok(draft(tmp_path, 讲话人=Whole(speaker)))
    assert result.paragraphs[:3] == [("GwTitle", title), DATE, SALUTATION]


def test_the_speaker_in_the_title_prints_every_fact_given(tmp_path):
    """写进标题: 职务 with a name as well: the name is printed nowhere, and the check says so."""
    result = draft(tmp_path, 讲话人=Whole({"职务": "县长", "姓名": "林澈", "写进标题": "职务"}))
    assert result.code == 1 and "讲话.讲话人.姓名: 未使用" in result.output


@pytest.mark.parametrize("speaker, byline", [
    ({"职务": "县长"}, "县长"), ({"姓名": "林澈"}, "林澈"),
], ids=["office-alone", "name-alone"])
def test_a_byline_by_office_or_name_alone(tmp_path, speaker, byline):
    assert ok(draft(tmp_path, 讲话人=Whole(speaker))).paragraphs[:2] == [TITLE, ("GwByline", byline)]


def test_no_speaker_no_byline(tmp_path):
    assert ok(draft(tmp_path, 讲话人=None)).paragraphs[:3] == [TITLE, DATE, SALUTATION]


@pytest.mark.parametrize("speaker, message", [
    ({}, "讲话.讲话人: 至少应有 1 项"),
    ({"姓名": "林澈", "写进标题": "名字"}, "讲话.讲话人.写进标题: “名字”不是可选的值；可选：“姓名”、“职务”、“职务和姓名”"),
], ids=["empty", "unknown-title-form"])
def test_a_speaker_that_says_nothing_is_refused(tmp_path, speaker, message):
    result = draft(tmp_path, 讲话人=Whole(speaker))
    assert result.code == 1 and message in result.output


# --------------------------------------------------------------------------- salutation and opening


def test_the_salutation_replaced(tmp_path):
    assert ok(draft(tmp_path, 称谓="同志们、朋友们：")).paragraphs[3] == ("GwSalutation", "同志们、朋友们：")


@pytest.mark.parametrize("off", ["不写", ""], ids=["不写", "empty"])
def test_the_salutation_switched_off(tmp_path, off):
    assert ok(draft(tmp_path, 称谓=off)).paragraphs[:4] == [TITLE, BYLINE, DATE, OPENING]


def test_basic_situation_and_quotation(tmp_path):
    result = ok(draft(tmp_path, 基本情况=["桐溪县辖12个乡镇。", "全县有统战成员5600余名。"],
                      引语="古人说，众人拾柴火焰高"))
    assert result.paragraphs[3:7] == [SALUTATION, (None, "桐溪县辖12个乡镇。"), (None, "全县有统战成员5600余名。"),
                                      (None, "古人说，众人拾柴火焰高。" + OPENING[1])]


def test_an_opening_written_whole(tmp_path):
    result = ok(draft(tmp_path, 开头="年终岁末，把全年工作梳理一遍很有必要", 主要任务=None))
    assert result.paragraphs[4] == (None, "年终岁末，把全年工作梳理一遍很有必要。" + BEFORE + "下面，我讲三点意见。")
    assert result.paragraphs[0] == TITLE  # the meeting is still named in the title


def test_an_opening_written_whole_leaves_the_purpose_unprinted(tmp_path):
    result = draft(tmp_path, 开头="这次会议很重要")
    assert result.code == 1 and "讲话.主要任务: 未使用" in result.output


def test_the_convene_and_purpose_phrases(tmp_path):
    result = ok(draft(tmp_path, 召开的说法="经县委同意，今天召开", 任务的说法="会议的主要任务是"))
    assert result.paragraphs[4][1].startswith(
        "经县委同意，今天召开全县统一战线工作会议，会议的主要任务是总结去年工作，部署今年任务。刚才，")


def test_the_convene_phrase_switched_off(tmp_path):
    result = ok(draft(tmp_path, 召开的说法="不写", 任务的说法="这次会议的主要任务是"))
    assert result.paragraphs[4] == (None, "这次会议的主要任务是总结去年工作，部署今年任务。" + BEFORE + "下面，我讲三点意见。")


def test_no_purpose(tmp_path):
    result = ok(draft(tmp_path, 主要任务=None))
    assert result.paragraphs[4] == (None, "今天，我们召开全县统一战线工作会议。" + BEFORE + "下面，我讲三点意见。")


def test_the_before_part_is_optional_and_its_lead_a_phrase(tmp_path):
    assert ok(draft(tmp_path, 刚才=None)).paragraphs[4] == (None, CONVENE + "下面，我讲三点意见。")
    replaced = ok(draft(tmp_path, 刚才的说法="会上，"))
    assert replaced.paragraphs[4] == (None, CONVENE + "会上，志远同志作了工作报告。下面，我讲三点意见。")
    off = ok(draft(tmp_path, 刚才的说法="不写", 刚才=["志远同志作了工作报告，讲得很好"]))
    assert off.paragraphs[4] == (None, CONVENE + "志远同志作了工作报告，讲得很好。下面，我讲三点意见。")


def test_the_transition_replaced_verbatim(tmp_path):
    """The sheet's own words are a fact: a number in them is no invented number."""
    result = ok(draft(tmp_path, 过渡语="下面，我就做好今年工作讲3个问题。"))
    assert result.paragraphs[4] == (None, CONVENE + BEFORE + "下面，我就做好今年工作讲3个问题。")


@pytest.mark.parametrize("off", ["不写", ""], ids=["不写", "empty"])
def test_the_transition_switched_off(tmp_path, off):
    assert ok(draft(tmp_path, 过渡语=off)).paragraphs[4] == (None, CONVENE + BEFORE)


def test_an_opening_with_nothing_in_it_leaves_no_paragraph(tmp_path):
    result = ok(draft(tmp_path, 召开的说法="不写", 主要任务=None, 刚才=None, 过渡语="不写"))
    assert result.paragraphs[3:5] == [SALUTATION, MERITS[0]]


def test_a_phrase_default_keeps_its_markup(tmp_path):
    """The transition's default holds []{.部分数}: |phrase hands it back as markup, so the count is the
    draft's own (一, 两, 三 parts) and the markup never prints."""
    from drafter.provenance import Missing, Outline, phrase

    default = phrase(Missing("过渡语", "讲话.过渡语", None, "下面，我讲[]{.部分数}点意见。"))
    assert isinstance(default, Outline) and default == "下面，我讲[]{.部分数}点意见。"


# --------------------------------------------------------------------------- a meeting is not required


def test_no_meeting_with_a_title_and_an_opening_written_whole(tmp_path):
    result = ok(draft(tmp_path, 会议=None, 标题="在全县干部大会上的讲话", 开头="这次大会很重要", 主要任务=None))
    assert result.paragraphs[:4] == [("GwTitle", "在全县干部大会上的讲话"), BYLINE, SALUTATION,
                                     (None, "这次大会很重要。" + BEFORE + "下面，我讲三点意见。")]


def test_no_meeting_and_no_title_asks_for_the_meeting(tmp_path):
    result = draft(tmp_path, 会议=None)
    assert result.code == 1 and "讲话.会议.名称: 待补" in result.output


def test_no_meeting_no_purpose_no_convening_sentence(tmp_path):
    result = ok(draft(tmp_path, 会议=None, 主要任务=None, 标题="在全县干部大会上的讲话"))
    assert result.paragraphs[3] == (None, BEFORE + "下面，我讲三点意见。")


# --------------------------------------------------------------------------- the parts


def test_the_time_adverbial_leads_the_achievements(tmp_path):
    result = ok(draft(tmp_path, 时段="去年以来", 成绩={"概述": "全县统战工作稳中有进"}))
    assert result.paragraphs[6] == (None, "去年以来，全县统战工作稳中有进。")


def test_the_time_adverbial_without_a_summary_is_reported(tmp_path):
    result = draft(tmp_path, 时段="去年以来", 成绩={"概述": None})
    assert result.code == 1 and "讲话.时段: 未使用" in result.output


@pytest.mark.parametrize("part, index, heading", [
    ("成绩", 5, "一、回顾去年工作"), ("形势", 11, "二、认清形势"), ("任务", 14, "三、明确任务"),
])
def test_part_headings_replaced(tmp_path, part, index, heading):
    result = ok(draft(tmp_path, **{part: {"标题": heading[2:]}}))
    assert result.paragraphs[index] == ("Heading1", heading)


def test_part_headings_switched_off(tmp_path):
    """A part without a heading: its enumerator opens its summary."""
    result = ok(draft(tmp_path, 成绩={"标题": "不写"}, 任务={"标题": "不写"}))
    assert result.paragraphs[5] == (None, "一、去年全县统战工作稳中有进。")
    assert (None, "三、今年要抓好两方面工作。") in result.paragraphs
    assert [p for p in result.paragraphs if p[0] == "Heading1"] == [SITUATION[0]]


def test_a_speech_of_achievements_only_counts_one_part(tmp_path):
    result = ok(draft(tmp_path, 形势=None, 任务=None))
    assert result.paragraphs == [TITLE, BYLINE, DATE, SALUTATION, (None, CONVENE + BEFORE + "下面，我讲一点意见。"),
                                 *MERITS, THANKS, GAPS, CALL]


def test_a_speech_without_situation_counts_two_parts(tmp_path):
    result = ok(draft(tmp_path, 形势=None))
    assert result.paragraphs == [TITLE, BYLINE, DATE, SALUTATION, (None, CONVENE + BEFORE + "下面，我讲两点意见。"),
                                 *MERITS, THANKS, GAPS, ("Heading1", "二、突出重点任务，推动各项工作落地见效"),
                                 *TASKS[1:], CALL]


def test_a_speech_without_tasks_counts_two_parts(tmp_path):
    result = ok(draft(tmp_path, 任务=None))
    assert result.paragraphs[4][1].endswith("下面，我讲两点意见。")
    assert result.paragraphs[-4:] == [*SITUATION, CALL]


def test_situation_and_tasks_need_no_judgements_or_tasks(tmp_path):
    result = ok(draft(tmp_path, 形势=Whole({"概述": "统战工作面临新的形势"}), 任务=Whole({"概述": "今年要抓好两方面工作"})))
    assert result.paragraphs[-5:] == [SITUATION[0], SITUATION[1], TASKS[0], TASKS[1], CALL]


@pytest.mark.parametrize("part", ["形势", "任务"])
def test_an_empty_part_is_refused(tmp_path, part):
    result = draft(tmp_path, **{part: Whole({})})
    assert result.code == 1 and f"讲话.{part}: 至少应有 1 项" in result.output


def test_named_parts_keep_their_forms_when_a_part_is_left_out(tmp_path):
    result = ok(draft(tmp_path, 形势=None, forms={"任务": {"节": "一是 连写", "点": "无 连写 接上段"}}))
    assert result.paragraphs[-4:] == [("Heading1", "二、突出重点任务，推动各项工作落地见效"), TASKS[1],
                                      (None, "一是聚焦凝心铸魂。要加强思想引领。"), CALL]


def test_a_form_for_a_part_the_speech_does_not_have_is_refused(tmp_path):
    result = draft(tmp_path, 形势=None, forms={"形势": {"节": "一是 连写"}})
    assert result.code == 1 and "文稿里没有名为“形势”的部分" in result.output


# --------------------------------------------------------------------------- thanks and gaps


def test_the_thanks_phrases_replaced(tmp_path):
    result = ok(draft(tmp_path, 成绩={"致谢": {"前一句": "这些成绩凝聚着大家的心血。", "说法": "借此机会，我代表",
                                               "结语": "表示诚挚的谢意！"}}))
    assert (None, "这些成绩凝聚着大家的心血。借此机会，我代表县委，向全县统战干部表示诚挚的谢意！") in result.paragraphs


def test_the_thanks_preface_switched_off(tmp_path):
    result = ok(draft(tmp_path, 成绩={"致谢": {"前一句": "不写"}}))
    assert (None, "在此，我代表县委，向全县统战干部表示衷心的感谢！") in result.paragraphs


def test_no_thanks_no_gaps(tmp_path):
    result = ok(draft(tmp_path, 成绩={"致谢": None, "不足": None}))
    assert result.paragraphs[5:10] == [*MERITS, SITUATION[0]]


def test_the_gaps_phrases_replaced_and_switched_off(tmp_path):
    result = ok(draft(tmp_path, 成绩={"不足的说法": "同时也要看到，", "不足的结语": "不写"}))
    assert (None, "同时也要看到，乡镇统战力量偏弱。") in result.paragraphs
    result = ok(draft(tmp_path, 成绩={"不足的说法": "不写", "不足的结语": "这些问题要认真解决。"}))
    assert (None, "乡镇统战力量偏弱。这些问题要认真解决。") in result.paragraphs


# --------------------------------------------------------------------------- the end


def test_paragraphs_before_the_closing(tmp_path):
    result = ok(draft(tmp_path, 结尾段=["会后，各单位要及时传达会议精神。", "春节将至，要做好走访慰问工作"]))
    assert result.paragraphs[-4:] == [TASKS[-1], (None, "会后，各单位要及时传达会议精神。"),
                                      (None, "春节将至，要做好走访慰问工作。"), CALL]


def test_the_call_lead_replaced_and_switched_off(tmp_path):
    assert ok(draft(tmp_path, 号召的说法="同志们、朋友们，")).paragraphs[-1] == ("GwClosing", "同志们、朋友们，让我们团结奋进。")
    assert ok(draft(tmp_path, 号召的说法="不写")).paragraphs[-1] == ("GwClosing", "让我们团结奋进。")


def test_no_call(tmp_path):
    assert ok(draft(tmp_path, 号召=None)).paragraphs == DEFAULT[:-1]
    result = ok(draft(tmp_path, 号召=None, 结尾段=["散会。"]))
    assert result.paragraphs[-2:] == [TASKS[-1], (None, "散会。")]


def test_the_call_lead_without_a_call_is_reported(tmp_path):
    result = draft(tmp_path, 号召=None, 号召的说法="同志们、朋友们，")
    assert result.code == 1 and "讲话.号召的说法: 未使用" in result.output


# --------------------------------------------------------------------------- the list of phrases

PHRASES = {
    "讲话.标题末尾": "上的讲话",
    "讲话.讲话人.尊称": "同志",
    "讲话.称谓": "同志们：",
    "讲话.召开的说法": "今天，我们召开",
    "讲话.任务的说法": "主要任务是",
    "讲话.刚才的说法": "刚才，",
    "讲话.过渡语": "下面，我讲[]{.部分数}点意见。",
    "讲话.成绩.标题": "充分肯定成绩，坚定做好工作的信心决心",
    "讲话.成绩.致谢.前一句": "成绩来之不易。",
    "讲话.成绩.致谢.说法": "在此，我代表",
    "讲话.成绩.致谢.结语": "表示衷心的感谢！",
    "讲话.成绩.不足的说法": "在肯定成绩的同时，我们也要清醒看到，",
    "讲话.成绩.不足的结语": "对这些问题，必须高度重视，切实加以解决。",
    "讲话.形势.标题": "准确把握形势，切实增强做好工作的责任感使命感",
    "讲话.任务.标题": "突出重点任务，推动各项工作落地见效",
    "讲话.号召的说法": "同志们，",
}


def test_templates_show_lists_the_phrases_with_their_defaults():
    output = CliRunner().invoke(cli, ["templates", "show", "speech/leader"]).output
    lines = output.splitlines()
    start = next(n for n, line in enumerate(lines) if line.startswith("措辞（模板自己的话"))
    rows = {}
    for line in lines[start + 2:]:
        if not line.startswith("  "):
            break
        label, default = line.split()[:2]  # then 用在哪里
        rows[label] = default
    assert rows == PHRASES


def test_the_sample_sheet_keeps_every_default(tmp_path):
    """facts/2024.yaml writes none of the phrases: its 领导讲话 is framed as before."""
    out = tmp_path / "s.docx"
    result = CliRunner().invoke(cli, ["speech", "--style", "leader", str(ROOT / "facts" / "2024.yaml"), "-o", str(out),
                                      "--strict"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    xml = zipfile.ZipFile(out).read("word/document.xml").decode("utf-8")
    text = "".join(re.findall(r"<w:t(?:\s[^>]*)?>([^<]*)</w:t>", xml))
    for words in ("同志们：今天，我们召开", "，主要任务是", "刚才，", "下面，我讲三点意见。", "一、充分肯定成绩，坚定做好工作的信心决心",
                  "成绩来之不易。在此，我代表", "表示衷心的感谢！", "在肯定成绩的同时，我们也要清醒看到，",
                  "对这些问题，必须高度重视，切实加以解决。", "同志们，让我们"):
        assert words in text, words
