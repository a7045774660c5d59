"""核稿 rules from GB/T 15834 (punctuation), GB/T 15835 (numbers) and common practice (repeats):
what each finds, exactly where and with what fix — and, above all, silence on correct 公文."""
from pathlib import Path

import pytest
import yaml

from drafter.check import numbers, punctuation, repeats
from drafter.check.findings import (
    DOUBT,
    ERROR,
    GB9704,
    GB15834,
    GB15835,
    HINT,
    PRACTICE,
    SEVERITIES,
)
from drafter.readers import ReadParagraph

WORDS = yaml.safe_load((Path(__file__).resolve().parent.parent / "templates" / "check.yaml").read_text("utf-8"))
RULES = (punctuation, numbers, repeats)


def paras(*texts, label=""):
    return [ReadParagraph(number=i + 1, position=i, text=t, label=label if i == 0 else "") for i, t in enumerate(texts)]


def found(*texts, label=""):
    ps = paras(*texts, label=label)
    return [f for module in RULES for f in module.check(ps, WORDS)]


def one(text, rule, label=""):
    hits = [f for f in found(text, label=label) if f.rule == rule]
    assert len(hits) == 1, (text, hits)
    return hits[0]


def span(text, finding, label=""):
    return (label + text)[finding.start:finding.end]


def fixed(text, label=""):
    """The paragraph with every fix applied, right to left."""
    full = label + text
    for f in sorted((f for f in found(text, label=label) if f.fix is not None), key=lambda f: -f.start):
        full = full[:f.start] + f.fix + full[f.end:]
    return full


# --------------------------------------------------------------------------- correct 公文: no finding

CORRECT = [
    "区委常委会5次专题研究统战工作，审议《青禾区基层统一战线工作责任清单》等文件4份。",
    "一是压紧领导责任；二是压紧属地责任；三是压紧部门责任。",
    "全年接待来访群众1200余人次，同比增长12.5%。",
    "（一）织密网络，压实责任链条",
    "（一）织密网络，压实责任链条。坚持党对统战工作的全面领导，把基层统战工作摆上区委重要议事日程。",
    "2024年12月17日",
    "“三聚三强”",
    "——2024年全市统一战线工作综述",
    "各位领导、同志们：",
    "十四五",
    "实实在在",
    "一、坚持党建引领，推动基层统战工作提质增效",
    "1.健全工作机制。街道党工委每季度专题研究统战工作1次，全年召开联席会议4次。",
    "（1）建立台账，实行动态管理。",
    "— 1 —",
    "— 12 —",
    "凝聚新力量 共绘新图景",
    "青禾区委常委、统战部部长 程静澜",
    "（2024年12月17日）",
    "同志们：",
    "汇报完毕，谢谢大家！",
    "下面，请区委书记作重要讲话，大家欢迎。",
    "我们要一以贯之地坚持“两个确立”、做到“两个维护”，不断增强“四个意识”、坚定“四个自信”。",
    "全区一律实行“季度调度、半年评估、年终考核”工作机制，一方面压实责任，另一方面传导压力。",
    "这是我区第一次召开统战工作现场推进会，也是第1次把阵地建设纳入年度考核。",
    "会议于星期五下午举行，各街道要把“十四五”规划确定的目标任务逐项落实到位。",
    "区政协委员中党外人士占比达61.5%，较上年提高3.2个百分点。",
    "投入帮扶资金4600余万元，引导新的社会阶层人士领办创办项目19个，总投资2.35亿元。",
    "建立9类16385名统战成员数据库，入库612名，全年推荐38名优秀党外人士。",
    "服务群众约1.2万人次，募集善款135万余元，参与化解矛盾纠纷210余件。",
    "为27家成员单位制定“职责清单＋任务清单”，做到任务到岗、责任到人。",
    "出台《青禾区统战实践阵地建设规范（试行）》，全年新建、提升阵地21个。",
    "培育“侨乡茶话”“新青年创客汇”等特色品牌11个，做到一街一品、一园一特。",
    "全区9个街道（镇）全部明确党（工）委书记为第一责任人，112个村（社区）全部配备统战联络员。",
    "学习习近平新时代中国特色社会主义思想，转变工作作风，发展全过程人民民主。",
    "各级党组织组织党员干部深入基层，人大代表代表人民行使权力。",
    "为了了解群众需求，各街道以及及时回应群众关切为重点，推动问题不了了之的现象得到扭转。",
    "我们要实事求是，坚持常常抓、长长抓，一步一步推进，一件一件落实，方方面面统筹兼顾。",
    "大家要认认真真学习、扎扎实实工作，家家户户都能感受到变化。",
    "要把这项工作研究研究，再讨论讨论，看看还有哪些不足。",
    "会议时间为上午9:30至11:00，地点在区委三楼会议室。",
    "全年共接待群众3,200人次，办结率100%。",
    "详见区委统战部网站https://www.example.gov.cn/tz?id=1,2，或发邮件至tzb@example.gov.cn。",
    "The meeting (held in Qinghe) was a success, and everyone agreed: well done!",
    "1922—2022，一个醒目的时间刻度。",
    "“十三五”期间（2016—2020年），全区民营经济增加值年均增长8.5%。",
    "京津冀协同发展和北京—上海高铁沿线的考察安排如下。",
    "一、二、三产业融合发展，第一、二季度主要指标稳中有进。",
    "春节前后开展三四次走访，每次走访七八户困难群众。",
    "三、四个方面的问题要引起重视。",
    "他说：“我们要坚持‘四下基层’，把工作做到群众心坎上。”",
    "“同心向党·禾声嘹亮”主题教育覆盖党外人士2600余人次……",
    "我们要问一问：工作做实了吗？群众满意了吗？",
    "这是多么了不起的成就！！",
    "真的做到了吗？！",
    "2024年2月29日，区委召开全区统战工作会议。",
    "会议强调，要持续推进“五个一”工程——一个阵地、一支队伍、一套制度、一批品牌、一张清单。",
    "本报讯（记者 林小禾 通讯员 周青）12月17日，全市基层统一战线工作现场推进会在青禾区召开。",
    "出席会议的有：张　三、李四明、王　五等同志。",
    "会议传达学习了全国、全省统战部长会议精神，总结2023年工作，部署2024年重点任务。",
    "二〇二四年是中华人民共和国成立75周年。",
    "第一，要提高政治站位；第二，要压实工作责任；第三，要强化督促检查。",
    "首先，请区委常委、统战部部长作工作报告。",
    "全市统战系统涌现出一大批先进典型，人人争当先锋，个个勇挑重担。",
    "约有1.2万人次参加，参会人员200人左右。",
    "我们将严格履约，制约权力运行，节约办会成本。",
    "组织统战成员开展“同心微家”建设，建成35个，覆盖率达90%以上。",
    "同比分别增长-6.2%、-19.3%，降幅有所收窄。",
    "时间：2024年12月17日（星期二）下午3:00",
    "2023年是全面贯彻党的二十大精神的开局之年，也是“八八战略”实施20周年。",
    "与会同志围绕“如何发挥统一战线优势”展开讨论，大家一致认为：必须坚持大团结大联合。",
    "该项工作考核排名全省第一、全国第三。",
    "5、6月份集中开展走访慰问。",
    "双方续约3年左右，签约项目约20个。",
    "对群众反映的问题涉及及时办理的，要限时办结。",
    "构建共建共治共享的基层治理格局，推动自治法治德治相结合。",
    "区委统战部联合区民宗局、区工商联，开展“同心护航”行动。",
    "（二）关于区委支持政协履职的工作情况。",
    "会议由区委副书记主持。区委常委、统战部部长出席会议并讲话。",
    "附件：1.青禾区统战实践阵地名单",
    "一是把控思想引领“切入点”。二是找准服务发展“着力点”。",
    "全年开展各类活动460余场次，服务群众约1.2万人次。",
]


@pytest.mark.parametrize("text", CORRECT)
def test_correct_usage_is_quiet(text):
    assert found(text) == []


def test_correct_paragraphs_together_are_quiet():
    texts = [
        "关于印发《青禾区2024年基层统一战线工作要点和责任清单（试行）》的通知",
        "各街道（镇）党（工）委，区委各部委，区级各部门：",
        "现将《青禾区2024年基层统一战线工作要点和责任清单（试行）》印发给你们，请结合实际认真贯彻落实。",
        "中共青禾区委办公室",
        "2024年3月5日",
        "（此件公开发布）",
    ]
    assert [f for module in RULES for f in module.check(paras(*texts), WORDS)] == []


def test_quotation_over_paragraphs_is_quiet():
    """Each paragraph of a long quotation opens with “ and only the last one closes it."""
    texts = ["总书记指出：", "“做好新时代统战工作，要坚持大团结大联合。", "“要把握好一致性和多样性的关系。”"]
    assert [f for f in punctuation.check(paras(*texts), WORDS)] == []


def test_automatic_label_is_part_of_the_text():
    assert found("健全工作机制。", label="1.") == []
    assert found("1次专题会议研究部署。", label="1.") == []
    assert found("一是抓统筹。", label="一、") == []


# --------------------------------------------------------------------------- punctuation

@pytest.mark.parametrize("text, mark, full", [
    ("坚持大团结大联合,推动工作。", ",", "，"),
    ("主要任务是:传达会议精神。", ":", "："),
    ("压实责任;强化考核。", ";", "；"),
    ("工作做实了吗?群众满意了吗？", "?", "？"),
    ("谢谢大家!", "!", "！"),
])
def test_halfwidth_marks(text, mark, full):
    f = one(text, "punct.halfwidth")
    assert (f.severity, f.source, f.paragraph) == (ERROR, GB15834, 1)
    assert span(text, f) == mark and f.fix == full
    assert f.start == text.index(mark)


def test_halfwidth_full_stop():
    text = "印发文件8份.全年召开会议12次."
    hits = [f for f in found(text) if f.rule == "punct.halfwidth"]
    assert [(f.start, f.fix) for f in hits] == [(6, "。"), (16, "。")]
    assert found("Mr. Wang说，3.14亿元，附件1.xlsx已收到。") == []


def test_halfwidth_brackets_go_in_pairs():
    text = "出台《实践阵地建设规范(试行)》。"
    hits = [f for f in found(text) if f.rule == "punct.halfwidth"]
    assert [(span(text, f), f.fix) for f in hits] == [("(", "（"), (")", "）")]
    assert fixed(text) == "出台《实践阵地建设规范（试行）》。"
    assert fixed("(1)建立台账。") == "（1）建立台账。"


def test_halfwidth_spaces_go_with_the_mark():
    text = "召开会议 , 部署工作。"
    f = one(text, "punct.halfwidth")
    assert span(text, f) == " , " and fixed(text) == "召开会议，部署工作。"


def test_halfwidth_not_in_numbers_times_latin_or_addresses():
    for text in ("上午9:30召开", "共3,200人", "see (a) and (b), then stop.", "网址http://a.cn/x?a=1,2见附件。",
                 "邮箱tz,b@x.cn"):
        assert [f for f in found(text) if f.rule == "punct.halfwidth"] == [], text


def test_straight_quotes_pair_up():
    text = '围绕"三聚三强",聚焦\'基层\'。'
    hits = [f for f in found(text) if f.rule == "punct.straight-quote"]
    assert [(f.start, f.fix) for f in hits] == [(2, "“"), (7, "”"), (11, "‘"), (14, "’")]
    assert all(f.severity == ERROR and f.source == GB15834 for f in hits)
    assert fixed(text) == "围绕“三聚三强”，聚焦‘基层’。"


def test_straight_quote_unpaired_has_no_fix():
    text = '围绕"三聚三强，推动工作。'
    f = one(text, "punct.straight-quote")
    assert f.start == 2 and f.fix is None


def test_apostrophe_in_latin_is_left():
    assert found("It's fine.") == []


@pytest.mark.parametrize("text, at, rule", [
    ("出台《工作规范（试行）。", 2, "punct.unbalanced"),
    ("打造“禾心驿站品牌。", 2, "punct.unbalanced"),
    ("打造禾心驿站”品牌。", 6, "punct.unbalanced"),
    ("建设阵地（含楼宇，新建21个。", 4, "punct.unbalanced"),
    ("见〔2024〕12号文和【附件1。", 12, "punct.unbalanced"),
])
def test_unbalanced(text, at, rule):
    f = one(text, rule)
    assert f.start == at and f.end == at + 1 and f.severity == DOUBT and f.fix is None


def test_unbalanced_quote_when_next_paragraph_does_not_reopen():
    hits = [f for f in punctuation.check(paras("他说：“要坚持大团结。", "会议强调，要抓好落实。"), WORDS)]
    assert [(f.rule, f.paragraph, f.start) for f in hits] == [("punct.unbalanced", 1, 3)]


def test_enumerator_bracket_has_no_opening():
    assert found("1）建立台账，实行动态管理。") == []


def test_nested_double_quotes():
    text = "他强调：“要做到“两个维护”，坚定信心。”"
    f = one(text, "punct.nested-quote")
    assert (f.start, f.severity, f.source) == (8, DOUBT, GB15834)


@pytest.mark.parametrize("text, run, fix", [
    ("召开会议，，部署工作。", "，，", "，"),
    ("部署工作。。", "。。", "。"),
    ("民营经济、、民族宗教", "、、", "、"),
    ("压实责任；；强化考核。", "；；", "；"),
    ("主要任务是：：传达精神。", "：：", "："),
    ("召开会议，。部署工作。", "，。", None),
    ("部署工作。，推动落实。", "。，", None),
    ("民营经济、，民族宗教", "、，", None),
    ("好不好？。", "？。", None),
])
def test_doubled_marks(text, run, fix):
    f = one(text, "punct.doubled")
    assert span(text, f) == run and f.fix == fix and f.severity == ERROR


def test_dunhao_in_approximate_numbers():
    text = "每次走访三、四个村，看望五、六户群众。"
    hits = [f for f in found(text) if f.rule == "punct.dunhao-approx"]
    assert [(f.start, f.fix) for f in hits] == [(5, ""), (13, "")]
    assert all(f.severity == DOUBT and f.source == GB15834 for f in hits)
    assert fixed(text) == "每次走访三四个村，看望五六户群众。"


def test_dunhao_before_deng():
    text = "民营经济、民族宗教、等领域"
    f = one(text, "punct.dunhao-deng")
    assert (f.start, f.fix, f.severity) == (9, "", DOUBT)
    assert fixed(text) == "民营经济、民族宗教等领域"


@pytest.mark.parametrize("text, typed", [
    ("开展学习教育、建言献策...等活动。", "..."),
    ("开展学习教育、建言献策......", "......"),
    ("开展学习教育、建言献策。。。", "。。。"),
    ("开展学习教育、建言献策…", "…"),
])
def test_ellipsis(text, typed):
    f = one(text, "punct.ellipsis")
    assert span(text, f) == typed and f.fix == "……" and f.severity == ERROR


@pytest.mark.parametrize("text, typed", [
    ("交出精彩答卷--这答卷写在群众心里。", "--"),
    ("—在全市统战工作会议上的讲话", "—"),
    ("交出精彩答卷，—这答卷写在群众心里。", "—"),
    ("一批品牌—“同心微家”遍地开花。", "—"),
])
def test_dash(text, typed):
    f = one(text, "punct.dash")
    assert span(text, f) == typed and f.fix == "——" and f.severity == DOUBT


def test_space_in_running_text():
    text = "区委统一战线工作领导小组召开全体会议 研究部署全年统战工作重点任务和责任分工。"
    f = one(text, "punct.space")
    assert (f.start, f.end, f.fix, f.severity, f.source) == (18, 19, "", DOUBT, PRACTICE)


def test_space_in_short_or_unfinished_lines_is_left():
    assert found("凝聚新力量 共绘新图景 奋力谱写统一战线高质量发展新篇章") == []


def test_running_text_without_end_mark():
    text = "区委常委会5次专题研究统战工作。全年印发工作提示和督办函17份，推动年度重点任务按期落地"
    f = one(text, "punct.no-end")
    assert (f.severity, f.source, f.start) == (HINT, PRACTICE, len(text) - 1)
    assert "通常" in f.message and "应" not in f.message


def test_long_title_without_end_mark_is_left():
    assert found("关于印发《青禾区2024年基层统一战线工作要点和责任清单及考核办法》的通知") == []
    assert found("一、坚持党建引领，织密组织网络，推动基层统一战线工作提质增效全域覆盖") == []


@pytest.mark.parametrize("text, at, typed, fix, severity", [
    ("一.基本情况", 1, ".", "、", ERROR),
    ("二，主要工作", 1, "，", "、", ERROR),
    ("（一）、健全机制", 3, "、", "", ERROR),
    ("（1）.建立台账。", 3, ".", "", ERROR),
    ("1．健全工作机制。", 1, "．", ".", DOUBT),
])
def test_enumerators(text, at, typed, fix, severity):
    f = one(text, "punct.enumerator")
    assert (f.start, span(text, f), f.fix, f.severity, f.source) == (at, typed, fix, severity, GB15834)


def test_arabic_enumerator_with_dunhao_is_a_hint():
    f = one("1、树立一个理念。", "punct.enumerator-dun")
    assert (f.start, f.severity, f.source, f.fix) == (1, HINT, PRACTICE, None)
    assert "通常" in f.message


def test_ordinal_takes_a_comma():
    text = "第一、要认识到成绩来之不易；首先、要统一思想。"
    hits = [f for f in found(text) if f.rule == "punct.ordinal-comma"]
    assert [(f.start, f.fix) for f in hits] == [(2, "，"), (16, "，")]
    assert fixed(text) == "第一，要认识到成绩来之不易；首先，要统一思想。"


def test_no_fix_inside_word_numbering():
    """Word's automatic number (label) is reported but not rewritten by --fix."""
    hits = found("织密网络", label="(一)")
    assert [(f.rule, f.start, f.fix) for f in hits] == [("punct.halfwidth", 0, None), ("punct.halfwidth", 2, None)]


def test_halfwidth_enumerator_brackets_are_fixed_once():
    text = "(一)织密网络"
    hits = found(text)
    assert [(f.rule, f.start) for f in hits] == [("punct.halfwidth", 0), ("punct.halfwidth", 2)]
    assert fixed(text) == "（一）织密网络"


# --------------------------------------------------------------------------- numbers

def test_fullwidth_digits():
    text = "全年开展活动１２场，覆盖率达９５．５%。"
    hits = [f for f in found(text) if f.rule == "num.fullwidth"]
    assert [(span(text, f), f.fix) for f in hits] == [("１２", "12"), ("９５．５", "95.5")]
    assert all(f.severity == ERROR and f.source == GB15835 for f in hits)


@pytest.mark.parametrize("text, typed", [
    ("投入资金5千万元。", "5千"),
    ("培训1百人次。", "1百"),
    ("募集善款3万5千元。", "5千"),
])
def test_digits_mixed_with_numerals(text, typed):
    f = one(text, "num.mixed")
    assert span(text, f) == typed and f.severity == DOUBT and f.source == GB15835 and f.fix is None


def test_units_with_qian_are_not_numerals():
    assert found("新修道路5千米，装机容量300千瓦，全长12千米。") == []


@pytest.mark.parametrize("text, year, fix", [
    ("二〇二四年十二月十七日", None, None),
    ("二零二四年工作总结", "二零二四", "二〇二四"),
    ("二○二四年工作总结", "二○二四", "二〇二四"),
    ("二O二四年工作总结", "二O二四", "二〇二四"),
    ("2O24年工作总结", "2O24", None),
])
def test_year_forms(text, year, fix):
    hits = [f for f in found(text) if f.rule == "num.mixed-year"]
    if year is None:
        assert hits == []
        return
    assert len(hits) == 1 and span(text, hits[0]) == year and hits[0].fix == fix


def test_chinese_full_date_is_a_hint():
    text = "二〇二四年十二月十七日"
    f = one(text, "num.chinese-date")
    assert (f.start, f.end, f.severity, f.source, f.fix) == (0, len(text), HINT, GB9704, None)


@pytest.mark.parametrize("text, typed, fix, source", [
    ("会议于2024.12.17召开。", "2024.12.17", "2024年12月17日", GB15835),
    ("会议于2024/3/5召开。", "2024/3/5", "2024年3月5日", GB15835),
    ("会议于2024-12-17召开。", "2024-12-17", "2024年12月17日", PRACTICE),
])
def test_date_forms(text, typed, fix, source):
    f = one(text, "num.date-form")
    assert span(text, f) == typed and f.fix == fix and f.severity == DOUBT and f.source == source


def test_version_numbers_and_impossible_dotted_dates_are_left():
    assert found("系统升级到2024.13.1版本。") == []


def test_hao_for_ri():
    text = "会议于2024年12月17号召开。"
    f = one(text, "num.date-hao")
    assert span(text, f) == "号" and f.fix == "日" and f.severity == DOUBT
    assert fixed(text) == "会议于2024年12月17日召开。"
    assert found("地点在区委3号楼。12月5日入住5号楼。") == []


def test_two_digit_year():
    text = "24年12月召开总结会。"
    f = one(text, "num.short-year")
    assert span(text, f) == "24" and f.severity == DOUBT
    assert found("从事统战工作24年来，始终如一。") == []


@pytest.mark.parametrize("text, typed", [
    ("2023年2月30日", "2023年2月30日"),
    ("2023年2月29日", "2023年2月29日"),
    ("4月31日", "4月31日"),
    ("2024年13月5日", "13月"),
    ("2024年13月", "13月"),
])
def test_impossible_dates(text, typed):
    f = one(text, "num.impossible-date")
    assert span(text, f) == typed and f.severity == ERROR and f.source == PRACTICE


def test_leap_day_exists():
    assert found("2024年2月29日") == [] and found("2月29日") == []


def test_percent_ranges():
    text = "增幅为10-20%。"
    f = one(text, "num.range-percent")
    assert (span(text, f), f.fix, f.severity) == ("10-20%", "10%～20%", DOUBT)
    f = one("增幅为10%-20%。", "num.range-dash")
    assert (f.severity, f.source, f.fix) == (HINT, GB15835, None)
    assert found("增幅为10%～20%。") == []


def test_decimal_comma():
    text = "实现税收4,57亿元。"
    f = one(text, "num.decimal-comma")
    assert span(text, f) == "4,57" and f.severity == DOUBT


@pytest.mark.parametrize("text, typed", [
    ("参加人数约100余人。", "约100余"),
    ("覆盖群众约3万多人。", "约3万多"),
    ("参会人员约有200人左右。", "约有200人左右"),
    ("大约五十人左右参加。", "大约五十人左右"),
])
def test_approximation_said_twice(text, typed):
    f = one(text, "num.approx-twice")
    assert span(text, f) == typed and f.severity == DOUBT and f.source == PRACTICE
    assert "通常" in f.message


# --------------------------------------------------------------------------- repeats

@pytest.mark.parametrize("text, word, at", [
    ("这是我们的的工作。", "的的", 4),
    ("区委召开了了专题会议。", "了了", 4),
    ("这是是一项重要工作。", "是是", 1),
    ("民营经济和和民族宗教工作", "和和", 4),
    ("要把统战工作工作做实。", "工作工作", 4),
    ("全区统一战线统一战线成员", "统一战线统一战线", 2),
])
def test_repeats(text, word, at):
    f = one(text, "repeat.twice")
    assert (span(text, f), f.start, f.severity, f.source, f.fix) == (word, at, DOUBT, PRACTICE, None)


def test_repeat_paragraph_number():
    hits = [f for f in repeats.check(paras("第一段没有问题。", "第二段有的的问题。"), WORDS)]
    assert [(f.paragraph, f.start) for f in hits] == [(2, 4)]


def test_repeats_leave_digits_and_label_boundaries():
    assert found("2022年、11个、100人、1111号") == []
    assert found("二是加强学习。", label="二、") == []


def test_word_list_is_data():
    words = dict(WORDS, reduplication=list(WORDS["reduplication"]) + ["工作工作"])
    assert list(repeats.check(paras("要把统战工作工作做实。"), words)) == []
    assert list(repeats.check(paras("要把统战工作工作做实。"), {})) != []  # no lists: words still checked


# --------------------------------------------------------------------------- all findings

ALL_WRONG = [
    "坚持大团结大联合,推动工作。", '围绕"三聚三强"。', "出台《规范（试行）。", "召开会议，，部署工作。", "走访三、四个村。",
    "民营经济、民族宗教、等领域", "建言献策...", "答卷--这答卷", "一.基本情况", "（一）、健全机制", "1．健全机制。",
    "1、树立理念。", "第一、要认识到", "活动１２场", "资金5千万元", "二零二四年总结", "二〇二四年十二月十七日",
    "于2024.12.17召开", "12月17号召开", "2月30日", "10-20%", "10%-20%", "4,57亿元", "约100余人",
    "我们的的工作", "统战工作工作做实",
    "区委统一战线工作领导小组召开全体会议 研究部署全年统战工作重点任务和责任分工。",
    "区委常委会5次专题研究统战工作。全年印发工作提示和督办函17份，推动年度重点任务按期落地",
    "他强调：“要做到“两个维护”，坚定信心。”",
]


def test_every_finding_is_well_formed():
    rules = set()
    for text in ALL_WRONG:
        hits = found(text)
        assert hits, text
        for f in hits:
            rules.add(f.rule)
            assert f.severity in SEVERITIES and f.source in (GB15834, GB15835, GB9704, PRACTICE)
            assert f.excerpt == "" and f.paragraph == 1 and 0 <= f.start < f.end <= len(text)
            assert f.message and all(ord(c) < 0x2E80 for c in f.rule)
            if f.source == PRACTICE:
                assert "应" not in f.message, f.message
            if f.severity == HINT:
                assert f.fix is None
    assert len(rules) >= 24
