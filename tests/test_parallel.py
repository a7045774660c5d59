"""排比 heading frames and the parallelism check."""
import re

import pytest

from drafter.document import read_outline
from drafter.parallel import check_parallel, fill_frame, frame_size

FRAME = "做{强|好|实|靓}{基层|基层|基础|基地}"


def test_a_frame_fills_the_nth_choice_of_every_slot():
    assert [fill_frame(FRAME, i) for i in range(4)] == ["做强基层", "做好基层", "做实基础", "做靓基地"]
    assert frame_size(FRAME) == 4 and frame_size("没有槽") == 0


def test_a_slot_with_too_few_choices_is_reported():
    with pytest.raises(ValueError, match="只有 2 个选项，不够第 3 个标题用"):
        fill_frame("在{组建|带动}上出实招", 2)


def outline(*headings, depth=1):
    """Sibling items at one depth; the check reads the outline, so the form they print in is no matter."""
    return read_outline("".join(f"{'#' * (depth + 1)} {h}\n正文。\n\n" for h in headings))


@pytest.mark.parametrize("headings", [
    ("做强基层", "做好基层", "做实基础", "做靓基地"),
    ("突出核心", "把准重心", "服务中心"),                          # shared tail
    ("织密网络，压实责任链条。", "织牢制度，健全运行机制。"),
    ("聚焦主业抓好党建", "立足长远抓好队伍"),                      # a shared word in the same place
])
def test_parallel_siblings_pass(headings):
    assert check_parallel(outline(*headings)) == []
    assert check_parallel(outline(*headings, depth=3)) == []  # points (run-in leads by default) alike


@pytest.mark.parametrize("headings, message", [
    (("做强基层", "做好基层工作机制"), "字数不一（4、8 字）"),
    (("做强基层党建", "健全工作制度"), "没有共同的字头、字尾或同一位置的共同词语"),
    (("聚焦主业抓好党建", "立足长远抓实队伍"), "没有共同的字头、字尾或同一位置的共同词语"),  # 抓好／抓实: not one word
    (("聚焦主业抓好党建", "抓好立足长远队伍"), "没有共同的字头、字尾或同一位置的共同词语"),  # 抓好, not in one place
])
def test_unparallel_siblings_are_warned(headings, message):
    problems = check_parallel(outline(*headings))
    assert len(problems) == 1 and message in problems[0].message
    assert problems[0].message.startswith("第1级（部分）标题不够对仗：")
    assert f"{headings[0]}／" in problems[0].message
    (problem,) = check_parallel(outline(*headings, depth=3))
    assert problem.message.startswith("第3级（点）标题不够对仗：")


def test_siblings_are_counted_per_parent():
    doc = read_outline("## 做强基层\n\n### 落实主体责任\n\n### 落实行业责任\n\n## 做好基层\n\n### 健全制度\n\n"
                       "### 完善机制体系\n")
    messages = [p.message for p in check_parallel(doc)]
    assert messages == ["第2级（节）标题不够对仗：字数不一（4、6 字）：健全制度／完善机制体系"]


def test_siblings_are_the_items_of_one_level_under_one_parent():
    # points straight under a part and points under its section are not siblings, nor a section
    # and a point; the sections before and after a paragraph of the part's own are
    text = ("## 做强基层\n#### 压紧责任\n#### 压实任务\n### 落实主体责任\n#### 建立台账制度\n"
            "#### 完善工作制度\n###/\n小结。\n### 落实{}\n")
    assert check_parallel(read_outline(text.format("行业责任"))) == []
    assert [p.message for p in check_parallel(read_outline(text.format("各项行业监管责任")))] == [
        "第2级（节）标题不够对仗：字数不一（6、10 字）：落实主体责任／落实各项行业监管责任"]
    doc = read_outline("## 做强基层\n#### 压紧责任\n#### 压实任务\n### 落实主体责任\n#### 建立台账制度\n"
                       "#### 完善工作机制体系建设\n")
    assert [p.message for p in check_parallel(doc)] == [
        "第3级（点）标题不够对仗：字数不一（6、10 字）：建立台账制度／完善工作机制体系建设"]


def test_labels_are_checked_like_leads():
    doc = read_outline("## [方法一]{.标签}做强基层\n\n## [第二招]{.标签}做好基层\n")
    assert [p.message for p in check_parallel(doc)] == [
        "第1级（部分）标签不够对仗：没有共同的字头、字尾或同一位置的共同词语：方法一／第二招"]
    assert check_parallel(read_outline("## [方法一]{.标签}做强基层\n\n## [方法二]{.标签}做好基层\n")) == []
    assert check_parallel(read_outline("## 做强基层\n\n## 做好基层\n\n#### \n甲。\n\n#### \n乙。\n")) == []


def test_four_character_leads_of_one_length_are_parallel_labels_are_not():
    assert check_parallel(outline("因地选址", "按需定制", "建强骨干")) == []
    assert check_parallel(read_outline("## [方法一]{.标签}甲\n\n## [第二招]{.标签}乙\n"))  # labels need more


def test_couplets_with_the_same_clauses_are_parallel():
    assert check_parallel(outline("深化宣传教育，夯实思想基础", "汇集区域共识，深化创建内涵", "树立先进典型，发挥示范作用")) == []
    problems = check_parallel(outline("深化宣传教育，夯实思想基础", "汇集区域共识深化创建内涵呀"))
    assert len(problems) == 1 and "没有共同的字头、字尾或同一位置的共同词语" in problems[0].message


def test_framing_headings_are_left_out_of_the_check():
    doc = read_outline("## 工作开展情况{.非排比}\n\n### 做强基层\n\n### 做好基层\n\n## 存在的问题和不足{.非排比}\n\n"
                       "## 工作计划{.no-parallel}\n")
    assert check_parallel(doc) == []
    assert [i.parallel for i in doc.items()] == [False, False, False]
    assert [i.parallel for i in doc.items()[0].items()] == [True, True]
    doc = read_outline("## 工作开展情况\n\n## 存在的问题和不足\n\n## 工作计划\n")
    assert len(check_parallel(doc)) == 1  # unmarked, the same framing is checked


def test_the_frame_filters_fill_by_loop_or_pair_items_with_their_headings():
    from drafter.render import filter_functions
    FILTERS = filter_functions()

    class Loop:
        index0 = 2
    assert FILTERS["frame_fill"](FRAME, Loop()) == "做实基础" and FILTERS["frame_fill"](FRAME, 3) == "做靓基地"
    areas = [{"heading": "织密网络"}, {"heading": ""}, {}]
    assert [h for _, h in FILTERS["frame_headings"](areas, FRAME)] == ["织密网络", "做好基层", "做实基础"]
    assert [h for _, h in FILTERS["frame_headings"](areas[:1], None)] == ["织密网络"]


@pytest.mark.parametrize("frame, message", [
    ("没有槽的框架", "里没有“{甲|乙|丙}”形式的槽"),
    ("做{强|好}", "只有 2 个选项，不够第 3 个标题用"),
])
def test_a_bad_frame_stops_the_draft(frame, message):
    from drafter.errors import DrafterError
    from drafter.parallel import frame_fill as fill

    with pytest.raises(DrafterError, match=re.escape(message)):
        fill(frame, 2)
