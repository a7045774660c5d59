"""排比 heading frames and the parallelism check."""
import re

import pytest

from drafter.document import parse_outline
from drafter.parallel import check_parallel, fill_frame, frame_size

FRAME = "做{强|好|实|靓}{基层|基层|基础|基地}"


def test_a_frame_fills_the_nth_choice_of_every_slot():
    assert [fill_frame(FRAME, i) for i in range(4)] == ["做强基层", "做好基层", "做实基础", "做靓基地"]
    assert frame_size(FRAME) == 4 and frame_size("没有槽") == 0


def test_a_slot_with_too_few_choices_is_reported():
    with pytest.raises(ValueError, match="只有 2 个选项，不够第 3 个标题用"):
        fill_frame("在{组建|带动}上出实招", 2)


def outline(*headings, run_in=False):
    attrs = " {.领句 .不编号}" if run_in else ""
    return parse_outline("".join(f"## {h}{attrs}\n正文。\n\n" for h in headings))


@pytest.mark.parametrize("headings", [
    ("做强基层", "做好基层", "做实基础", "做靓基地"),
    ("突出核心", "把准重心", "服务中心"),                          # shared tail
    ("织密网络，压实责任链条。", "织牢制度，健全运行机制。"),
])
def test_parallel_siblings_pass(headings):
    assert check_parallel(outline(*headings)) == []
    assert check_parallel(outline(*headings, run_in=True)) == []


@pytest.mark.parametrize("headings, message", [
    (("做强基层", "做好基层工作机制"), "字数不一（4、8 字）"),
    (("做强基层", "健全制度"), "没有共同的字头或字尾"),
])
def test_unparallel_siblings_are_warned(headings, message):
    problems = check_parallel(outline(*headings))
    assert len(problems) == 1 and message in problems[0].message
    assert "做强基层／" in problems[0].message


def test_siblings_are_counted_per_parent():
    doc = parse_outline("## 做强基层\n\n### 落实主体责任\n\n### 落实行业责任\n\n## 做好基层\n\n### 健全制度\n\n"
                        "### 完善机制体系\n")
    messages = [p.message for p in check_parallel(doc)]
    assert messages == ["第2级标题不够对仗：字数不一（4、6 字）：健全制度／完善机制体系"]


def test_couplets_with_the_same_clauses_are_parallel():
    assert check_parallel(outline("深化宣传教育，夯实思想基础", "汇集区域共识，深化创建内涵", "树立先进典型，发挥示范作用")) == []
    problems = check_parallel(outline("深化宣传教育，夯实思想基础", "汇集区域共识深化创建内涵呀"))
    assert len(problems) == 1 and "没有共同的字头或字尾" in problems[0].message


def test_framing_headings_are_left_out_of_the_check():
    doc = parse_outline("## 工作开展情况{.非排比}\n\n### 做强基层\n\n### 做好基层\n\n## 存在的问题和不足{.非排比}\n\n"
                        "## 工作计划{.no-parallel}\n")
    assert check_parallel(doc) == []
    assert [h.parallel for h in doc.blocks] == [False, True, True, False, False]


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
