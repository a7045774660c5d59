"""Framing is data (issue 13) for the 年度工作总结 (report/summary) and the 经验交流材料 (report/experience).

Every phrase these two styles add to the facts is a named phrase (a schema field with ``phrase:``): the
sheet replaces it with its own words, printed verbatim, or switches it off with 不写; the phrases of a
title or a heading cannot be switched off and say so. Every element a real document can lack is optional
and falls back grammatically (no 【待补】): 评价, 指标, 荣誉, 存在问题, the plan's 思路 and 目标, the
experience's 导语 and 核心理念, an area's 概述. The sheet has places of its own: 基本情况, 定位, 时段,
开头 (written whole), 开展情况概述, 结尾段.

Each test drafts a variant of facts/2024.yaml in process with --strict (so every fact given is printed and
nothing is 待补) and reads the paragraphs of word/document.xml with their paragraph styles.
"""
from pathlib import Path
from typing import List, Optional, Tuple

import pytest
import yaml
from click.testing import CliRunner
from docx_reading import styled_paragraphs

from drafter.cli import cli

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "facts" / "2024.yaml"
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W}

Para = Tuple[Optional[str], str]  # (paragraph style id or None for body text, text)


# --------------------------------------------------------------------------- helpers


def sample() -> dict:
    return yaml.safe_load(SAMPLE.read_text(encoding="utf-8"))


DATA = sample()
UNIT, SPEECH, SUMMARY, PLAN, AREAS = DATA["单位"], DATA["汇报"], DATA["工作总结"], DATA["工作计划"], DATA["工作领域"]
MATERIAL = DATA["经验材料"]


def zh_join(items: List[str]) -> str:
    return items[0] if len(items) == 1 else "、".join(items[:-1]) + "和" + items[-1]


# the sample's summary opening, piece by piece, as the template composes it
GUIDANCE = zh_join(SPEECH["遵循"])
SLOGAN = f"{SPEECH['工作思路']}，{'，'.join(SPEECH['思路内容'])}"
OPENING_TAIL = f"全面贯彻落实{GUIDANCE}，围绕{SLOGAN}，{SPEECH['总体成效']}，{SUMMARY['评价']}。"
OPENING = f"2024年，{UNIT['简称']}{OPENING_TAIL}"
INDICATORS = "全年" + "，".join(i["事项"] + i["数值"] for i in SUMMARY["指标"]) + "。"
FIRST, SECOND = SUMMARY["荣誉"]
HONOURS = (f"工作成效得到上级肯定，{UNIT['简称']}被{FIRST['授予单位']}评为{FIRST['名称']}，"
           f"{SECOND['获评项目']}被{SECOND['授予单位']}评为{SECOND['名称']}。")
TRANSITION = "现将有关情况报告如下："
PROBLEMS_LEAD = "在肯定成绩的同时，我们也清醒地认识到，工作中还存在一些问题和不足："
PROBLEMS = "；".join(f"{n}是{p}" for n, p in zip("一二三", SUMMARY["存在问题"])) + "。"
PROBLEMS_AFTER = "对此，我们将在今后工作中认真研究解决。"
APPROACH = f"{PLAN['年度']}年，{UNIT['简称']}将{PLAN['思路']}。"
GOALS = "主要目标是：" + "；".join(PLAN["目标"]) + "。"
EXPERIENCE_OPENING = f"{UNIT['简称']}{MATERIAL['导语']}，{MATERIAL['核心理念']}。"
RESULTS = "；".join(MATERIAL["成效"]) + "。"
LESSONS = "；".join(MATERIAL["体会"]) + "。"


@pytest.fixture
def runner():
    try:
        return CliRunner(mix_stderr=False)  # click before 8.2 (Python 3.9) mixes them unless told
    except TypeError:
        return CliRunner()


@pytest.fixture
def draft(runner, tmp_path):
    """draft(data, style) → the paragraphs of the .docx drafted from ``data`` with --strict: every fact
    given is printed, nothing is 待补, and not a word of hint on stderr."""
    count = iter(range(1000))

    def run(data: dict, style: str = "summary", strict: bool = True) -> List[Para]:
        n = next(count)
        sheet = tmp_path / f"sheet{n}.yaml"
        sheet.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
        out = tmp_path / f"out{n}.docx"
        args = ["report", str(sheet), "--style", style, "-o", str(out)] + (["--strict"] if strict else [])
        result = runner.invoke(cli, args, catch_exceptions=False)
        assert result.exit_code == 0, result.output + (result.stderr if strict else "")
        if strict:
            assert result.stderr.strip() == "", result.stderr
        return read_paragraphs(out)

    return run


@pytest.fixture
def refuse(runner, tmp_path):
    """refuse(data, style) → the messages drafter gives when it refuses the sheet (exit code 1)."""
    def run(data: dict, style: str = "summary") -> str:
        sheet = tmp_path / "refused.yaml"
        sheet.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
        result = runner.invoke(cli, ["report", str(sheet), "--style", style, "-o", str(tmp_path / "x.docx")])
        assert result.exit_code == 1, result.output
        assert not (tmp_path / "x.docx").exists()
        return result.output + result.stderr

    return run


read_paragraphs = styled_paragraphs  # (pStyle or None, text) of every paragraph


def texts(paras: List[Para]) -> List[str]:
    return [text for _, text in paras]


def styled(paras: List[Para], style: str) -> List[str]:
    return [text for s, text in paras if s == style]


def headings(paras: List[Para], level: int = 1) -> List[str]:
    return styled(paras, f"Heading{level}")


def after(paras: List[Para], text: str, n: int = 1) -> List[Para]:
    """The n paragraphs after the one whose text is ``text``."""
    index = texts(paras).index(text)
    return paras[index + 1:index + 1 + n]


def summary_sheet(**changes) -> dict:
    """The sample with 工作总结 keys set (None deletes one)."""
    data = sample()
    for key, value in changes.items():
        if value is None:
            data["工作总结"].pop(key, None)
        else:
            data["工作总结"][key] = value
    return data


def experience_sheet(**changes) -> dict:
    data = sample()
    for key, value in changes.items():
        if value is None:
            data["经验材料"].pop(key, None)
        else:
            data["经验材料"][key] = value
    return data


def without_opening_facts(data: dict) -> dict:
    """No fact for the summary's structured opening paragraph (遵循, 工作思路, 思路内容, 总体成效, 评价)."""
    for key in ("遵循", "工作思路", "思路内容", "总体成效"):
        data["汇报"].pop(key, None)
    data["工作总结"].pop("评价", None)
    return data


# --------------------------------------------------------------------------- 年度工作总结: the defaults


def test_the_summary_prints_every_phrase_s_default(draft):
    paras = draft(sample())
    assert styled(paras, "GwTitle") == [f"{UNIT['全称']}2024年工作总结和{PLAN['年度']}年工作计划"]
    assert texts(paras)[1:3] == [OPENING, INDICATORS + HONOURS + TRANSITION]
    assert headings(paras) == ["一、2024年工作开展情况", "二、存在的问题和不足", f"三、{PLAN['年度']}年工作计划"]
    assert after(paras, "二、存在的问题和不足") == [(None, PROBLEMS_LEAD + PROBLEMS + PROBLEMS_AFTER)]
    assert after(paras, f"三、{PLAN['年度']}年工作计划") == [(None, APPROACH + GOALS)]


def test_templates_show_lists_the_summary_s_phrases_with_their_defaults(runner):
    result = runner.invoke(cli, ["templates", "show", "report/summary"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    start = next(n for n, line in enumerate(lines) if line.startswith("措辞"))
    rows = {}
    for line in lines[start + 2:]:
        if not line.startswith("  "):
            break
        name, default = line.split()[:2]  # then 用在哪里
        rows[name] = default
    assert rows == {
        "汇报.遵循的说法": "全面贯彻落实",
        "汇报.思路的说法": "围绕",
        "工作总结.名称": "工作总结",
        "工作总结.标题连词": "和",
        "工作总结.指标的说法": "全年",
        "工作总结.荣誉的说法": "工作成效得到上级肯定，",
        "工作总结.过渡语": TRANSITION,
        "工作总结.开展情况标题": "工作开展情况",
        "工作总结.问题标题": "存在的问题和不足",
        "工作总结.问题的说法": PROBLEMS_LEAD,
        "工作总结.问题之后": PROBLEMS_AFTER,
        "工作计划.名称": "工作计划",
        "工作计划.目标的说法": "主要目标是：",
    }
    # the places and optional elements are listed with the facts read
    for name in ("工作总结.标题", "工作总结.基本情况", "工作总结.定位", "工作总结.开头", "工作总结.时段",
                 "工作总结.开展情况概述", "工作总结.结尾段"):
        assert any(line.split()[:1] == [name] and "可选" in line.split() for line in lines), name


# --------------------------------------------------------------------------- 年度工作总结: the title


def test_a_title_written_whole_is_printed_as_written_without_the_unit(draft):
    data = summary_sheet(标题="2024年统战工作总结", 成文日期=None)  # no 落款 either: the full name is nowhere
    paras = draft(data)
    assert styled(paras, "GwTitle") == ["2024年统战工作总结"]
    assert UNIT["全称"] not in "".join(texts(paras))
    assert headings(paras)[2] == f"三、{PLAN['年度']}年工作计划"  # the plan part keeps its own heading


def test_the_title_s_name_conjunction_and_plan_word_are_phrases(draft):
    data = summary_sheet(名称="统战工作总结", 标题连词="及")
    data["工作计划"]["名称"] = "工作思路"
    paras = draft(data)
    assert styled(paras, "GwTitle") == [f"{UNIT['全称']}2024年统战工作总结及{PLAN['年度']}年工作思路"]
    assert headings(paras)[2] == f"三、{PLAN['年度']}年工作思路"  # one plan word, title and heading alike


def test_without_a_plan_the_title_ends_at_the_summary_s_name(draft):
    data = summary_sheet(名称="统战工作总结", 标题连词="及")
    del data["工作计划"]
    data["工作总结"].pop("标题连词")  # it would be a fact printed nowhere
    paras = draft(data)
    assert styled(paras, "GwTitle") == [f"{UNIT['全称']}2024年统战工作总结"]
    assert len(headings(paras)) == 2


@pytest.mark.parametrize("section, key", [
    ("工作总结", "名称"), ("工作总结", "标题连词"), ("工作总结", "开展情况标题"), ("工作总结", "问题标题"),
    ("工作计划", "名称"),
])
def test_a_title_or_heading_phrase_cannot_be_switched_off(refuse, section, key):
    data = sample()
    data[section][key] = "不写"
    message = refuse(data)
    assert f"{section}.{key}: " in message and "不能不写" in message and "实际是“不写”" in message


# --------------------------------------------------------------------------- 年度工作总结: the preface


def test_basic_situation_paragraphs_come_first_each_its_own(draft):
    lines = ["区委统战部内设3个科室，在编干部14名。", "全区有各类统战成员1.6万余名"]
    paras = draft(summary_sheet(基本情况=lines))
    assert texts(paras)[1:4] == [lines[0], lines[1] + "。", OPENING]


def test_the_positioning_sentence_opens_the_opening_paragraph(draft):
    positioning = "2024年是实现“十四五”规划目标任务的关键一年"
    paras = draft(summary_sheet(定位=positioning))
    assert texts(paras)[1] == f"{positioning}。{OPENING}"


def test_a_time_adverbial_replaces_the_year(draft):
    paras = draft(summary_sheet(时段="一年来"))
    assert texts(paras)[1] == f"一年来，{UNIT['简称']}{OPENING_TAIL}"


def test_the_time_adverbial_cannot_be_switched_off(refuse):
    message = refuse(summary_sheet(时段="不写"))
    assert "工作总结.时段: “时段”不能写“不写”：它不是措辞，不要它就整行删掉" in message


def test_an_opening_written_whole_replaces_the_composed_one(draft):
    opening = "一年来，区委统战部在区委的坚强领导下，推动全区统战工作提质增效"
    data = without_opening_facts(summary_sheet(开头=opening))
    paras = draft(data)
    assert texts(paras)[1:3] == [opening + "。", INDICATORS + HONOURS + TRANSITION]


def test_the_opening_uses_the_speech_s_own_verbs_same_words_as_the_speech(draft, runner, tmp_path):
    data = sample()
    data["汇报"].update({"遵循的说法": "始终坚持以", "遵循之后": "为指导", "思路的说法": "以", "思路之后": "为抓手"})
    paras = draft(data)
    words = f"始终坚持以{GUIDANCE}为指导，以{SPEECH['工作思路']}为抓手，{'，'.join(SPEECH['思路内容'])}，"
    assert texts(paras)[1] == f"2024年，{UNIT['简称']}{words}{SPEECH['总体成效']}，{SUMMARY['评价']}。"
    sheet = tmp_path / "speech.yaml"
    sheet.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    speech = runner.invoke(cli, ["speech", str(sheet), "--format", "txt", "-o", "-"]).stdout
    assert words in speech  # the 汇报发言 prints the same facts in the same words


def test_the_guidance_verb_switched_off(draft):
    data = sample()
    data["汇报"]["遵循的说法"] = "不写"
    paras = draft(data)
    assert texts(paras)[1].startswith(f"2024年，{UNIT['简称']}{SPEECH['遵循'][0]}")


def test_without_an_evaluation_the_opening_ends_at_the_overall_effect(draft):
    paras = draft(summary_sheet(评价=None))
    assert texts(paras)[1] == f"2024年，{UNIT['简称']}全面贯彻落实{GUIDANCE}，围绕{SLOGAN}，{SPEECH['总体成效']}。"


def test_an_evaluation_alone_makes_the_opening(draft):
    data = sample()
    for key in ("遵循", "工作思路", "思路内容", "总体成效"):
        del data["汇报"][key]
    paras = draft(data)
    assert texts(paras)[1] == f"2024年，{UNIT['简称']}{SUMMARY['评价']}。"


def test_without_opening_facts_the_preface_starts_with_the_indicators(draft):
    paras = draft(without_opening_facts(sample()))
    assert texts(paras)[1] == INDICATORS + HONOURS + TRANSITION
    assert paras[2] == ("Heading1", "一、2024年工作开展情况")


def test_without_indicators_the_honours_follow_the_opening(draft):
    paras = draft(summary_sheet(指标=None))
    assert texts(paras)[1:3] == [OPENING, HONOURS + TRANSITION]
    assert "全年" not in texts(paras)[2]


def test_without_indicators_and_honours_the_transition_ends_the_opening(draft):
    paras = draft(summary_sheet(指标=None, 荣誉=None))
    assert texts(paras)[1] == OPENING + TRANSITION
    assert paras[2] == ("Heading1", "一、2024年工作开展情况")


@pytest.mark.parametrize("key, words, old", [
    ("指标的说法", "全年共", "全年"),
    ("荣誉的说法", "先后", "工作成效得到上级肯定，"),
    ("过渡语", "现将主要工作总结如下：", TRANSITION),
])
def test_a_preface_phrase_replaced(draft, key, words, old):
    paras = draft(summary_sheet(**{key: words}))
    assert texts(paras)[2] == (INDICATORS + HONOURS + TRANSITION).replace(old, words, 1)


@pytest.mark.parametrize("key, old", [
    ("指标的说法", "全年"),
    ("荣誉的说法", "工作成效得到上级肯定，"),
    ("过渡语", TRANSITION),
])
def test_a_preface_phrase_switched_off(draft, key, old):
    paras = draft(summary_sheet(**{key: "不写"}))
    assert texts(paras)[2] == (INDICATORS + HONOURS + TRANSITION).replace(old, "", 1)


def test_an_empty_preface_starts_the_document_at_part_one(draft):
    data = without_opening_facts(summary_sheet(指标=None, 荣誉=None, 过渡语="不写"))
    paras = draft(data)
    assert paras[0][0] == "GwTitle"
    assert paras[1] == ("Heading1", "一、2024年工作开展情况")


# --------------------------------------------------------------------------- 年度工作总结: the parts


def test_part_one_s_heading_is_a_phrase_after_the_year(draft):
    paras = draft(summary_sheet(开展情况标题="工作回顾"))
    assert headings(paras)[0] == "一、2024年工作回顾"


def test_part_one_takes_paragraphs_of_its_own_before_the_areas(draft):
    lines = ["一年来，全区统一战线凝心聚力、担当作为。", "各项工作取得新成效"]
    paras = draft(summary_sheet(开展情况概述=lines))
    assert after(paras, "一、2024年工作开展情况", 3) == [
        (None, lines[0]), (None, lines[1] + "。"), ("Heading2", f"（一）{AREAS[0]['排比标题']}，{AREAS[0]['标题展开']}")]


def test_without_problems_there_is_no_problems_part(draft):
    paras = draft(summary_sheet(存在问题=None))
    assert headings(paras) == ["一、2024年工作开展情况", f"二、{PLAN['年度']}年工作计划"]
    assert not any(PROBLEMS_LEAD in text or PROBLEMS_AFTER in text for text in texts(paras))


def test_the_problems_heading_lead_in_and_lead_out_replaced(draft):
    paras = draft(summary_sheet(问题标题="存在的问题", 问题的说法="工作中还存在一些短板：",
                                问题之后="这些问题，我们将切实加以解决。"))
    assert headings(paras)[1] == "二、存在的问题"
    assert after(paras, "二、存在的问题") == [(None, f"工作中还存在一些短板：{PROBLEMS}这些问题，我们将切实加以解决。")]


def test_the_problems_lead_in_and_lead_out_switched_off(draft):
    paras = draft(summary_sheet(问题的说法="不写", 问题之后="不写"))
    assert after(paras, "二、存在的问题和不足") == [(None, PROBLEMS)]


def test_the_problems_part_keeps_its_form_name_without_a_lead_in(draft):
    data = summary_sheet(问题的说法="不写")
    data["形式"] = {"年度工作总结": {"问题": {"节": "一是 连写 分段"}}}
    paras = draft(data)
    problems = SUMMARY["存在问题"]
    assert after(paras, "二、存在的问题和不足", 3) == [
        (None, f"一是{problems[0]}。"), (None, f"二是{problems[1]}。"), (None, f"三是{problems[2]}。{PROBLEMS_AFTER}")]


def test_the_plan_without_approach_goes_to_its_goals(draft):
    data = sample()
    del data["工作计划"]["思路"]
    paras = draft(data)
    assert after(paras, f"三、{PLAN['年度']}年工作计划") == [(None, GOALS)]


def test_the_plan_without_goals_ends_its_first_paragraph_at_the_approach(draft):
    data = sample()
    del data["工作计划"]["目标"]
    paras = draft(data)
    assert after(paras, f"三、{PLAN['年度']}年工作计划") == [(None, APPROACH)]


@pytest.mark.parametrize("words, lead", [("力争实现以下目标：", "力争实现以下目标："), ("不写", "")])
def test_the_goals_lead_replaced_or_switched_off(draft, words, lead):
    data = sample()
    data["工作计划"]["目标的说法"] = words
    paras = draft(data)
    assert after(paras, f"三、{PLAN['年度']}年工作计划") == [(None, APPROACH + GOALS.replace("主要目标是：", lead))]


def test_a_plan_of_tasks_alone_goes_straight_to_them(draft):
    data = sample()
    del data["工作计划"]["思路"], data["工作计划"]["目标"]
    paras = draft(data)
    task = PLAN["任务"][0]
    assert after(paras, f"三、{PLAN['年度']}年工作计划") == [(None, f"（一）{task['领句']}。{task['内容']}")]


def test_a_plan_with_nothing_in_it_asks_for_its_tasks(draft):
    data = sample()
    data["工作计划"] = {"年度": PLAN["年度"]}
    paras = draft(data, strict=False)
    assert after(paras, f"三、{PLAN['年度']}年工作计划") == [(None, "【待补：任务】")]


def test_closing_paragraphs_come_before_the_signature(draft):
    lines = ["新的一年，我们将以更加饱满的精神状态推动工作", "再上新台阶。"]
    paras = draft(summary_sheet(结尾段=lines))
    assert paras[-4:] == [(None, lines[0] + "。"), (None, lines[1]),
                          ("GwSignature", UNIT["全称"]), ("GwSignedDate", "2024年12月25日")]


def test_without_signature_facts_the_closing_paragraphs_end_the_document(draft):
    paras = draft(summary_sheet(结尾段="再上新台阶", 成文日期=None))
    assert paras[-1] == (None, "再上新台阶。")
    task = PLAN["任务"][-1]
    assert paras[-2] == (None, f"（四）{task['领句']}。{task['内容']}")  # its own paragraph, not the task's


def test_an_area_without_its_summary_prints_its_effect_or_goes_to_its_points(draft):
    data = sample()
    del data["工作领域"][0]["概述"]
    del data["工作领域"][1]["概述"], data["工作领域"][1]["成效"]
    paras = draft(data)
    first = f"（一）{AREAS[0]['排比标题']}，{AREAS[0]['标题展开']}"
    assert after(paras, first) == [(None, AREAS[0]["成效"] + "。")]
    second = f"（二）{AREAS[1]['排比标题']}，{AREAS[1]['标题展开']}"
    point = AREAS[1]["要点"][0]
    assert after(paras, second) == [(None, f"1.{point['领句']}。{point['内容']}")]


def test_nothing_optional_gives_a_placeholder_in_a_bare_summary(draft):
    """Only what the genre cannot exist without: the year, the unit and the work areas."""
    data = {"年度": 2024, "单位": {"全称": UNIT["全称"], "简称": UNIT["简称"]},
            "工作领域": [{"排比标题": "织密网络", "要点": [{"内容": "区委常委会5次专题研究统战工作。"}]},
                         {"排比标题": "织牢制度", "成效": "使全区统战工作“结更牢”"}]}
    paras = draft(data)
    assert paras == [("GwTitle", f"{UNIT['全称']}2024年工作总结"), (None, TRANSITION),
                     ("Heading1", "一、2024年工作开展情况"),
                     ("Heading2", "（一）织密网络"), (None, "1.区委常委会5次专题研究统战工作。"),
                     ("Heading2", "（二）织牢制度"), (None, "使全区统战工作“结更牢”。")]


# --------------------------------------------------------------------------- 经验交流材料


def test_the_experience_prints_every_phrase_s_default(draft):
    paras = draft(sample(), "experience")
    assert paras[:4] == [("GwTitle", MATERIAL["标题"]), ("GwSubtitle", "——" + MATERIAL["副题"]),
                         ("GwByline", UNIT["全称"]), (None, EXPERIENCE_OPENING)]
    assert headings(paras)[-2:] == ["五、取得的成效", "六、几点体会"]
    assert after(paras, "五、取得的成效") == [(None, "经过探索实践，" + RESULTS)]
    assert paras[-1] == (None, "实践中，我们深刻体会到：" + LESSONS)


def test_templates_show_lists_the_experience_s_phrases(runner):
    output = runner.invoke(cli, ["templates", "show", "report/experience"]).output
    phrases = output[output.index("措辞"):output.index("字段定义：")]
    for name, default in (("经验材料.署名", "（缺省是事实表里的事实）"), ("经验材料.成效标题", "取得的成效"),
                          ("经验材料.成效的说法", "经过探索实践，"), ("经验材料.体会标题", "几点体会"),
                          ("经验材料.体会的说法", "实践中，我们深刻体会到：")):
        assert any(line.split()[:2] == [name, default] for line in phrases.splitlines()), name


def test_the_byline_switched_off(draft):
    paras = draft(experience_sheet(署名="不写"), "experience")
    assert not styled(paras, "GwByline")
    assert paras[:3] == [("GwTitle", MATERIAL["标题"]), ("GwSubtitle", "——" + MATERIAL["副题"]),
                         (None, EXPERIENCE_OPENING)]


def test_the_byline_written_by_the_sheet(draft):
    paras = draft(experience_sheet(署名="青禾区委统战部"), "experience")
    assert styled(paras, "GwByline") == ["青禾区委统战部"]


def test_without_subtitle_or_byline_the_title_stands_alone(draft):
    paras = draft(experience_sheet(副题=None, 署名="不写"), "experience")
    assert paras[:2] == [("GwTitle", MATERIAL["标题"]), (None, EXPERIENCE_OPENING)]


def test_a_time_adverbial_comes_before_the_unit(draft):
    paras = draft(experience_sheet(时段="近年来"), "experience")
    assert paras[3] == (None, "近年来，" + EXPERIENCE_OPENING)


def test_an_experience_opening_written_whole(draft):
    opening = "近年来，区委统战部坚持党建引领，探索出一条基层统战工作的新路径"
    paras = draft(experience_sheet(开头=opening, 导语=None, 核心理念=None), "experience")
    assert paras[3] == (None, opening + "。")


def test_without_the_intro_the_core_idea_follows_the_unit(draft):
    paras = draft(experience_sheet(导语=None), "experience")
    assert paras[3] == (None, f"{UNIT['简称']}{MATERIAL['核心理念']}。")


def test_without_the_core_idea_the_opening_ends_at_the_intro(draft):
    paras = draft(experience_sheet(核心理念=None), "experience")
    assert paras[3] == (None, f"{UNIT['简称']}{MATERIAL['导语']}。")


def test_without_an_opening_the_material_starts_at_its_first_part(draft):
    paras = draft(experience_sheet(导语=None, 核心理念=None), "experience")
    assert paras[3] == ("Heading1", f"一、{AREAS[0]['排比标题']}，{AREAS[0]['标题展开']}")


def test_experience_basic_situation_comes_before_the_opening(draft):
    lines = ["青禾区辖9个街道（镇）、112个村（社区）", "各类统战成员1.6万余名。"]
    paras = draft(experience_sheet(基本情况=lines), "experience")
    assert paras[3:6] == [(None, lines[0] + "。"), (None, lines[1]), (None, EXPERIENCE_OPENING)]


@pytest.mark.parametrize("key, words", [("成效标题", "主要成效"), ("体会标题", "几点启示")])
def test_a_closing_part_s_heading_replaced(draft, key, words):
    paras = draft(experience_sheet(**{key: words}), "experience")
    expected = ["五、主要成效", "六、几点体会"] if key == "成效标题" else ["五、取得的成效", "六、几点启示"]
    assert headings(paras)[-2:] == expected


def test_the_results_heading_switched_off_leaves_a_paragraph_after_the_parts(draft):
    paras = draft(experience_sheet(成效标题="不写"), "experience")
    assert headings(paras)[-1] == "五、几点体会"
    last_point = AREAS[-1]["要点"][-1]
    assert after(paras, f"三是{last_point['领句']}。{last_point['内容']}") == [(None, "经过探索实践，" + RESULTS)]


def test_the_lessons_heading_switched_off_leaves_a_last_paragraph(draft):
    paras = draft(experience_sheet(体会标题="不写"), "experience")
    assert headings(paras)[-1] == "五、取得的成效"
    assert paras[-2:] == [(None, "经过探索实践，" + RESULTS), (None, "实践中，我们深刻体会到：" + LESSONS)]


@pytest.mark.parametrize("key, words, default", [
    ("成效的说法", "通过以上举措，", "经过探索实践，"),
    ("成效的说法", "不写", "经过探索实践，"),
    ("体会的说法", "回顾这些年的探索，我们有以下几点体会：", "实践中，我们深刻体会到："),
    ("体会的说法", "不写", "实践中，我们深刻体会到："),
])
def test_a_closing_part_s_lead_replaced_or_switched_off(draft, key, words, default):
    paras = draft(experience_sheet(**{key: words}), "experience")
    words = "" if words == "不写" else words
    if key == "成效的说法":
        assert after(paras, "五、取得的成效") == [(None, words + RESULTS)]
    else:
        assert paras[-1] == (None, words + LESSONS)


def test_experience_closing_paragraphs_end_the_document(draft):
    lines = ["下一步，我们将持续深化“同心网”建设", "推动基层统战工作再上新台阶。"]
    paras = draft(experience_sheet(结尾段=lines), "experience")
    assert paras[-3:] == [(None, "实践中，我们深刻体会到：" + LESSONS), (None, lines[0] + "。"), (None, lines[1])]


def test_experience_area_without_summary(draft):
    data = sample()
    del data["工作领域"][0]["概述"]
    del data["工作领域"][1]["概述"], data["工作领域"][1]["成效"]
    paras = draft(data, "experience")
    assert after(paras, f"一、{AREAS[0]['排比标题']}，{AREAS[0]['标题展开']}") == [(None, AREAS[0]["成效"] + "。")]
    point = AREAS[1]["要点"][0]
    assert after(paras, f"二、{AREAS[1]['排比标题']}，{AREAS[1]['标题展开']}") == [
        (None, f"一是{point['领句']}。{point['内容']}")]


def test_a_bare_experience_material_needs_only_its_title_and_areas(draft):
    data = {"年度": 2024, "单位": {"全称": UNIT["全称"], "简称": UNIT["简称"]},
            "工作领域": [{"排比标题": "织密网络", "要点": [{"内容": "区委常委会5次专题研究统战工作。"}]},
                         {"排比标题": "织牢制度", "成效": "使全区统战工作“结更牢”"}],
            "经验材料": {"标题": "织密基层统战“同心网”", "署名": "不写"}}
    paras = draft(data, "experience")
    assert paras == [("GwTitle", "织密基层统战“同心网”"),
                     ("Heading1", "一、织密网络"), (None, "一是区委常委会5次专题研究统战工作。"),
                     ("Heading1", "二、织牢制度"), (None, "使全区统战工作“结更牢”。")]
