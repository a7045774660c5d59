"""Framing is data (issue 13) for the news releases (会议、培训、活动), the 工作综述 and the 主持词:
every phrase the templates add is named, can be replaced from the sheet (printed verbatim, accounted
like a fact: every draft here runs with --strict) or switched off with 不写; the writer chooses the
order of a news lead (active or passive, where the host goes, 出席 in one sentence or several, where
the attendees and the purpose go, where the byline goes, whether the date carries its year); the
optional elements (headline, 参加人数, a leader's own speech verb, the 主持词's title, date line,
会风提醒, the feature's 开篇) print when given and leave no filler when not.
Each case drafts a small invented sheet and reads the .docx text.
"""
import zipfile
from pathlib import Path
from typing import List, Tuple

import pytest
import yaml
from click.testing import CliRunner
from docx_reading import styled_paragraphs

from drafter.cli import cli

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"

SHEET = """\
年度: 2025
单位: {全称: 中共松川县委统战部, 简称: 县委统战部, 地区: 松川县}
活动:
  - 编号: hy
    类型: 会议
    名称: 全县统战工作会议
    日期: 2025-03-20
    时段: 上午
    地点: 县委礼堂
    主体: 松川县
    主要任务: 总结去年全县统战工作，部署今年重点任务
    主持: {职务: 县委副书记, 姓名: 林知远}
    出席领导:
      - {职务: 县委书记, 姓名: 邵启东, 方式: 出席会议并讲话, 讲话要点: [要凝聚共识, 要服务发展]}
      - {职务: 县委常委、统战部部长, 姓名: 贺明远, 方式: 作工作报告}
      - {职务: 县人大常委会主任, 姓名: 冯一鸣}
    参加: [各乡镇党委书记, 县直有关部门负责同志]
    传达: 全省统战部长会议精神
    听取: 县工商联工作汇报
    强调: 要坚持大统战工作格局
    指出: 过去一年成绩来之不易
    要求: 各级要抓好落实
    表彰: [{类别: 统战工作先进集体, 数量: 8个}]
    签订责任书: {签订方: 县委与各乡镇党委, 名称: 《目标责任书》}
    交流发言: [青石镇党委, 县工商联]
    新闻稿: {电头: 松川讯, 通讯员: 易晨}
    议程:
      - {发言人: {职务: 县委常委、统战部部长, 姓名: 贺明远}, 事项: 作工作报告}
      - {发言单位: [青石镇党委, 县工商联], 事项: 作交流发言}
      - {发言人: {职务: 县委书记, 姓名: 邵启东}, 事项: 讲话}
  - 编号: px
    类型: 培训
    名称: 全县统战干部培训班
    日期: 2025-06-10
    结束日期: 2025-06-12
    地点: 县委党校
    主办: 县委统战部
    主持: {职务: 县委统战部副部长, 姓名: 唐亦舟}
    出席领导:
      - {职务: 县委常委、统战部部长, 姓名: 贺明远, 方式: 作开班动员讲话, 讲话要点: [要学以致用]}
      - {职务: 县委组织部副部长, 姓名: 柯文澜}
    参加: [各乡镇统战委员]
    参训对象: 全县统战干部
    参训人数: 60名
    内容: [统战理论, 现场教学]
  - 编号: dy
    类型: 调研
    名称: 座谈会
    日期: 2025-09-05
    带队: [{职务: 县委书记, 姓名: 邵启东, 讲话要点: [要建好用好阵地]}]
    地点: 青石镇
    事项: 调研统战实践阵地建设
    主持: {职务: 青石镇党委书记, 姓名: 钟晚晴}
    陪同: 县委统战部部长贺明远
    行程: [青石镇同心驿站, 青石茶业公司]
    察看: 察看阵地运行情况
    参加: [镇村干部]
汇报:
  时段: 今年以来
  遵循: [党的二十大精神]
  工作思路: “同心松川”
  思路内容: [建强阵地, 建好队伍]
  总体成效: 统战工作取得新成效
工作领域:
  - 排比标题: 建强阵地
    概述: 新建同心驿站8个
  - 排比标题: 建好队伍
    概述: 培训统战干部96人次
下一步:
  - 内容: 新建同心驿站5个。
"""
EVENTS = {"hy": 0, "px": 1, "dy": 2}

MEETING_LEAD = ("松川讯（通讯员 易晨）3月20日上午，松川县在县委礼堂召开全县统战工作会议。"
                "会议的主要任务是总结去年全县统战工作，部署今年重点任务。会议由县委副书记林知远主持。")
MEETING_LEADERS = ("县委书记邵启东出席会议并讲话，县委常委、统战部部长贺明远作工作报告，县人大常委会主任冯一鸣出席会议。"
                   "各乡镇党委书记和县直有关部门负责同志参加会议。")
MEETING = [
    "松川县召开全县统战工作会议", MEETING_LEAD, MEETING_LEADERS,
    "会议传达学习了全省统战部长会议精神。", "会议听取了县工商联工作汇报。", "会议强调，要坚持大统战工作格局。",
    "会议指出，过去一年成绩来之不易。", "会议要求，各级要抓好落实。", "邵启东在讲话中强调，要凝聚共识；要服务发展。",
    "会议还表彰了统战工作先进集体8个。", "会上，县委与各乡镇党委签订了《目标责任书》。青石镇党委和县工商联作了交流发言。"]
TRAINING = [
    "县委统战部举办全县统战干部培训班",
    "6月10日至12日，县委统战部在县委党校举办全县统战干部培训班。参训人员为全县统战干部，共60名。",
    "开班式由县委统战部副部长唐亦舟主持。县委常委、统战部部长贺明远作开班动员讲话，县委组织部副部长柯文澜出席开班式。"
    "各乡镇统战委员参加开班式。",
    "贺明远在讲话中强调，要学以致用。", "培训内容包括统战理论和现场教学。"]
ACTIVITY = [
    "邵启东到青石镇调研统战实践阵地建设",
    "9月5日，县委书记邵启东到青石镇调研统战实践阵地建设。座谈会由青石镇党委书记钟晚晴主持。县委统战部部长贺明远陪同。",
    "邵启东一行先后来到青石镇同心驿站和青石茶业公司，察看阵地运行情况。镇村干部参加活动。",
    "邵启东强调，要建好用好阵地。"]
HOST = [
    "全县统战工作会议主持词", "县委副书记 林知远", "（2025年3月20日）", "同志们：", "现在开会。",
    "今天，我们召开全县统战工作会议。这次会议的主要任务是总结去年全县统战工作，部署今年重点任务。",
    "出席今天会议的领导有：县委书记邵启东同志，县委常委、统战部部长贺明远同志，县人大常委会主任冯一鸣同志。"
    "参加今天会议的有：各乡镇党委书记和县直有关部门负责同志。",
    "会议共有三项议程。",
    "会议进行第一项议程，请县委常委、统战部部长贺明远同志作工作报告。",
    "下面，进行第二项议程，请青石镇党委和县工商联依次作交流发言。",
    "最后，进行第三项议程，请县委书记邵启东同志讲话。",
    "同志们，今天会议的各项议程已经全部完成。会后，各级要抓好落实。", "现在散会。"]
FEATURE_LEAD = ("今年以来，松川县全面贯彻落实党的二十大精神，围绕“同心松川”，建强阵地，建好队伍，统战工作取得新成效。")


def sheet() -> dict:
    return yaml.safe_load(SHEET)


def event(data: dict, name: str) -> dict:
    return data["活动"][EVENTS[name]]


def draft(tmp_path: Path, data: dict, *args: str, strict: bool = True) -> Tuple[int, str, List[tuple]]:
    """(exit code, everything printed, [(paragraph style, text)]) of the command on the sheet."""
    path = tmp_path / "s.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    out = tmp_path / "out.docx"
    command = list(args[:1]) + [str(path)] + list(args[1:])
    result = CliRunner().invoke(cli, command + ["-o", str(out), "--force"] + (["--strict"] if strict else []))
    paragraphs = styled_paragraphs(out) if result.exit_code == 0 else []
    return result.exit_code, result.output, paragraphs


def news(tmp_path: Path, data: dict, name: str, **kwargs) -> List[str]:
    code, output, paragraphs = draft(tmp_path, data, "news", "--event", name, **kwargs)
    assert code == 0, output
    assert "待补" not in "".join(text for _, text in paragraphs)
    return [text for _, text in paragraphs]


def host(tmp_path: Path, data: dict) -> List[tuple]:
    code, output, paragraphs = draft(tmp_path, data, "speech", "--style", "host", "--event", "hy")
    assert code == 0, output
    return paragraphs


def released(name: str, **fields) -> dict:
    """The sample sheet with these fields added to the event's 新闻稿."""
    data = sheet()
    event(data, name).setdefault("新闻稿", {}).update(fields)
    return data


def scripted(**fields) -> dict:
    """The sample sheet with the meeting's 主持词 section."""
    data = sheet()
    event(data, "hy")["主持词"] = fields
    return data


# --------------------------------------------------------------------------- the defaults


def test_the_defaults(tmp_path):
    assert news(tmp_path, sheet(), "hy") == MEETING
    assert news(tmp_path, sheet(), "px") == TRAINING
    assert news(tmp_path, sheet(), "dy") == ACTIVITY
    assert [text for _, text in host(tmp_path, sheet())] == HOST


# --------------------------------------------------------------------------- meeting: phrases

# (新闻稿 field, its own words, the sentence it changes as drafted with them, the default words it replaces)
MEETING_PHRASES = [
    ("召开的说法", "举行", "松川讯（通讯员 易晨）3月20日上午，松川县在县委礼堂举行全县统战工作会议。", "召开"),
    ("任务的说法", "会议", "会议总结去年全县统战工作，部署今年重点任务。", "会议的主要任务是"),
    ("主持句的开头", "大会由", "大会由县委副书记林知远主持。", "会议由"),
    ("主持的说法", "主持并讲话", "会议由县委副书记林知远主持并讲话。", "林知远主持。"),
    ("出席的说法", "出席", "县人大常委会主任冯一鸣出席。", "冯一鸣出席会议"),
    ("参加的说法", "参加了会议", "各乡镇党委书记和县直有关部门负责同志参加了会议。", "负责同志参加会议"),
    ("传达的说法", "会议传达了", "会议传达了全省统战部长会议精神。", "会议传达学习了"),
    ("听取的说法", "会上听取了", "会上听取了县工商联工作汇报。", "会议听取了"),
    ("强调的说法", "会议认为", "会议认为，要坚持大统战工作格局。", "会议强调"),
    ("指出的说法", "与会同志一致认为", "与会同志一致认为，过去一年成绩来之不易。", "会议指出"),
    ("要求的说法", "会议号召", "会议号召，各级要抓好落实。", "会议要求"),
    ("表彰的说法", "会上宣读了表彰决定，表彰了", "会上宣读了表彰决定，表彰了统战工作先进集体8个。", "会议还表彰了"),
    ("签订的开头", "会议期间", "会议期间，县委与各乡镇党委签订了《目标责任书》。", "会上，"),
    ("签订的说法", "现场签订了", "县委与各乡镇党委现场签订了《目标责任书》。", "党委签订了"),
    ("交流发言的说法", "作典型发言", "青石镇党委和县工商联作典型发言。", "作了交流发言"),
]


@pytest.mark.parametrize("field, words, sentence, default", MEETING_PHRASES, ids=[p[0] for p in MEETING_PHRASES])
def test_meeting_phrases_are_replaced_verbatim(tmp_path, field, words, sentence, default):
    text = "\n".join(news(tmp_path, released("hy", **{field: words}), "hy"))
    assert sentence in text
    assert default not in text


def test_the_host_after_the_speaker_has_its_own_words(tmp_path):
    text = news(tmp_path, released("hy", 主持的位置="讲话人之后", 主持会议的说法="主持会议并作总结"), "hy")
    assert "县委书记邵启东出席会议并讲话，县委副书记林知远主持会议并作总结，县委常委" in text[2]


# (新闻稿 field, the paragraph it is in, that paragraph as drafted with the phrase switched off)
MEETING_OFF = [
    ("任务的说法", 1, MEETING_LEAD.replace("会议的主要任务是", "")),
    ("主持句的开头", 1, MEETING_LEAD.replace("会议由县委", "县委")),
    ("参加的说法", 2, MEETING_LEADERS.replace("参加会议。", "。")),
    ("传达的说法", 3, "全省统战部长会议精神。"),
    ("听取的说法", 4, "县工商联工作汇报。"),
    ("强调的说法", 5, "要坚持大统战工作格局。"),
    ("指出的说法", 6, "过去一年成绩来之不易。"),
    ("要求的说法", 7, "各级要抓好落实。"),
    ("表彰的说法", 9, "统战工作先进集体8个。"),
    ("签订的开头", 10, "县委与各乡镇党委签订了《目标责任书》。青石镇党委和县工商联作了交流发言。"),
]


@pytest.mark.parametrize("off", ["不写", ""])
@pytest.mark.parametrize("field, index, paragraph", MEETING_OFF, ids=[p[0] for p in MEETING_OFF])
def test_meeting_phrases_switch_off(tmp_path, field, index, paragraph, off):
    expected = list(MEETING)
    expected[index] = paragraph
    assert news(tmp_path, released("hy", **{field: off}), "hy") == expected  # --strict: 不写 is no unused fact


# Verbs switched off: the sheet asked for nothing there, so nothing is printed (a sheet that wants another
# verb writes it instead). (event, extra 新闻稿 fields, field, the words as drafted without it)
VERBS_OFF = [
    ("hy", {}, "召开的说法", "松川县在县委礼堂全县统战工作会议。"),
    ("hy", {}, "主持的说法", "会议由县委副书记林知远。"),
    ("hy", {"主持的位置": "讲话人之后"}, "主持会议的说法", "出席会议并讲话，县委副书记林知远，县委常委"),
    ("hy", {}, "出席的说法", "县人大常委会主任冯一鸣。"),
    ("hy", {}, "签订的说法", "县委与各乡镇党委《目标责任书》。"),
    ("hy", {}, "交流发言的说法", "青石镇党委和县工商联。"),
    ("px", {}, "举办的说法", "县委统战部在县委党校全县统战干部培训班。"),
    ("px", {}, "参训人数的说法", "参训人员为全县统战干部，60名。"),
    ("px", {}, "主持的说法", "开班式由县委统战部副部长唐亦舟。"),
    ("px", {"主持的位置": "讲话人之后"}, "主持会议的说法", "作开班动员讲话，县委统战部副部长唐亦舟，县委组织部"),
    ("px", {}, "出席的说法", "县委组织部副部长柯文澜。"),
    ("dy", {}, "主持的说法", "座谈会由青石镇党委书记钟晚晴。"),
    ("dy", {}, "陪同的说法", "县委统战部部长贺明远。"),
    ("dy", {}, "来到的说法", "邵启东一行先后青石镇同心驿站"),
]


@pytest.mark.parametrize("name, extra, field, words", VERBS_OFF, ids=[f"{p[0]}-{p[2]}" for p in VERBS_OFF])
def test_verbs_switch_off(tmp_path, name, extra, field, words):
    assert words in "".join(news(tmp_path, released(name, **extra, **{field: "不写"}), name))


def test_the_count_lead_switches_off(tmp_path):
    data = released("hy", 人数的说法="不写")
    event(data, "hy")["参加人数"] = "200余人"
    assert news(tmp_path, data, "hy")[2].endswith("各乡镇党委书记和县直有关部门负责同志200余人参加会议。")


def test_every_meeting_phrase_switched_off_at_once_leaves_the_facts(tmp_path):
    fields = [f for f, *_ in MEETING_PHRASES] + ["主持会议的说法", "人数的说法"]
    data = released("hy", **{field: "不写" for field in fields})
    event(data, "hy")["参加人数"] = "300余人"
    text = "".join(news(tmp_path, data, "hy"))
    for fact in ("全县统战工作会议", "林知远", "冯一鸣", "全省统战部长会议精神", "县工商联工作汇报", "300余人",
                 "统战工作先进集体", "《目标责任书》", "青石镇党委"):
        assert fact in text
    for default in ("召开", "会议由", "会议传达学习了", "会议听取了", "会议强调", "会议还表彰了", "签订了", "作了交流发言",
                    "等共"):
        assert default not in text


# --------------------------------------------------------------------------- meeting: the lead's order


def test_a_passive_lead_needs_no_convener(tmp_path):
    data = released("hy", 导语句式="被动")
    del event(data, "hy")["主体"]
    text = news(tmp_path, data, "hy")
    assert text[0] == "全县统战工作会议召开"
    assert text[1].startswith("松川讯（通讯员 易晨）3月20日上午，全县统战工作会议在县委礼堂召开。会议的主要任务是")


def test_a_passive_lead_without_a_place(tmp_path):
    data = released("hy", 导语句式="被动")
    del event(data, "hy")["主体"], event(data, "hy")["地点"]
    assert "3月20日上午，全县统战工作会议召开。会议的主要任务是" in news(tmp_path, data, "hy")[1]


def test_an_active_lead_says_who_convenes(tmp_path):
    text = news(tmp_path, released("hy", 导语句式="主动"), "hy")
    assert text == MEETING


def test_the_host_in_a_sentence_of_its_own_is_the_default(tmp_path):
    assert news(tmp_path, released("hy", 主持的位置="单独成句"), "hy") == MEETING


def test_the_host_after_the_speaker(tmp_path):
    text = news(tmp_path, released("hy", 主持的位置="讲话人之后"), "hy")
    assert text[1] == MEETING_LEAD.replace("会议由县委副书记林知远主持。", "")
    assert text[2].startswith("县委书记邵启东出席会议并讲话，县委副书记林知远主持会议，县委常委、统战部部长贺明远作工作报告，")


def test_the_host_after_speakers_who_share_a_role_follows_the_whole_group(tmp_path):
    data = released("hy", 主持的位置="讲话人之后")
    event(data, "hy")["出席领导"][1]["方式"] = "出席会议并讲话"
    text = news(tmp_path, data, "hy")
    assert text[2].startswith("县委书记邵启东，县委常委、统战部部长贺明远出席会议并讲话，县委副书记林知远主持会议，"
                              "县人大常委会主任冯一鸣出席会议。")


def test_the_host_after_the_speaker_without_leaders_is_a_sentence_of_its_own(tmp_path):
    data = released("hy", 主持的位置="讲话人之后")
    del event(data, "hy")["出席领导"]
    text = news(tmp_path, data, "hy")
    assert text[1].endswith("会议由县委副书记林知远主持。")


def test_the_host_in_the_lead_convenes(tmp_path):
    text = news(tmp_path, released("hy", 主持的位置="导语"), "hy")
    assert text[1] == ("松川讯（通讯员 易晨）3月20日上午，县委副书记林知远在县委礼堂主持召开全县统战工作会议。"
                       "会议的主要任务是总结去年全县统战工作，部署今年重点任务。")
    assert text[0] == "松川县召开全县统战工作会议"  # the headline still says who convened


def test_the_host_in_a_passive_lead(tmp_path):
    data = released("hy", 主持的位置="导语", 导语句式="被动")
    del event(data, "hy")["主体"]
    text = news(tmp_path, data, "hy")
    assert text[1].startswith("松川讯（通讯员 易晨）3月20日上午，全县统战工作会议在县委礼堂召开，县委副书记林知远主持会议。")


def test_no_host_no_host_sentence(tmp_path):
    data = sheet()
    del event(data, "hy")["主持"]
    for place in ("单独成句", "讲话人之后", "导语"):
        event(data, "hy")["新闻稿"]["主持的位置"] = place
        text = "".join(news(tmp_path, data, "hy"))
        assert "主持" not in text and "林知远" not in text


def test_leaders_in_one_sentence_or_several(tmp_path):
    assert news(tmp_path, released("hy", 出席的写法="一句"), "hy")[2] == MEETING_LEADERS
    assert news(tmp_path, released("hy", 出席的写法="分句"), "hy")[2] == (
        "县委书记邵启东出席会议并讲话。县委常委、统战部部长贺明远作工作报告。县人大常委会主任冯一鸣出席会议。"
        "各乡镇党委书记和县直有关部门负责同志参加会议。")


def test_leaders_who_share_a_role_stay_in_one_list(tmp_path):
    data = released("hy", 出席的写法="分句")
    for person in event(data, "hy")["出席领导"]:
        person.pop("方式", None)
    event(data, "hy")["出席领导"][0]["讲话的说法"] = "指出"  # its 讲话要点 still print
    assert news(tmp_path, data, "hy")[2].startswith(
        "县委书记邵启东，县委常委、统战部部长贺明远，县人大常委会主任冯一鸣出席会议。")


def test_leaders_in_the_lead(tmp_path):
    text = news(tmp_path, released("hy", 出席的位置="导语"), "hy")
    assert text[1] == MEETING_LEAD + MEETING_LEADERS
    assert text[2] == "会议传达学习了全省统战部长会议精神。"


def test_leaders_in_their_own_paragraph_is_the_default(tmp_path):
    assert news(tmp_path, released("hy", 出席的位置="另起一段"), "hy") == MEETING


def test_attendees_in_the_lead(tmp_path):
    text = news(tmp_path, released("hy", 参加的位置="导语"), "hy")
    assert text[1] == MEETING_LEAD + "各乡镇党委书记和县直有关部门负责同志参加会议。"
    assert text[2] == "县委书记邵启东出席会议并讲话，县委常委、统战部部长贺明远作工作报告，县人大常委会主任冯一鸣出席会议。"


def test_attendees_at_the_end(tmp_path):
    data = released("hy", 参加的位置="文末")
    event(data, "hy")["结语"] = "会议号召全县上下团结奋斗。"
    text = news(tmp_path, data, "hy")
    assert text[-2:] == ["各乡镇党委书记和县直有关部门负责同志参加会议。", "会议号召全县上下团结奋斗。"]
    assert "参加会议" not in text[2]


def test_attendees_at_the_end_without_leaders(tmp_path):
    data = released("hy", 参加的位置="文末")
    del event(data, "hy")["出席领导"]
    text = news(tmp_path, data, "hy")
    assert text[1] == MEETING_LEAD and text[2] == "会议传达学习了全省统战部长会议精神。"
    assert text[-1] == "各乡镇党委书记和县直有关部门负责同志参加会议。"


def test_attendees_after_the_leaders_is_the_default(tmp_path):
    assert news(tmp_path, released("hy", 参加的位置="出席之后"), "hy") == MEETING


def test_attendees_with_a_count(tmp_path):
    data = sheet()
    event(data, "hy")["参加人数"] = "200余人"
    assert news(tmp_path, data, "hy")[2].endswith("各乡镇党委书记和县直有关部门负责同志等共200余人参加会议。")
    event(data, "hy")["新闻稿"].update({"人数的说法": "，共", "参加的说法": "参加"})
    assert news(tmp_path, data, "hy")[2].endswith("各乡镇党委书记和县直有关部门负责同志，共200余人参加。")


def test_a_count_without_attendees(tmp_path):
    data = sheet()
    del event(data, "hy")["参加"]
    event(data, "hy")["参加人数"] = "160余人"
    assert news(tmp_path, data, "hy")[2].endswith("县人大常委会主任冯一鸣出席会议。160余人参加会议。")


def test_the_purpose_as_a_chain_of_verbs(tmp_path):
    data = released("hy", 任务的说法="会议")
    event(data, "hy")["主要任务"] = "传达学习了全省统战部长会议精神，总结了去年工作，部署了今年任务，表彰了先进"
    assert "会议传达学习了全省统战部长会议精神，总结了去年工作，部署了今年任务，表彰了先进。" in news(tmp_path, data, "hy")[1]


def test_the_purpose_in_its_own_paragraph(tmp_path):
    text = news(tmp_path, released("hy", 任务的位置="另起一段"), "hy")
    assert text[1] == MEETING_LEAD.replace("会议的主要任务是总结去年全县统战工作，部署今年重点任务。", "")
    assert text[3] == "会议的主要任务是总结去年全县统战工作，部署今年重点任务。"
    assert news(tmp_path, released("hy", 任务的位置="导语"), "hy") == MEETING


def test_the_byline_under_the_headline(tmp_path):
    text = news(tmp_path, released("hy", 署名的位置="标题下"), "hy")
    assert text[:3] == ["松川县召开全县统战工作会议", "通讯员 易晨", MEETING_LEAD.replace("（通讯员 易晨）", "　")]
    assert news(tmp_path, released("hy", 署名的位置="电头"), "hy") == MEETING


def test_no_dateline_no_byline(tmp_path):
    data = sheet()
    del event(data, "hy")["新闻稿"]
    text = news(tmp_path, data, "hy")
    assert text[1] == MEETING_LEAD.replace("松川讯（通讯员 易晨）", "")
    data = released("hy", 署名的位置="电头")
    del event(data, "hy")["新闻稿"]["电头"]
    assert news(tmp_path, data, "hy")[1:3] == ["通讯员 易晨", MEETING_LEAD.replace("松川讯（通讯员 易晨）", "")]


def test_the_date_with_or_without_its_year(tmp_path):
    assert news(tmp_path, released("hy", 日期写法="年月日"), "hy")[1].startswith("松川讯（通讯员 易晨）2025年3月20日上午，")
    assert news(tmp_path, released("hy", 日期写法="月日"), "hy") == MEETING
    data = sheet()
    event(data, "hy")["日期"] = "2024-12-30"  # not the sheet's year: written in full unless told
    assert news(tmp_path, data, "hy")[1].startswith("松川讯（通讯员 易晨）2024年12月30日上午，")
    event(data, "hy")["新闻稿"]["日期写法"] = "月日"
    assert news(tmp_path, data, "hy")[1].startswith("松川讯（通讯员 易晨）12月30日上午，")


@pytest.mark.parametrize("field, choices", [
    ("导语句式", "主动、被动"), ("主持的位置", "单独成句、讲话人之后、导语"), ("出席的写法", "一句、分句"),
    ("出席的位置", "另起一段、导语"), ("参加的位置", "出席之后、导语、文末"), ("任务的位置", "导语、另起一段"),
    ("署名的位置", "电头、标题下"), ("日期写法", "月日、年月日")])
def test_a_wrong_choice_is_an_error_naming_the_choices(tmp_path, field, choices):
    code, output, _ = draft(tmp_path, released("hy", **{field: "随便"}), "news", "--event", "hy")
    assert code == 1
    assert f"活动[1].新闻稿.{field}" in output and "“随便”不是可选的值" in output
    assert "可选：" + "、".join(f"“{c}”" for c in choices.split("、")) in output, output


def test_a_lead_choice_the_activity_does_not_have_is_an_unknown_field(tmp_path):
    code, output, _ = draft(tmp_path, released("dy", 导语句式="被动"), "news", "--event", "dy")
    assert code == 1 and "未知字段“导语句式”" in output


# --------------------------------------------------------------------------- headline


def test_no_headline(tmp_path):
    text = news(tmp_path, released("hy", 主标题="不写"), "hy")
    assert text == MEETING[1:]


def test_no_headline_keeps_the_kicker_and_subtitle(tmp_path):
    code, _, paragraphs = draft(tmp_path, released("hy", 主标题="", 引题="春风化雨", 副题="全县统战工作会议侧记"),
                                "news", "--event", "hy")
    assert code == 0
    assert [p[1] for p in paragraphs[:3]] == ["春风化雨", "全县统战工作会议侧记", MEETING_LEAD]
    assert "GwTitle" not in [p[0] for p in paragraphs]


def test_a_headline_written_whole(tmp_path):
    text = news(tmp_path, released("hy", 主标题="同心聚力开新局"), "hy")
    assert text[:3] == ["同心聚力开新局", "松川县召开全县统战工作会议", MEETING_LEAD]


def test_a_passive_headline_under_an_own_headline(tmp_path):
    data = released("hy", 主标题="同心聚力开新局", 导语句式="被动")
    del event(data, "hy")["主体"]
    assert news(tmp_path, data, "hy")[:2] == ["同心聚力开新局", "全县统战工作会议召开"]


# --------------------------------------------------------------------------- each leader's speech verb


def test_each_leader_has_a_speech_verb(tmp_path):
    data = sheet()
    leaders = event(data, "hy")["出席领导"]
    leaders[0]["讲话的说法"] = "指出"
    leaders[1]["讲话要点"] = ["要建强阵地"]
    leaders[2]["讲话的说法"] = "对全县统战工作给予充分肯定"
    text = news(tmp_path, data, "hy")
    assert "邵启东指出，要凝聚共识；要服务发展。" in text
    assert "贺明远在报告中强调，要建强阵地。" in text  # 作工作报告: the report's verb by default
    assert "冯一鸣对全县统战工作给予充分肯定。" in text  # a verb with no points is a sentence of its own


def test_a_report_leader_may_have_an_own_verb(tmp_path):
    data = sheet()
    event(data, "hy")["出席领导"][1].update({"讲话要点": ["要建强阵地"], "讲话的说法": "在报告中要求"})
    assert "贺明远在报告中要求，要建强阵地。" in news(tmp_path, data, "hy")


@pytest.mark.parametrize("off", ["不写", ""])
def test_a_leader_s_speech_verb_switched_off(tmp_path, off):
    data = sheet()
    event(data, "hy")["出席领导"][0]["讲话的说法"] = off
    event(data, "hy")["出席领导"][1].update({"讲话要点": ["要建强阵地"], "讲话的说法": off})
    text = news(tmp_path, data, "hy")
    assert "要凝聚共识；要服务发展。" in text and "要建强阵地。" in text
    assert "在讲话中强调" not in "".join(text) and "在报告中强调" not in "".join(text)


def test_a_leader_without_points_or_verb_says_nothing(tmp_path):
    text = "".join(news(tmp_path, sheet(), "hy"))
    assert "冯一鸣在讲话中强调" not in text and "贺明远在" not in text


# --------------------------------------------------------------------------- training


TRAINING_PHRASES = [
    ("举办的说法", "开办", "县委统战部在县委党校开办全县统战干部培训班。"),
    ("参训的说法", "参加培训的有", "参加培训的有全县统战干部，共60名。"),
    ("参训人数的说法", "共计", "参训人员为全县统战干部，共计60名。"),
    ("主持句的开头", "开班仪式由", "开班仪式由县委统战部副部长唐亦舟主持。"),
    ("主持的说法", "主持并讲话", "开班式由县委统战部副部长唐亦舟主持并讲话。"),
    ("出席的说法", "出席开班仪式", "县委组织部副部长柯文澜出席开班仪式。"),
    ("参加的说法", "参加", "各乡镇统战委员参加。"),
    ("培训内容的说法", "培训采取专题辅导与现场教学相结合的方式，内容包括", "培训采取专题辅导与现场教学相结合的方式，内容包括统战理论和现场教学。"),
]


@pytest.mark.parametrize("field, words, sentence", TRAINING_PHRASES, ids=[p[0] for p in TRAINING_PHRASES])
def test_training_phrases_are_replaced_verbatim(tmp_path, field, words, sentence):
    assert sentence in "".join(news(tmp_path, released("px", **{field: words}), "px"))


@pytest.mark.parametrize("field, sentence", [
    ("参训的说法", "6月10日至12日，县委统战部在县委党校举办全县统战干部培训班。全县统战干部，共60名。"),
    ("主持句的开头", "县委统战部副部长唐亦舟主持。县委常委"),
    ("培训内容的说法", "统战理论和现场教学。"),
    ("参加的说法", "各乡镇统战委员。"),
])
def test_training_phrases_switch_off(tmp_path, field, sentence):
    text = "".join(news(tmp_path, released("px", **{field: "不写"}), "px"))
    assert sentence in text


def test_training_contents_listed_item_by_item_without_a_lead(tmp_path):
    data = released("px", 培训内容的说法="不写")
    event(data, "px")["内容"] = ["统战理论、政策", "现场教学"]
    assert news(tmp_path, data, "px")[-1] == "统战理论、政策；现场教学。"


def test_a_passive_training_lead(tmp_path):
    data = released("px", 导语句式="被动", 举办的说法="开班")
    del event(data, "px")["主办"]  # a passive lead has no convener
    text = news(tmp_path, data, "px")
    assert text[:2] == ["全县统战干部培训班开班",
                        "6月10日至12日，全县统战干部培训班在县委党校开班。参训人员为全县统战干部，共60名。"]


def test_the_training_host_after_the_speaker_and_leaders_in_the_lead(tmp_path):
    text = news(tmp_path, released("px", 主持的位置="讲话人之后", 出席的位置="导语", 参加的位置="文末"), "px")
    assert text[1] == ("6月10日至12日，县委统战部在县委党校举办全县统战干部培训班。参训人员为全县统战干部，共60名。"
                       "县委常委、统战部部长贺明远作开班动员讲话，县委统战部副部长唐亦舟主持开班式，"
                       "县委组织部副部长柯文澜出席开班式。")
    assert text[-1] == "各乡镇统战委员参加开班式。"


def test_the_training_host_in_the_lead(tmp_path):
    text = news(tmp_path, released("px", 主持的位置="导语", 出席的写法="分句", 参加的位置="导语"), "px")
    assert text[1] == ("6月10日至12日，县委统战部副部长唐亦舟在县委党校主持举办全县统战干部培训班。"
                       "参训人员为全县统战干部，共60名。各乡镇统战委员参加开班式。")
    assert text[2] == "县委常委、统战部部长贺明远作开班动员讲话。县委组织部副部长柯文澜出席开班式。"


def test_a_training_with_a_count_of_attendees_and_the_year(tmp_path):
    data = released("px", 日期写法="年月日")
    event(data, "px")["参加人数"] = "80余人"
    text = news(tmp_path, data, "px")
    assert text[1].startswith("2025年6月10日至12日，")
    assert text[2].endswith("各乡镇统战委员等共80余人参加开班式。")


# --------------------------------------------------------------------------- activity


ACTIVITY_PHRASES = [
    ("主持的说法", "主持召开", "座谈会由青石镇党委书记钟晚晴主持召开。"),
    ("陪同的说法", "陪同调研", "县委统战部部长贺明远陪同调研。"),
    ("一行的说法", "一行人", "邵启东一行人先后来到"),
    ("来到的说法", "深入", "邵启东一行先后深入青石镇同心驿站和青石茶业公司，"),
    ("参加的说法", "参加座谈", "镇村干部参加座谈。"),
]


@pytest.mark.parametrize("field, words, sentence", ACTIVITY_PHRASES, ids=[p[0] for p in ACTIVITY_PHRASES])
def test_activity_phrases_are_replaced_verbatim(tmp_path, field, words, sentence):
    assert sentence in "".join(news(tmp_path, released("dy", **{field: words}), "dy"))


def test_activity_phrases_switch_off(tmp_path):
    text = news(tmp_path, released("dy", 一行的说法="不写", 参加的说法="不写"), "dy")
    assert text[2] == "邵启东先后来到青石镇同心驿站和青石茶业公司，察看阵地运行情况。镇村干部。"


def test_an_activity_leader_s_verb(tmp_path):
    data = sheet()
    event(data, "dy")["带队"][0]["讲话的说法"] = "指出"
    assert news(tmp_path, data, "dy")[-1] == "邵启东指出，要建好用好阵地。"


def test_activity_attendees_with_a_count_and_no_headline(tmp_path):
    data = released("dy", 主标题="不写", 日期写法="年月日")
    event(data, "dy")["参加人数"] = "30余人"
    text = news(tmp_path, data, "dy")
    assert text[0].startswith("2025年9月5日，县委书记邵启东")
    assert text[1].endswith("镇村干部等共30余人参加活动。")


# --------------------------------------------------------------------------- the feature


def featured(**fields) -> dict:
    data = sheet()
    data["综述"] = fields
    return data


def feature(tmp_path: Path, data: dict) -> List[str]:
    code, output, paragraphs = draft(tmp_path, data, "news", "--style", "feature")
    assert code == 0, output
    return [text for _, text in paragraphs]


def test_the_feature_defaults(tmp_path):
    text = feature(tmp_path, featured(一年来=["全县统一战线凝心聚力"]))
    assert text[:4] == ["建强阵地、建好队伍", "——县委统战部2025年工作综述", FEATURE_LEAD, "一年来，全县统一战线凝心聚力。"]
    assert text[-1] == "下一步，县委统战部将新建同心驿站5个。"


def test_the_feature_lead_carries_the_report_s_verbs(tmp_path):
    data = sheet()
    data["汇报"].update({"遵循的说法": "始终坚持以", "遵循之后": "为指导", "思路的说法": "以", "思路之后": "为抓手"})
    assert feature(tmp_path, data)[2] == ("今年以来，松川县始终坚持以党的二十大精神为指导，以“同心松川”为抓手，建强阵地，建好队伍，"
                                          "统战工作取得新成效。")


def test_the_feature_lead_verbs_switch_off(tmp_path):
    data = sheet()
    data["汇报"].update({"遵循的说法": "不写", "思路的说法": "不写"})
    assert feature(tmp_path, data)[2] == "今年以来，松川县党的二十大精神，“同心松川”，建强阵地，建好队伍，统战工作取得新成效。"


def test_the_feature_opening_paragraphs(tmp_path):
    text = feature(tmp_path, featured(开篇=["回望这一年，山城处处有同心的身影。", "一张张笑脸，写满了奋进的故事。"]))
    assert text[2:5] == ["回望这一年，山城处处有同心的身影。", "一张张笑脸，写满了奋进的故事。", FEATURE_LEAD]


def test_the_feature_subtitle(tmp_path):
    assert feature(tmp_path, featured(副题末尾="统战工作巡礼"))[1] == "——县委统战部2025年统战工作巡礼"
    assert feature(tmp_path, featured(副题="——写在全县统战工作会议之后"))[1] == "——写在全县统战工作会议之后"
    for off in ("不写", ""):
        assert feature(tmp_path, featured(副题=off))[:2] == ["建强阵地、建好队伍", FEATURE_LEAD]


def test_the_feature_subtitle_tail_switches_off(tmp_path):
    assert feature(tmp_path, featured(副题末尾="不写"))[1] == "——县委统战部2025年"


def test_the_feature_review_lead(tmp_path):
    text = feature(tmp_path, featured(一年来=["聚力一", "聚力二"], 一年来的说法="这一年"))
    assert text[3:5] == ["这一年，聚力一；", "这一年，聚力二。"]
    text = feature(tmp_path, featured(一年来=["聚力一", "聚力二"], 一年来的说法="不写"))
    assert text[3:5] == ["聚力一；", "聚力二。"]


def test_the_feature_plans_lead(tmp_path):
    assert feature(tmp_path, featured(下一步的说法="新的一年，"))[-1] == "新的一年，县委统战部将新建同心驿站5个。"
    assert feature(tmp_path, featured(下一步的说法="不写"))[-1] == "县委统战部将新建同心驿站5个。"


def test_the_report_s_own_framing_is_no_unused_fact_in_the_feature(tmp_path):
    data = sheet()
    data["汇报"].update({"问候": "大家好！", "过渡语": "下面，我作个补充发言。", "结束语": "不写", "基本情况": ["松川县辖9个乡镇。"],
                       "引语": "古人说，众人拾柴火焰高。", "下一步的说法": "今后，我们将"})
    assert feature(tmp_path, data)[2] == FEATURE_LEAD  # --strict passes


# --------------------------------------------------------------------------- the 主持词

HOST_PHRASES = [
    ("标题末尾", "主持稿", "全县统战工作会议主持稿"),
    ("称谓", "各位领导、同志们：", "各位领导、同志们："),
    ("开场", "现在，会议开始。", "现在，会议开始。"),
    ("召开的说法", "今天，我们在这里隆重召开", "今天，我们在这里隆重召开全县统战工作会议。这次会议"),
    ("任务的说法", "主要任务是：", "今天，我们召开全县统战工作会议。主要任务是：总结去年"),
    ("出席的说法", "出席今天会议的县领导有：", "出席今天会议的县领导有：县委书记邵启东同志，"),
    ("尊称", "书记", "县委书记邵启东书记，"),
    ("参加的说法", "参加今天会议的还有：", "参加今天会议的还有：各乡镇党委书记"),
    ("议程数的说法", "今天的会议议程共有", "今天的会议议程共有三项议程。"),
    ("第一项的说法", "首先，进行", "首先，进行第一项议程，请县委常委"),
    ("下一项的说法", "接下来，进行", "接下来，进行第二项议程，请青石镇党委"),
    ("最后一项的说法", "最后，我们进行", "最后，我们进行第三项议程，请县委书记"),
    ("请的说法", "现在请", "会议进行第一项议程，现在请县委常委"),
    ("结束的说法", "同志们，今天的会议开得很好。", "同志们，今天的会议开得很好。会后，各级要抓好落实。"),
    ("会后要求的说法", "会后，希望", "会后，希望各级要抓好落实。"),
    ("散会", "现在休会。", "现在休会。"),
]


@pytest.mark.parametrize("field, words, sentence", HOST_PHRASES, ids=[p[0] for p in HOST_PHRASES])
def test_host_phrases_are_replaced_verbatim(tmp_path, field, words, sentence):
    assert sentence in "".join(text for _, text in host(tmp_path, scripted(**{field: words})))


@pytest.mark.parametrize("off", ["不写", ""])
def test_host_phrases_switch_off(tmp_path, off):
    fields = ["标题末尾", "称谓", "开场", "召开的说法", "任务的说法", "出席的说法", "尊称", "参加的说法", "议程数的说法",
              "第一项的说法", "下一项的说法", "最后一项的说法", "请的说法", "结束的说法", "会后要求的说法", "散会"]
    paragraphs = host(tmp_path, scripted(日期行=off, **{field: off for field in fields}))
    assert [text for _, text in paragraphs] == [
        "全县统战工作会议", "县委副书记 林知远",
        "总结去年全县统战工作，部署今年重点任务。",
        "县委书记邵启东，县委常委、统战部部长贺明远，县人大常委会主任冯一鸣。各乡镇党委书记和县直有关部门负责同志。",
        "第一项议程，县委常委、统战部部长贺明远作工作报告。",
        "第二项议程，青石镇党委和县工商联依次作交流发言。",
        "第三项议程，县委书记邵启东讲话。",
        "各级要抓好落实。"]
    assert not {"GwDate", "GwSalutation", "GwClosing"} & {style for style, _ in paragraphs}


@pytest.mark.parametrize("off", ["不写", ""])
def test_the_host_title_written_whole_or_left_out(tmp_path, off):
    paragraphs = host(tmp_path, scripted(标题="在全县统战工作会议上的主持讲话"))
    assert paragraphs[0] == ("GwTitle", "在全县统战工作会议上的主持讲话")
    paragraphs = host(tmp_path, scripted(标题=off))  # the name is still said: 今天，我们召开……
    assert "GwTitle" not in [style for style, _ in paragraphs]
    assert [text for _, text in paragraphs] == HOST[1:]


@pytest.mark.parametrize("off", ["不写", ""])
def test_the_host_date_line(tmp_path, off):
    assert ("GwDate", "2025年3月20日上午") in host(tmp_path, scripted(日期行="2025年3月20日上午"))
    paragraphs = host(tmp_path, scripted(日期行=off))  # --strict: the date is the event's, not an unused fact
    assert "GwDate" not in [style for style, _ in paragraphs]
    assert [text for _, text in paragraphs] == HOST[:2] + HOST[3:]


def test_a_wrong_host_choice_is_an_error_naming_the_choices(tmp_path):
    code, output, _ = draft(tmp_path, scripted(议程序号="随便"), "speech", "--style", "host", "--event", "hy")
    assert code == 1 and "活动[1].主持词.议程序号" in output and "“写”、“不写”" in output, output


def test_the_agenda_without_ordinals(tmp_path):
    texts = [text for _, text in host(tmp_path, scripted(议程序号="不写"))]
    assert texts[8:11] == ["首先，请县委常委、统战部部长贺明远同志作工作报告。", "下面，请青石镇党委和县工商联依次作交流发言。",
                           "最后，请县委书记邵启东同志讲话。"]
    texts = [text for _, text in host(tmp_path, scripted(议程序号="不写", 第一项的说法="首先，", 下一项的说法="接着，",
                                                         最后一项的说法="最后，"))]
    assert texts[9] == "接着，请青石镇党委和县工商联依次作交流发言。"
    assert [text for _, text in host(tmp_path, scripted(议程序号="写"))] == HOST


def test_the_host_s_own_paragraphs(tmp_path):
    texts = [text for _, text in host(tmp_path, scripted(开场段="这次会议是县委决定召开的。",
                                                         会风提醒=["请大家将手机调至静音状态。", "会议期间请勿随意走动"],
                                                         结尾段="下面，我再强调一点意见。"))]
    assert texts[5:10] == [HOST[5], "这次会议是县委决定召开的。", HOST[6], "请大家将手机调至静音状态。", "会议期间请勿随意走动。"]
    assert texts[-3:] == [HOST[-2], "下面，我再强调一点意见。", "现在散会。"]


def test_the_host_without_purpose_or_convening(tmp_path):
    data = scripted(召开的说法="不写")
    del event(data, "hy")["主要任务"]
    texts = [text for _, text in host(tmp_path, data)]
    assert texts[4:6] == ["现在开会。", HOST[6]]


def test_the_host_purpose_as_a_chain(tmp_path):
    data = sheet()
    event(data, "hy")["主要任务"] = "传达全省会议精神，总结去年工作"
    assert [text for _, text in host(tmp_path, data)][5] == (
        "今天，我们召开全县统战工作会议。这次会议的主要任务是传达全省会议精神，总结去年工作。")


def test_news_does_not_read_the_host_s_section_nor_the_host_the_news_section(tmp_path):
    data = scripted(称谓="各位领导：", 会风提醒="请关闭手机。", 日期行="不写")
    event(data, "hy")["新闻稿"].update({"传达的说法": "会议传达了", "主持的位置": "导语"})
    event(data, "hy")["出席领导"][0]["讲话的说法"] = "指出"
    event(data, "hy")["参加人数"] = "200余人"
    text = "".join(news(tmp_path, data, "hy"))  # --strict: nothing unused
    assert "各位领导" not in text and "请关闭手机" not in text
    texts = "".join(t for _, t in host(tmp_path, data))
    assert "会议传达了" not in texts and "指出" not in texts and "200余人" not in texts


# --------------------------------------------------------------------------- drafter templates show


@pytest.mark.parametrize("style, phrases", [
    ("news/meeting", ["活动.新闻稿.召开的说法", "活动.新闻稿.主持会议的说法", "活动.出席领导[].讲话的说法", "活动.新闻稿.交流发言的说法"]),
    ("news/training", ["活动.新闻稿.举办的说法", "活动.新闻稿.培训内容的说法"]),
    ("news/activity", ["活动.新闻稿.陪同的说法", "活动.新闻稿.来到的说法"]),
    ("news/feature", ["汇报.遵循的说法", "汇报.思路的说法", "综述.一年来的说法", "综述.下一步的说法"]),
    ("speech/host", ["活动.主持词.称谓", "活动.主持词.第一项的说法", "活动.主持词.散会"]),
])
def test_templates_show_lists_the_phrases(style, phrases):
    output = CliRunner().invoke(cli, ["templates", "show", style]).output
    listed = output[output.index("措辞"):]
    assert all(phrase in listed for phrase in phrases), listed


# --------------------------------------------------------------------------- the gallery's news and 主持词 sheets

GALLERY = Path(__file__).resolve().parent.parent / "facts" / "examples"
EVENT_SHEETS = ["新闻被动导语.yaml", "新闻主持召开.yaml", "主持词会风提醒.yaml"]


@pytest.mark.parametrize("name", EVENT_SHEETS)
def test_the_gallery_s_event_sheets_draft_cleanly(tmp_path, name, monkeypatch):
    """Like tests/test_gallery.py, except for the one note every event draft gives (使用活动 …)."""
    import re
    import shlex

    monkeypatch.chdir(tmp_path)
    sheet = GALLERY / name
    first, second = sheet.read_text(encoding="utf-8").splitlines()[:2]
    assert first.startswith("# drafter ") and second.startswith("# ")
    words = [str(sheet) if word == f"facts/examples/{name}" else word for word in shlex.split(first[2:])[1:]]
    assert str(sheet) in words
    out = tmp_path / "out.docx"
    try:
        runner = CliRunner(mix_stderr=False)
    except TypeError:
        runner = CliRunner()
    result = runner.invoke(cli, words + ["--strict", "-o", str(out)], catch_exceptions=False)
    assert result.exit_code == 0, result.stderr
    assert [line for line in result.stderr.splitlines() if not line.startswith("使用活动 ")] == []
    xml = zipfile.ZipFile(out).read("word/document.xml").decode("utf-8")
    text = "".join(re.findall(r"<w:t(?:\s[^>]*)?>([^<]*)</w:t>", xml))
    assert "待补" not in text and "#" not in text and len(text) > 300
