"""核稿: punctuation rules from GB/T 15834—2011 标点符号用法, over paragraphs as they read.

Each rule reports only what the standard decides from the text alone, and stays quiet where correct
公文 usage could look like the mistake: times (10:30), numbers (3,000), addresses, Latin text,
page numbers (— 1 —), 副题 dashes, a quotation running over several paragraphs.
"""
from __future__ import annotations

import functools
import re
from dataclasses import replace
from typing import Iterator, List, Sequence, Tuple

from ..readers import ReadParagraph
from ..zh import ADDRESSES, FULL_WIDTH, chinese_beside, halfwidth_in_chinese
from .findings import DOUBT, ERROR, GB15834, HINT, PRACTICE, Finding, at

HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_HAN = re.compile(f"[{HAN}]")

_NAMES = {",": "逗号", ";": "分号", ":": "冒号", "?": "问号", "!": "叹号", "(": "括号", ")": "括号"}
_HALF = re.compile(r"[,;:?!()]")

# A half-width full stop closing a Chinese sentence: after a 汉字 (or ” ）) and before the end, a space
# or the next 汉字. 1.健全 3.14 Mr. 王 and … typed as ... are not this.
_HALF_STOP = re.compile(f"(?<=[{HAN}”）])(?<!\\.)\\.(?!\\.)(?=\\s|$|[{HAN}“（])")

_STRAIGHT = re.compile("[\"']")

PAIRS = {"（": "）", "“": "”", "《": "》", "〔": "〕", "【": "】", "‘": "’"}
_CLOSERS = {close: open_ for open_, close in PAIRS.items()}
_SHOWN = {"“": "前引号", "”": "后引号", "‘": "前单引号", "’": "后单引号"}


def _shown(mark: str) -> str:
    return _SHOWN.get(mark) or f"“{mark}”"
# A closing bracket right after a leading enumerator (1） a）) has no opening one by design.
_LEAD_ENUMERATOR = re.compile(r"\s*[0-9a-zA-Z一二三四五六七八九十]{1,3}[)）]")

# Two or more pause/stop marks in a row. ！？ and their repeats are GB usage (GB/T 15834 问号、叹号);
# 。。。 is a typed ellipsis, left to the ellipsis rule.
_RUN = re.compile(r"[，。、；：！？]{2,}")
_BANG_RUN = re.compile(r"[！？]+")

# 三、四个 for 三四个: GB/T 15834 顿号: adjacent numerals giving an approximate number take no 顿号.
_APPROX = re.compile(r"(?<![第其初周礼星])([一二三四五六七八九])、([二三四五六七八九十])"
                     r"(?=(十|百|千|万|个|名|人|位|次|项|件|条|天|家|所|种|类|批|岁|公里|米|本|篇|场|户|间|座|辆|台|年(?!级)))")
_BEFORE_DENG = re.compile(r"、(?=等)")

_ELLIPSIS = re.compile(r"\.{3,}|。{3,}|(?<!…)…(?!…)")
_MARK = re.compile("[，。、；：！？“”‘’（）《》]")
_DASH = re.compile(r"-{2,}|－{2,}|(?<![—―])—(?![—―])")

_SPACE = re.compile(f"(?<=[{HAN}])[ \u3000\u00a0]+(?=[{HAN}])")
_ENDS = "。！？；：…"
_TRAILING_CLOSERS = "”’）)》」』"

# Enumerators at the start of a paragraph (GB/T 15834 附录 B.1.3; GB/T 9704 §7.3.3 levels).
_ENUM_HAN_DOT = re.compile(r"\s*[一二三四五六七八九十]{1,3}([.．,，])(?![0-9])")
_ENUM_PAREN_MARK = re.compile(r"\s*[（(](?:[一二三四五六七八九十]{1,3}|[0-9]{1,2})[)）]([、.．，,])")
_ENUM_FULL_DOT = re.compile(r"\s*[0-9]{1,2}(．)(?![0-9０-９])")
_ENUM_ARABIC_DUN = re.compile(r"\s*[0-9]{1,2}(、)(?![0-9])")
# 第一、要 for 第一，要 (附录 B.1.3 a), where a clause starts: 第一、二季度, 第一、第二名 and
# 全省第一、全国第三 list ordinals.
_ORDINAL_DUN = re.compile(r"(?:^|(?<=[。；：！？，\s]))(?:第[一二三四五六七八九十]{1,3}|其[一二三四五六七八九十]|首先|其次|再次|最后)(、)"
                          r"(?![第一二三四五六七八九十0-9])")


def check(paragraphs: Sequence[ReadParagraph], words: dict) -> Iterator[Finding]:
    """Every punctuation finding in the paragraphs, paragraph by paragraph."""
    for index, p in enumerate(paragraphs):
        text = p.full_text
        if not text.strip():
            continue
        following = paragraphs[index + 1].full_text if index + 1 < len(paragraphs) else ""
        for finding in _paragraph(p, text, following):
            if finding.fix is not None and finding.start < len(p.label):
                finding = replace(finding, fix=None)  # Word's automatic number is not text to rewrite
            yield finding


def _paragraph(p, text: str, following: str) -> Iterator[Finding]:
    yield from _unbalanced(p, text, following)  # a quotation may run on into the next paragraph
    for rule in (_halfwidth, _half_stop, _straight_quotes, _nested_quotes, _doubled, _dunhao, _ellipsis, _dash,
                 _spaces, _no_end, _enumerators):
        yield from rule(p, text)


_finding = functools.partial(at, source=GB15834)


def _protected(text: str) -> List[bool]:
    marks = [False] * len(text)
    for match in ADDRESSES.finditer(text):
        marks[match.start():match.end()] = [True] * (match.end() - match.start())
    return marks


def _halfwidth(p, text) -> Iterator[Finding]:
    """, ; : ? ! ( ) typed half-width in Chinese text (中文用全角), as drafter folds them in a sheet:
    a bracket pair goes together ((1)建立 and 某某(试行) are Chinese, (a) in Latin text is not);
    3,000 10:30 and addresses stay."""
    if not _HALF.search(text):
        return
    change = halfwidth_in_chinese(text)
    last_end = 0
    for i, changed in enumerate(change):
        if not changed:
            continue
        char, start, end = text[i], i, i + 1
        while start > last_end and text[start - 1] == " ":  # spaces around the mark go with it
            start -= 1
        while end < len(text) and text[end] == " ":
            end += 1
        last_end = end
        yield _finding(p, ERROR, "punct.halfwidth",
                       f"半角{_NAMES[char]}“{char}”：中文里用全角“{FULL_WIDTH[char]}”", start, end, FULL_WIDTH[char])


def _half_stop(p, text) -> Iterator[Finding]:
    """A half-width “.” ending a Chinese sentence: the 句号 is “。”."""
    for match in _HALF_STOP.finditer(text):
        yield _finding(p, ERROR, "punct.halfwidth", "半角句点“.”：中文句末用句号“。”", match.start(), match.end(), "。")


def _straight_quotes(p, text) -> Iterator[Finding]:
    """"…" and '…' in Chinese text (中文用“”‘’): paired in order; an odd one is only reported."""
    if not _STRAIGHT.search(text):
        return
    protected = _protected(text)
    for char, (left, right), name in (('"', "“”", "双引号"), ("'", "‘’", "单引号")):
        spots = [i for i, c in enumerate(text) if c == char and not protected[i]]
        if char == "'":  # apostrophes in Latin words (it's) stay
            spots = [i for i in spots if not (0 < i < len(text) - 1 and text[i - 1].isascii()
                                              and text[i - 1].isalpha() and text[i + 1].isascii()
                                              and text[i + 1].isalpha())]
        if not spots or not any(chinese_beside(text, i) for i in spots):
            continue
        if len(spots) % 2:
            for i in spots:
                yield _finding(p, ERROR, "punct.straight-quote",
                               f"半角{name}“{char}”：中文里用全角“{left}{right}”，且此段不成对", i, i + 1)
            continue
        for n, i in enumerate(spots):
            mark = left if n % 2 == 0 else right
            yield _finding(p, ERROR, "punct.straight-quote", f"半角{name}“{char}”：中文里用全角“{mark}”",
                           i, i + 1, mark)


def _unbalanced(p, text, following) -> Iterator[Finding]:
    """An opening mark without its closing one in the paragraph, or the reverse (GB/T 15834 引号、括号、书名号).
    A quotation running over paragraphs leaves “ open at the end of each but the last, whose next
    paragraph opens with “ again: that is not reported."""
    if not any(c in PAIRS or c in _CLOSERS for c in text):
        return
    stacks = {open_: [] for open_ in PAIRS}
    lead = _LEAD_ENUMERATOR.match(text)
    for i, c in enumerate(text):
        if c in PAIRS:
            stacks[c].append(i)
        elif c in _CLOSERS:
            stack = stacks[_CLOSERS[c]]
            if stack:
                stack.pop()
            elif not (lead and i == lead.end() - 1):
                yield _finding(p, DOUBT, "punct.unbalanced",
                               f"{_shown(c)}前面没有与之配对的{_shown(_CLOSERS[c])}：成对标号应前后配齐", i, i + 1)
    for open_, stack in stacks.items():
        if open_ == "“" and stack and following.lstrip().startswith("“"):
            continue
        for i in stack:
            yield _finding(p, DOUBT, "punct.unbalanced",
                           f"{_shown(open_)}后面没有与之配对的{_shown(PAIRS[open_])}：成对标号应前后配齐", i, i + 1)


def _nested_quotes(p, text) -> Iterator[Finding]:
    """“…“…”…”: a quotation inside a quotation takes ‘’ (GB/T 15834 引号)."""
    if text.count("“") < 2:
        return
    depth = 0
    for i, c in enumerate(text):
        if c == "“":
            if depth >= 1:
                yield _finding(p, DOUBT, "punct.nested-quote", "引号里又用双引号：引号内的引号用单引号‘’", i, i + 1)
            depth += 1
        elif c == "”" and depth:
            depth -= 1


def _doubled(p, text) -> Iterator[Finding]:
    """，， 。。 、、 or ，。: two marks where one belongs. A doubled mark keeps one; a mixture is only
    reported, since which one was meant is not certain."""
    for match in _RUN.finditer(text):
        run = match.group()
        if _BANG_RUN.fullmatch(run) or set(run) == {"。"} and len(run) >= 3:
            continue
        if len(set(run)) == 1:
            yield _finding(p, ERROR, "punct.doubled", f"标点重复“{run}”：只用一个“{run[0]}”",
                           match.start(), match.end(), run[0])
        else:
            yield _finding(p, ERROR, "punct.doubled", f"标点连用“{run}”：此处只应有一个点号",
                           match.start(), match.end())


def _dunhao(p, text) -> Iterator[Finding]:
    """三、四个 (approximate number: no 顿号) and A、B、等 (no 顿号 before 等)."""
    for match in _APPROX.finditer(text):
        first, second = match.group(1), match.group(2)
        if match.start() == 0 or text[:match.start()].strip() == "" or text[match.start() - 1] in "。；：！？、，":
            continue  # 三、 opening a paragraph or a clause is an enumerator
        if "一二三四五六七八九十".index(second) != "一二三四五六七八九十".index(first) + 1:
            continue
        yield _finding(p, DOUBT, "punct.dunhao-approx",
                       f"“{first}、{second}”表示约数：相邻数字表概数时中间不用顿号，如“{first}{second}”",
                       match.start() + 1, match.start() + 2, "")
    for match in _BEFORE_DENG.finditer(text):
        yield _finding(p, DOUBT, "punct.dunhao-deng", "“等”前面的顿号：列举末项与“等”之间不用顿号",
                       match.start(), match.end(), "")


def _ellipsis(p, text) -> Iterator[Finding]:
    """... 。。。 or a single … for the 省略号 “……” (GB/T 15834: 六个点，占两个字位置)."""
    protected = _protected(text)
    for match in _ELLIPSIS.finditer(text):
        if protected[match.start()]:
            continue
        if match.group()[0] == "." and not chinese_beside(text, match.start(), len(match.group())):
            continue  # Latin text
        yield _finding(p, ERROR, "punct.ellipsis", f"省略号写作“{match.group()}”：省略号用“……”",
                       match.start(), match.end(), "……")


def _dash(p, text) -> Iterator[Finding]:
    """-- or a single — in Chinese text where the 破折号 “——” was meant (GB/T 15834 破折号). A single —
    between two words or beside digits and spaces is the 连接号 (北京—上海, 1922—2022, — 1 —) and stays:
    it is reported only opening a paragraph (—在…上的讲话) or against a mark (，— —“)."""
    for match in _DASH.finditer(text):
        i, j = match.start(), match.end()
        before, after = text[i - 1:i], text[j:j + 1]
        if match.group() == "—":
            if not (_HAN.match(before) or _HAN.match(after)):
                continue
            if not (text[:i].strip() == "" or _MARK.match(before or " ") or _MARK.match(after or " ")):
                continue
        elif not chinese_beside(text, i, j - i):
            continue
        yield _finding(p, DOUBT, "punct.dash", f"“{match.group()}”：破折号用两个字位置的“——”", i, j, "——")


def _running_text(text: str) -> bool:
    body = text.rstrip().rstrip(_TRAILING_CLOSERS)
    return len(text.strip()) > 30 and bool(body) and body[-1] in _ENDS


def _spaces(p, text) -> Iterator[Finding]:
    """A space between two 汉字 in running text: Chinese text has none. Titles, signatures, bylines
    and name lists use spaces on purpose, so only long paragraphs ending in a sentence mark are
    looked at, and a space beside a short name (记者 徐松, 张　三) or inside quotation marks and
    书名号 (a quoted slogan of two phrases) is left."""
    if not _running_text(text) or p.in_table:
        return
    for match in _SPACE.finditer(text):
        i, j = match.start(), match.end()
        left = re.search(f"[{HAN}]+$", text[:i]).group()
        right = re.match(f"[{HAN}]+", text[j:]).group()
        if len(left) <= 3 or len(right) <= 3 or _inside_quotes(text, i):
            continue
        yield _finding(p, DOUBT, "punct.space", "汉字之间有空格：中文正文里词语之间通常不空格", i, j, "",
                       source=PRACTICE)


def _inside_quotes(text: str, i: int) -> bool:
    before = text[:i]
    return before.count("“") > before.count("”") or before.count("《") > before.count("》")


def _no_end(p, text) -> Iterator[Finding]:
    """A paragraph of several sentences whose last one has no end mark: probably cut or unfinished.
    Headings and titles have no end mark and no sentence inside, so they are not looked at."""
    stripped = text.rstrip()
    if len(stripped) <= 30 or p.heading_level or p.in_table:
        return
    last = stripped.rstrip(_TRAILING_CLOSERS)[-1:]
    if last in _ENDS or last in _TRAILING_CLOSERS or not (_HAN.match(last) or last.isdigit()):
        return
    if not re.search("[。！？]", stripped[:-1]):
        return
    yield _finding(p, HINT, "punct.no-end", "段末没有句末标点：正文段落通常以“。”等收尾",
                   len(stripped) - 1, len(stripped), source=PRACTICE)


def _enumerators(p, text) -> Iterator[Finding]:
    """The marks after 序次语 (GB/T 15834 附录 B.1.3): 一、 （一） 1. （1）; 第一， 首先，."""
    found: List[Tuple[re.Match, str, str, str]] = []
    match = _ENUM_HAN_DOT.match(text)
    if match and _HAN.match(text[match.end():match.end() + 1] or "x"):
        found.append((match, ERROR, "、", "汉字数字序号后用顿号，如“一、”"))
    match = _ENUM_PAREN_MARK.match(text)
    if match:
        found.append((match, ERROR, "", "带括号的序号后不再加标点，如“（一）”“（1）”"))
    match = _ENUM_FULL_DOT.match(text)
    if match:
        found.append((match, DOUBT, ".", "序号后的全角点“．”：阿拉伯数字序号后用下脚点“.”，如“1.”"))
    for match, severity, fix, message in found:
        yield _finding(p, severity, "punct.enumerator", message, match.start(1), match.end(1), fix)
    match = _ENUM_ARABIC_DUN.match(text)
    if match:
        yield _finding(p, HINT, "punct.enumerator-dun", "“1、”式序号：公文中阿拉伯数字序号通常写作“1.”",
                       match.start(1), match.end(1), source=PRACTICE)
    for match in _ORDINAL_DUN.finditer(text):
        yield _finding(p, ERROR, "punct.ordinal-comma", "“第一”“首先”类序次语后用逗号，如“第一，”",
                       match.start(1), match.end(1), "，")
