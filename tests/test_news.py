"""drafter news: choosing events, the meeting/training/activity releases, the 工作综述 feature,
every optional fact absent, punctuation normalisation, and error positions inside events."""
import copy
import datetime
import re
import shutil
import zipfile
from pathlib import Path

import docx
import pytest
import yaml
from click.testing import CliRunner

from drafter.cli import cli
from drafter.document import Generated, Heading
from drafter.errors import DrafterError
from drafter.events import choose, list_events, load_catalog
from drafter.facts import load_sheet
from drafter.pipeline import make_draft, normalise_sheet, render
from drafter.templates import builtin_templates, find_pack, template_roots
from drafter.validate import Missing, load_schema, validate

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "facts" / "2024.yaml"
SAMPLE_TEXT = SAMPLE.read_text(encoding="utf-8")
NEWS = builtin_templates() / "news"
MEETING, TRAINING, VISIT, CONDOLENCE = range(4)  # positions of the sample's events
INDENT = "\u3000\u3000"


@pytest.fixture(autouse=True)
def in_tmp(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)


def sample():
    return yaml.safe_load(SAMPLE_TEXT)


def write(tmp_path, data, name="2024.yaml"):
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def text_of(path, **options):
    return render(make_draft("news", path, **options), "txt").decode("utf-8")


def lines(text):
    return text.splitlines()


def invoke(*args):
    return CliRunner().invoke(cli, [str(a) for a in args])


def line_of(text, needle, after=0, at=None):
    """1-based line and column of the first ``needle`` in ``text`` at or after line ``after``;
    the column is that of ``at`` within the line when given."""
    for number, line in enumerate(text.splitlines(), 1):
        if number >= after and needle in line:
            return number, line.index(at or needle) + 1
    raise AssertionError(needle)


# --------------------------------------------------------------------------- choosing an event


def test_events_have_given_or_derived_ids():
    sheet = load_sheet(SAMPLE)
    events = list_events(sheet, load_catalog(template_roots()))
    assert [e.id for e in events] == ["2024-01", "2024-02", "2024-03", "2024-02-05"]
    assert [e.style for e in events] == ["meeting", "training", "activity", "activity"]
    assert events[CONDOLENCE].derived and not events[MEETING].derived
    assert events[MEETING].path == ("活动", 0)


def test_derived_ids_of_the_same_day_and_without_a_date_stay_apart(tmp_path):
    data = sample()
    base = {"类型": "慰问", "日期": datetime.date(2024, 5, 1), "事项": "走访慰问"}
    data["活动"] = [dict(base), dict(base), {"类型": "慰问", "事项": "走访"}, {**base, "编号": "2024-05-01"}]
    events = list_events(load_sheet(write(tmp_path, data)), load_catalog(template_roots()))
    assert [e.id for e in events] == ["2024-05-01-2", "2024-05-01-3", "活动3", "2024-05-01"]


def test_an_id_picks_its_event():
    result = invoke("news", SAMPLE, "--event", "2024-02-05", "--format", "txt")
    assert result.exit_code == 0, result.output
    assert "使用活动 2024-02-05（慰问，2024年2月5日）" in result.output
    text = Path("2024-02-05-活动新闻稿.txt").read_text(encoding="utf-8")
    assert lines(text)[1].startswith(INDENT + "2月5日，区委书记陆启航走访慰问")


@pytest.mark.parametrize("wanted", ["meeting", "MEETING", "会议", "大会"])
def test_a_type_in_chinese_or_english_picks_the_meeting(wanted):
    choice = choose(load_sheet(SAMPLE), wanted, load_catalog(template_roots()))
    assert choice.event.id == "2024-01" and choice.notes == [f"使用活动 {choice.event.describe()}"]


@pytest.mark.parametrize("wanted", ["activity", "活动"])
def test_a_type_with_several_events_takes_the_latest_and_names_the_others(wanted):
    result = invoke("news", SAMPLE, "--event", wanted, "--format", "txt")
    assert result.exit_code == 0, result.output
    assert f"类型“{wanted}”有 2 项活动，取日期最近的一项：2024-03（调研，2024年9月12日）" in result.output
    assert "其余：2024-02-05（慰问，2024年2月5日）" in result.output and "--event 2024-02-05" in result.output
    assert Path("2024-03-活动新闻稿.txt").exists()


def test_a_narrower_type_picks_only_its_own_events():
    catalog = load_catalog(template_roots())
    assert choose(load_sheet(SAMPLE), "慰问", catalog).event.id == "2024-02-05"
    visit = choose(load_sheet(SAMPLE), "调研", catalog)
    assert visit.event.id == "2024-03" and len(visit.notes) == 1


def test_equal_dates_take_the_later_in_the_sheet(tmp_path):
    data = sample()
    data["活动"].append(copy.deepcopy(data["活动"][MEETING]) | {"编号": "2024-09", "名称": "第二次会议"})
    choice = choose(load_sheet(write(tmp_path, data)), "meeting", load_catalog(template_roots()))
    assert choice.event.id == "2024-09" and "2024-01" in choice.notes[1]


def test_no_match_lists_the_events_and_exits_1():
    result = invoke("news", SAMPLE, "--event", "表彰大会")
    assert result.exit_code == 1
    assert "事实表里没有编号或类型为“表彰大会”的活动" in result.output
    for listed in ("2024-01（会议，2024年3月28日，2024年全区统一战线工作会议）", "2024-02（培训", "2024-03（调研",
                   "2024-02-05（慰问"):
        assert listed in result.output
    assert "会议、培训、活动、调研、慰问、座谈、参观" in result.output
    assert not list(Path(".").glob("*.docx"))


def test_no_event_and_no_style_asks_for_one():
    result = invoke("news", SAMPLE)
    assert result.exit_code == 1
    assert "请用 --event 指定活动" in result.output and "--style feature" in result.output
    assert "2024-01（会议" in result.output


def test_a_sheet_without_events_says_how_to_add_one(tmp_path):
    data = sample()
    del data["活动"]
    result = invoke("news", write(tmp_path, data), "--event", "meeting")
    assert result.exit_code == 1
    assert "事实表里还没有活动" in result.output and "活动:" in result.output and "event.yaml" in result.output


def test_event_styles_need_an_event_and_the_feature_takes_none():
    result = invoke("news", SAMPLE, "--style", "meeting")
    assert result.exit_code == 1 and "样式“meeting”写的是一项活动，请用 --event" in result.output
    result = invoke("news", SAMPLE, "--style", "feature", "--event", "2024-01")
    assert result.exit_code == 1 and "请去掉 --event" in result.output


def test_style_overrides_the_type(tmp_path):
    data = sample()
    data["活动"][CONDOLENCE]["类型"] = "表彰"  # no style knows this type
    path = write(tmp_path, data)
    result = invoke("news", path, "--event", "2024-02-05")
    assert result.exit_code == 1
    line, column = line_of(path.read_text(encoding="utf-8"), "类型: 表彰", at="表彰")
    assert f"{path}:{line}:{column}: 活动[4].类型: 活动类型“表彰”没有对应的新闻稿样式" in result.output
    assert invoke("news", path, "--event", "2024-02-05", "--style", "activity").exit_code == 0


def test_types_written_in_english_and_english_keys(tmp_path):
    data = sample()
    training = data["活动"][TRAINING]
    data["events"] = [{"id": "t1", "type": "Training", "name": training["名称"], "date": training["日期"],
                       "end_date": training["结束日期"], "count": training["参训人数"]}]
    del data["活动"]
    text = text_of(write(tmp_path, data), event="t1")
    assert "6月18日至20日，区委统战部举办2024年全区党外代表人士和统战干部能力提升培训班。参训人员共120名。" in text


def test_duplicate_ids_are_an_error_at_the_second(tmp_path):
    data = sample()
    data["活动"][TRAINING]["编号"] = "2024-01"
    path = write(tmp_path, data)
    result = invoke("news", path, "--event", "2024-01")
    assert result.exit_code == 1
    first = line_of(path.read_text(encoding="utf-8"), "编号: 2024-01")[0]
    second, column = line_of(path.read_text(encoding="utf-8"), "2024-01", after=first + 1)
    assert f"{path.name}:{second}:{column}: 活动[2].编号: 编号“2024-01”与第 {first} 行的活动重复" in result.output


# --------------------------------------------------------------------------- the default sheet


def test_newest_sheet_under_facts_is_used_and_named(tmp_path):
    result = invoke("news", "--event", "meeting")
    assert result.exit_code == 1 and "drafter news 路径/2024.yaml" in result.output and "facts/" in result.output
    (tmp_path / "facts").mkdir()
    for name in ("2023.yaml", "2024.yaml"):
        shutil.copy(SAMPLE, tmp_path / "facts" / name)
    result = invoke("news", "--event", "meeting")
    assert result.exit_code == 0, result.output
    assert f"使用事实表 {Path('facts') / '2024.yaml'}" in result.output
    assert (tmp_path / "2024-01-会议新闻稿.docx").exists()


# --------------------------------------------------------------------------- end to end


def test_meeting_release_end_to_end_in_a_fresh_folder(tmp_path):
    shutil.copytree(ROOT / "facts", tmp_path / "facts")
    result = invoke("news", "--event", "meeting")
    assert result.exit_code == 0, result.output
    out = tmp_path / "2024-01-会议新闻稿.docx"
    assert f"已写出 {out.name}（会议新闻稿" in result.output and "待补" not in result.output
    document = docx.Document(str(out))
    paragraphs = [p.text for p in document.paragraphs if p.text]
    meeting = sample()["活动"][MEETING]
    host, leaders = meeting["主持"], meeting["出席领导"]
    assert paragraphs[0].replace("\n", "") == f"{meeting['主体']}召开{meeting['名称']}"
    lead = paragraphs[1]
    assert lead.startswith("本报讯（通讯员 林晓岚）3月28日上午，")  # after the 电头, the lead opens with the date
    assert f"3月28日上午，青禾区在{meeting['地点']}召开{meeting['名称']}。" in lead
    assert f"会议的主要任务是{meeting['主要任务']}。" in lead
    assert lead.endswith(f"会议由{host['职务']}{host['姓名']}主持。")
    speakers = paragraphs[2]
    assert speakers.startswith(f"{leaders[0]['职务']}{leaders[0]['姓名']}{leaders[0]['方式']}，"
                               f"{leaders[1]['职务']}{leaders[1]['姓名']}{leaders[1]['方式']}。")
    assert speakers.endswith("参加会议。") and all(a in speakers for a in meeting["参加"])
    body = "\n".join(paragraphs)
    for point in leaders[0]["讲话要点"]:
        assert point in body
    assert "会议还表彰了2023年度全区统战工作先进集体10个、先进个人25名。" in body  # 表彰名义 written once
    assert "会上，区委与各街道（镇）党（工）委签订了《2024年度基层统战工作目标责任书》。" in body
    assert "云溪街道党工委、区工商联和青禾经济开发区管委会作了交流发言。" in body
    # every Arabic number comes from this meeting's own lines of the sheet
    block = SAMPLE_TEXT[SAMPLE_TEXT.index("  - 编号: 2024-01"):SAMPLE_TEXT.index("  - 编号: 2024-02")]
    for number in re.findall(r"\d+(?:\.\d+)?", body):
        assert number in block, number
    assert re.search(r"(?<!\d)3月28日", body) and "2024-03-28" in block
    # the news layout numbers its pages like a 公文 (audit-layout: a five-page 工作综述 had none)
    with zipfile.ZipFile(out) as z:
        footers = [z.read(n).decode("utf-8") for n in z.namelist() if n.startswith("word/footer")]
    assert footers and all(" PAGE " in xml and "—" in xml for xml in footers)


@pytest.mark.parametrize("event, title, output", [
    ("2024-01", "青禾区召开2024年全区统一战线工作会议", "2024-01-会议新闻稿"),
    ("2024-02", "区委统战部举办2024年全区党外代表人士和统战干部能力提升培训班", "2024-02-培训新闻稿"),
    ("2024-03", "程静澜到云溪街道调研基层统战实践阵地建设工作", "2024-03-活动新闻稿"),
    ("2024-02-05", "陆启航走访慰问党外代表人士和少数民族困难群众", "2024-02-05-活动新闻稿"),
])
def test_every_sample_event_renders(event, title, output):
    result = invoke("news", SAMPLE, "--event", event, "--format", "md")
    assert result.exit_code == 0, result.output
    md = Path(f"{output}.md").read_text(encoding="utf-8")
    assert md.startswith(f"# {title}\n") and "【待补" not in md


def test_feature_end_to_end(tmp_path):
    shutil.copytree(ROOT / "facts", tmp_path / "facts")
    result = invoke("news", "--style", "feature")
    assert result.exit_code == 0, result.output
    document = docx.Document(str(tmp_path / "2024-工作综述.docx"))
    paragraphs = [p for p in document.paragraphs if p.text]
    data = sample()
    assert paragraphs[0].text.replace("\n", "") == "、".join(a["排比标题"] for a in data["工作领域"])
    assert paragraphs[1].text == data["综述"]["副题"] and paragraphs[1].style.name == "公文副标题"
    lead = paragraphs[2].text
    assert lead.startswith(f"{data['汇报']['时段']}，{data['单位']['地区']}全面贯彻落实")
    assert f"围绕{data['汇报']['工作思路']}，{'，'.join(data['汇报']['思路内容'])}，" in lead
    assert [p.text for p in paragraphs[3:6]] == [
        f"一年来，{line}{'。' if i == 2 else '；'}" for i, line in enumerate(data["综述"]["一年来"])]
    subheads = [p for p in paragraphs if p.style.name.startswith("Heading")]
    assert [p.text for p in subheads] == [f"{a['排比标题']}\u3000{a['标题展开'].replace('，', chr(0x3000))}"
                                         for a in data["工作领域"]]  # unnumbered, no commas
    text = "\n".join(p.text for p in paragraphs)
    for point in (p for area in data["工作领域"] for p in area["要点"]):
        assert f"{point['领句']}。{point['内容']}" in text  # run-in points, verbatim
    assert text.rstrip().endswith(data["下一步"][-1]["内容"])
    for number in re.findall(r"\d+(?:\.\d+)?", text):
        assert number in SAMPLE_TEXT, number


# --------------------------------------------------------------------------- every optional fact absent


def _drop(*keys):
    def change(event):
        for key in keys:
            del event[key]
    return change


def _set(**values):
    def change(event):
        event.update(values)
    return change


def _leader(index, **values):
    def change(event):
        leader = (event.get("出席领导") or event["带队"])[index]
        for key, value in values.items():
            if value is None:
                del leader[key]
            else:
                leader[key] = value
    return change


MEETING_VARIANTS = [
    ("地点", _drop("地点"), ["3月28日上午，青禾区召开2024年全区统一战线工作会议。"], ["在区行政中心"]),
    ("时段", _drop("时段"), ["（通讯员 林晓岚）3月28日，青禾区在"], ["上午"]),
    ("主持", _drop("主持"), ["安排部署2024年重点任务。\n"], ["主持"]),
    ("主要任务", _drop("主要任务"), ["统一战线工作会议。会议由区委副书记韩立松主持。"], ["主要任务"]),
    ("出席领导", _drop("出席领导"), [INDENT + "区委统一战线工作领导小组成员单位分管负责同志，"], ["出席会议", "讲话"]),
    ("参加", _drop("参加"), ["程静澜作工作报告。\n"], ["参加会议"]),
    ("出席领导和参加", _drop("出席领导", "参加"), ["韩立松主持。\n" + INDENT + "会议传达学习了"], ["出席", "参加"]),
    ("方式", _leader(0, 方式=None), ["区委书记陆启航出席会议，区委常委、统战部部长程静澜作工作报告。"], ["讲话，"]),
    ("相同方式合写", _leader(1, 方式="出席会议并讲话"),
     ["区委书记陆启航，区委常委、统战部部长程静澜出席会议并讲话。"], ["作工作报告"]),
    ("讲话要点", _leader(0, 讲话要点=None), [], ["在讲话中强调"]),
    ("传达", _drop("传达"), [], ["传达"]),
    ("要求", _drop("要求"), [], ["会议要求"]),
    ("表彰", _drop("表彰"), [], ["表彰"]),
    ("表彰数量", lambda e: [item.pop("数量") for item in e["表彰"]],
     ["会议还表彰了2023年度全区统战工作先进集体、先进个人。"], ["10个"]),
    ("签订责任书", _drop("签订责任书"), [INDENT + "云溪街道党工委、区工商联和青禾经济开发区管委会作了交流发言。"], ["签订"]),
    ("签订方", lambda e: e["签订责任书"].pop("签订方"), ["会上签订了《2024年度基层统战工作目标责任书》。"], ["会上，"]),
    ("交流发言", _drop("交流发言"), ["目标责任书》。\n"], ["交流发言"]),
    ("签订责任书和交流发言", _drop("签订责任书", "交流发言"), [], ["会上", "交流发言"]),
    ("新闻稿", _drop("新闻稿"), ["\n" + INDENT + "3月28日上午，青禾区在"], ["本报讯", "林晓岚"]),
    ("署名", _set(新闻稿={"电头": "本报讯"}), [INDENT + "本报讯\u30003月28日上午，"], ["通讯员"]),
    ("电头", _set(新闻稿={"记者": ["王明", "李华"], "通讯员": "林晓岚"}),
     ["\n记者 王明 李华 通讯员 林晓岚\n" + INDENT + "3月28日上午，"], ["本报讯"]),
    ("主体", _drop("主体"), ["中共枫岭市青禾区委召开2024年全区统一战线工作会议\n", "，中共枫岭市青禾区委在区行政中心"], []),
    ("主体和主办", _drop("主体", "主办"), ["枫岭市青禾区召开2024年全区统一战线工作会议\n"], []),
    ("主标题", _set(新闻稿={"主标题": "同心同向 共促发展"}),
     ["同心同向 共促发展\n青禾区召开2024年全区统一战线工作会议\n"], []),
    ("副题和引题", _set(新闻稿={"引题": "凝心聚力", "主标题": "同心同向", "副题": "全区统战工作会议召开"}),
     ["凝心聚力\n同心同向\n全区统战工作会议召开\n"], ["青禾区召开"]),
    ("结语", _set(结语="会议号召，全区统一战线要为青禾高质量发展作出新的更大贡献"),
     [INDENT + "会议号召，全区统一战线要为青禾高质量发展作出新的更大贡献。\n"], []),
    ("听取、强调和指出", _set(听取="区委统战部工作汇报", 强调=["要甲。", "要乙"], 指出="统战工作十分重要"),
     ["会议听取了区委统战部工作汇报。", "会议强调，要甲；要乙。", "会议指出，统战工作十分重要。"], []),
    ("另一年的日期", _set(日期=datetime.date(2023, 12, 28)), ["2023年12月28日上午，青禾区"], []),
]


TRAINING_VARIANTS = [
    ("结束日期", _drop("结束日期"), [INDENT + "6月18日，区委统战部在"], ["至"]),
    ("跨月", _set(结束日期=datetime.date(2024, 7, 2)), ["6月18日至7月2日，"], []),
    ("一天的培训写时段", lambda e: e.update(时段="上午") or e.pop("结束日期"), ["6月18日上午，区委统战部"], []),
    ("地点", _drop("地点"), ["，区委统战部举办2024年"], ["党校"]),
    ("主体", _set(主体="青禾区"), ["青禾区举办2024年全区党外代表人士和统战干部能力提升培训班\n"], []),
    ("参训对象", _drop("参训对象"), ["参训人员共120名。"], ["参训人员为"]),
    ("参训人数", _drop("参训人数"), ["参训人员为党外代表人士、街道（镇）统战委员和村（社区）统战联络员。"], ["120名"]),
    ("参训对象和人数", _drop("参训对象", "参训人数"), ["能力提升培训班。\n"], ["参训"]),
    ("主持", _drop("主持"), [INDENT + "区委常委、统战部部长程静澜作开班动员讲话。"], ["开班式由"]),
    ("出席领导", _drop("出席领导"), ["开班式由区委统战部副部长周雨桐主持。\n"], ["动员", "强调"]),
    ("主持和出席领导", _drop("主持", "出席领导"), ["共120名。\n" + INDENT + "培训内容包括"], ["开班式"]),
    ("方式", _leader(0, 方式=None), ["程静澜出席开班式。"], []),
    ("内容", _drop("内容"), [INDENT + "学员撰写心得体会110余篇，形成意见建议26条。"], ["培训内容"]),
    ("成效", _drop("成效"), ["分组研讨和交流发言。\n"], ["学员撰写"]),
    ("内容和成效", _drop("内容", "成效"), [], ["培训内容", "学员"]),
    ("参加", _set(参加=["各街道（镇）分管负责同志"]), ["各街道（镇）分管负责同志参加开班式。"], []),
]


VISIT_VARIANTS = [
    ("带队", _drop("带队"),
     ["区委统战部到云溪街道调研基层统战实践阵地建设工作\n", INDENT + "区委统战部先后来到云溪街道"], ["程静澜", "一行"]),
    ("地点", _drop("地点"), ["程静澜调研基层统战实践阵地建设工作\n", "统战部部长程静澜调研基层统战"], ["程静澜到"]),
    ("时段", _drop("时段"), [INDENT + "9月12日，区委常委"], ["下午"]),
    ("陪同", _drop("陪同"), [], ["陪同"]),
    ("几人陪同", _set(陪同=["区委统战部副部长周雨桐", "云溪街道党工委书记许文博"]),
     ["区委统战部副部长周雨桐和云溪街道党工委书记许文博陪同。"], []),
    ("一处行程", _set(行程="云溪街道“禾心驿站”"), ["程静澜一行来到云溪街道“禾心驿站”，实地察看"], ["先后"]),
    ("察看", _drop("察看"), ["新的社会阶层人士实践创新基地。\n"], ["察看"]),
    ("行程", _drop("行程"), [INDENT + "程静澜一行实地察看阵地建设和活动开展情况，听取街道工作汇报。"], ["来到"]),
    ("行程和察看", _drop("行程", "察看"), ["陪同。\n" + INDENT + "程静澜强调"], ["一行"]),
    ("讲话要点", _leader(0, 讲话要点=None), [], ["强调"]),
    ("主持", _set(主持={"职务": "区委统战部副部长", "姓名": "周雨桐"}), ["活动由区委统战部副部长周雨桐主持。"], []),
    ("主持和名称", _set(主持={"姓名": "周雨桐", "职务": "副部长"}, 名称="新的社会阶层人士座谈会"),
     ["新的社会阶层人士座谈会由副部长周雨桐主持。"], []),
    ("参加", _set(参加="新的社会阶层人士代表"), ["新的社会阶层人士代表参加活动。"], []),
]


FEATURE_VARIANTS = [
    ("综述", lambda d: d.pop("综述"), ["\n——区委统战部2024年工作综述\n"], ["一年来"]),
    ("一年来", lambda d: d["综述"].pop("一年来"), [], ["一年来"]),
    ("主标题和署名", lambda d: d["综述"].update(主标题="织密同心网 凝聚奋进力", 署名="通讯员 林晓岚"),
     ["织密同心网 凝聚奋进力\n——区委统战部2024年基层统战工作综述\n通讯员 林晓岚\n"], ["织密网络、"]),
    ("主体和时段", lambda d: d["综述"].update(主体="青禾区", 时段="2024年"), [INDENT + "2024年，青禾区全面贯彻落实"], []),
    ("汇报时段", lambda d: d["汇报"].pop("时段"), [INDENT + "2024年，枫岭市青禾区全面贯彻落实"], ["今年以来"]),
    ("标题展开", lambda d: d["工作领域"][0].pop("标题展开"), ["\n" + INDENT + "织密网络\n"], ["压实责任链条"]),
    ("成效", lambda d: d["工作领域"][0].pop("成效"), ["抓好落实的责任链条。\n"], ["网更密"]),
    ("领句", lambda d: d["工作领域"][0]["要点"][0].pop("领句"), [INDENT + "将统战工作纳入"], ["压紧领导责任"]),
    ("下一步", lambda d: d.pop("下一步"), [], ["下一步"]),
    ("结语", lambda d: d["综述"].update(结语="新的一年，全区统一战线将继续奋发有为"),
     [INDENT + "新的一年，全区统一战线将继续奋发有为。\n"], ["下一步"]),
]


def _event(index, change):
    return lambda data: change(data["活动"][index])


VARIANTS = (
    [("meeting", name, _event(MEETING, change), *rest) for name, change, *rest in MEETING_VARIANTS]
    + [("training", name, _event(TRAINING, change), *rest) for name, change, *rest in TRAINING_VARIANTS]
    + [("2024-03", name, _event(VISIT, change), *rest) for name, change, *rest in VISIT_VARIANTS]
    + [("feature", *variant) for variant in FEATURE_VARIANTS]
)


@pytest.mark.parametrize("chosen, name, change, present, absent", VARIANTS, ids=[f"{v[0]}-{v[1]}" for v in VARIANTS])
def test_every_optional_fact_may_be_absent(tmp_path, chosen, name, change, present, absent):
    """Each optional fact changed or left out: its sentence goes (or changes) and the rest still reads."""
    data = sample()
    change(data)
    options = {"style": chosen} if chosen == "feature" else {"event": chosen}
    text = text_of(write(tmp_path, data), **options)
    for needle in present:
        assert needle in text, (needle, text)
    for needle in absent:
        assert needle not in text, (needle, text)
    _reads_clean(text)


def _reads_clean(text):
    assert "【待补" not in text
    assert not re.search(r"[，、；：]。|。[，。；]|，，|^[\s\u3000]*$|None|Missing", text.rstrip("\n"), re.M), text


def test_missing_title_of_a_person_is_a_counted_placeholder(tmp_path):
    data = sample()
    del data["活动"][MEETING]["主持"]["职务"]
    draft = make_draft("news", write(tmp_path, data), event="meeting")
    assert draft.placeholder_count == 1
    assert "会议由【待补：职务】韩立松主持。" in render(draft, "txt").decode()


def test_a_speech_subhead_is_unnumbered(tmp_path):
    data = sample()
    data["活动"][MEETING]["出席领导"][0]["小标题"] = "把准方向，凝聚共识"
    draft = make_draft("news", write(tmp_path, data), event="meeting")
    heads = [b for b in draft.document.blocks if isinstance(b, Heading)]
    assert len(heads) == 1 and not any(isinstance(i, Generated) for i in heads[0].inlines)  # no 一、 before it
    assert "\n" + INDENT + "把准方向\u3000凝聚共识\n" + INDENT + "陆启航在讲话中强调，" in render(draft, "txt").decode()


def test_a_report_giver_speaks_in_the_report(tmp_path):
    data = sample()
    data["活动"][MEETING]["出席领导"][1]["讲话要点"] = "全年工作成效明显"
    assert "程静澜在报告中强调，全年工作成效明显。" in text_of(write(tmp_path, data), event="meeting")


def test_feature_without_the_speech_section_marks_what_is_missing(tmp_path):
    data = sample()
    del data["汇报"]
    draft = make_draft("news", write(tmp_path, data), style="feature")
    text = render(draft, "txt").decode()
    assert INDENT + "2024年，枫岭市青禾区【待补：总体成效】。\n" in text and draft.placeholder_count == 1


# --------------------------------------------------------------------------- punctuation


def test_half_width_punctuation_is_fixed_and_reported_at_its_line(tmp_path):
    text = SAMPLE_TEXT.replace("名称: 2024年全区统一战线工作会议", "名称: 2024年全区统一战线工作会议(试行)")
    text = text.replace("总结2023年全区统战工作，安排部署", "总结2023年全区统战工作,安排部署")
    path = tmp_path / "2024.yaml"
    path.write_text(text, encoding="utf-8")
    result = invoke("news", path, "--event", "meeting", "--format", "txt")
    assert result.exit_code == 0, result.output
    line, column = line_of(text, "2024年全区统一战线工作会议(试行)")
    assert (f"提示：{path}:{line}:{column}: 活动[1].名称: 半角标点已改为全角："
            "“(”→“（”（1 处）、“)”→“）”（1 处）") in result.output
    assert "活动[1].主要任务: 半角标点已改为全角：“,”→“，”（1 处）" in result.output
    release = Path("2024-01-会议新闻稿.txt").read_text(encoding="utf-8")
    assert "召开2024年全区统一战线工作会议（试行）。" in release and "统战工作，安排部署" in release
    assert "," not in release and "(" not in release


def test_the_speech_is_normalised_too(tmp_path):
    text = SAMPLE_TEXT.replace("推动统战工作重心下移、力量下沉，全区", "推动统战工作重心下移、力量下沉 , 全区")
    path = tmp_path / "2024.yaml"
    path.write_text(text, encoding="utf-8")
    result = invoke("speech", path, "--format", "txt", "-o", "s.txt")
    assert result.exit_code == 0
    line, column = line_of(text, "推动统战工作重心下移")
    assert f"提示：{path}:{line}:{column}: 汇报.总体成效: 半角标点已改为全角：“,”→“，”（1 处）" in result.output
    assert "力量下沉，全区" in Path("s.txt").read_text(encoding="utf-8")


def test_normalising_keeps_positions_and_touches_only_text():
    sheet = load_sheet(SAMPLE)
    normalised = normalise_sheet(sheet)
    assert normalised.data == sheet.data and normalised.positions is sheet.positions
    assert normalised.warnings == sheet.warnings


# --------------------------------------------------------------------------- errors inside events


def test_missing_name_of_the_host_is_reported_where_the_event_says_it(tmp_path):
    text = SAMPLE_TEXT.replace("      姓名: 韩立松                  # 主持人姓名（必填）\n", "")
    path = tmp_path / "2024.yaml"
    path.write_text(text, encoding="utf-8")
    result = invoke("news", path, "--event", "2024-01")
    assert result.exit_code == 1
    line, column = line_of(text, "主持:", after=line_of(text, "编号: 2024-01")[0])
    assert result.output.strip().splitlines() == [f"{path}:{line}:{column}: 活动[1].主持.姓名: 缺少必填字段“姓名”"]


def test_a_bad_date_and_an_unknown_key_in_an_event(tmp_path):
    text = SAMPLE_TEXT.replace("结束日期: 2024-06-20", "结束日期: 2024-06-31")
    text = text.replace("    参训人数: 120名", "    参训人: 120名")
    path = tmp_path / "2024.yaml"
    path.write_text(text, encoding="utf-8")
    result = invoke("news", path, "--event", "training")
    assert result.exit_code == 1
    line, column = line_of(text, "2024-06-31")
    assert f"{path}:{line}:{column}: 活动[2].结束日期: “2024-06-31”不是有效的日期（2024年6月只有 30 天）" in result.output
    line, column = line_of(text, "参训人:")
    assert f"{path}:{line}:{column}: 活动[2].参训人: 未知字段“参训人”，是否想写“参训人数”？" in result.output
    # problems in one event never stop another event's release
    assert invoke("news", path, "--event", "meeting").exit_code == 0


def test_validating_through_a_mount_names_missing_facts_by_their_sheet_path():
    sheet = load_sheet(SAMPLE)
    schema = load_schema(find_pack("news", "activity").schema_files)
    facts = validate(sheet, schema, {"event": ("活动", CONDOLENCE)})
    place = facts["event"]["place"]
    assert isinstance(place, Missing) and place.path == "活动[4].地点"
    assert facts["event"]["leaders"][0]["name"] == "陆启航"


# --------------------------------------------------------------------------- templates


def test_news_templates_carry_no_number_and_use_the_news_layout():
    for template in NEWS.rglob("*.j2"):
        literal = re.sub(r"\{#.*?#\}", "", template.read_text(encoding="utf-8"), flags=re.S)
        assert not re.search(r"\d", literal), template
    for style in ("meeting", "training", "activity", "feature"):
        assert find_pack("news", style).layout == "news"


def test_every_type_has_a_pack_and_shared_fields_are_defined_once():
    table = yaml.safe_load((NEWS / "types.yaml").read_text(encoding="utf-8"))
    for style in table:
        assert (NEWS / style / "outline.md.j2").is_file()
    schemas = "\n".join(p.read_text(encoding="utf-8") for p in NEWS.rglob("*.yaml"))
    for speech_field in ("areas:", "unit:", "year:", "full_name:"):
        assert f"\n{speech_field}" not in schemas and f" {speech_field}" not in schemas
    parts = find_pack("news", "feature").schema_files
    assert (builtin_templates() / "speech" / "schema.yaml",
            ("year", "unit", "speech", "areas", "heading_frame", "plans")) in parts


def _project_pack(tmp_path, schemas):
    folder = tmp_path / "templates" / "news" / "brief"
    folder.mkdir(parents=True)
    (folder / "template.yaml").write_text(f"title: 简讯\nlayout: news\nschemas:\n{schemas}", encoding="utf-8")
    (folder / "outline.md.j2").write_text("# {{ unit.short_name }}简讯\n", encoding="utf-8")


def test_a_project_pack_shares_schemas_by_name(tmp_path):
    _project_pack(tmp_path, "  - {file: speech/schema.yaml, fields: [year, unit]}\n")
    result = invoke("news", SAMPLE, "--style", "brief", "--format", "txt")
    assert result.exit_code == 0, result.output
    assert Path("2024-简讯.txt").read_text(encoding="utf-8").startswith("区委统战部简讯\ndrafter-fingerprint: ")


@pytest.mark.parametrize("entry, message", [
    ("  - ../../facts/2024.yaml\n", "应是 templates/ 下的相对路径"),
    ("  - news/nothing.yaml\n", "找不到共用字段定义文件“news/nothing.yaml”"),
    ("  - {file: speech/schema.yaml, fields: [nothing]}\n", "没有要取用的字段：nothing"),
])
def test_bad_shared_schemas_are_reported(tmp_path, entry, message):
    _project_pack(tmp_path, entry)
    result = invoke("news", SAMPLE, "--style", "brief")
    assert result.exit_code == 1 and message in result.output


def test_news_help_names_its_options():
    result = invoke("news", "--help")
    assert result.exit_code == 0
    for option in ("--event", "--style", "--output", "--format", "--layout", "--force"):
        assert option in result.output
    assert "news" in invoke("--help").output


def test_choose_reports_positions_for_a_non_list_section(tmp_path):
    data = sample()
    data["活动"] = "会议"
    path = write(tmp_path, data)
    with pytest.raises(DrafterError) as error:
        choose(load_sheet(path), "meeting", load_catalog(template_roots()))
    line, column = line_of(path.read_text(encoding="utf-8"), "活动:")
    assert str(error.value) == f"{path}:{line}:{column}: 活动: 应是列表：每项活动以“- ”开头"


def test_a_type_table_with_a_number_for_synonyms_is_reported_at_its_line(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    folder = tmp_path / "templates" / "news"
    folder.mkdir(parents=True)
    text = (NEWS / "types.yaml").read_text(encoding="utf-8") + "  座谈会: 5\n"
    (folder / "types.yaml").write_text(text, encoding="utf-8")
    result = invoke("news", SAMPLE, "--event", "meeting", "--format", "txt")
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit), result.exception
    assert f"types.yaml:{len(text.splitlines())}:" in result.output and "同义写法" in result.output
