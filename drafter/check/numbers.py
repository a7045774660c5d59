"""核稿: number rules from GB/T 15835—2011 出版物上数字用法, and dates as GB/T 9704 writes them.

Chinese numerals in fixed expressions (一律, 十四五, 三聚三强, 一是, 第一次, 四个意识) are never
looked at: only digits, digit-and-numeral mixes and full dates are. 第1次 is GB/T 15835 usage too.
"""
from __future__ import annotations

import calendar
import functools
import re
from typing import Iterator, Sequence

from ..readers import ReadParagraph
from .findings import DOUBT, ERROR, GB9704, GB15835, HINT, PRACTICE, Finding, at

_CN_DIGITS = "〇一二三四五六七八九"
_ZEROS = "〇零○OoＯ0"  # what people type for 〇 in a year: only 〇 is GB/T 15835's

# 1百, 5千万, 3万5千: a digit run then 十/百/千 (GB/T 15835: 3.45亿 or 34500万, not 3亿4千5百万).
# 千米 千克 千瓦 … are units, not numerals.
_DIGIT_THEN_NUMERAL = re.compile(r"(?<![0-9.])[0-9]+(?:\.[0-9]+)?([十百千])(?!米|克|瓦|伏|帕|卡|焦|赫|兆|字|分点)")
# 二0二四年, 二O二四年, 2〇24年: a year mixing digits and numerals, or O/○ for 〇.
_YEAR = re.compile(r"(?<![0-9〇零○OoＯ一二三四五六七八九])[0-9〇零○OoＯ一二三四五六七八九]{4}(?=年)")
_FULLWIDTH = re.compile(r"[０-９]+(?:[．.][０-９]+)?")
_DECIMAL_COMMA = re.compile(r"(?<![0-9,])[0-9]+,([0-9]{1,2}|[0-9]{4,})(?![0-9,])(?=[万亿%％元])")

_DATE_SEP = re.compile(r"(?<![0-9.\-/])((?:19|20)[0-9]{2})([./\-])([0-9]{1,2})\2([0-9]{1,2})(?![0-9.\-/])")
_TWO_DIGIT_YEAR = re.compile(r"(?<![0-9０-９.'])([0-9]{2})年(?=[0-9]{1,2}月)")
_CN_DATE = re.compile(f"[{_CN_DIGITS}○零]{{4}}年[一二三四五六七八九十]{{1,2}}月[一二三四五六七八九十]{{1,3}}日")
_HAO = re.compile(r"(?<![0-9])[0-9]{1,2}月[0-9]{1,2}(号)(?!楼|院|线|文|令|房|门|馆|车|厅|仓|口|机|位|桥|码头)")
_DATE = re.compile(r"(?<![0-9])(?:([0-9]{4})年)?([0-9]{1,2})月([0-9]{1,2})[日号]")
_MONTH = re.compile(r"(?<![0-9])([0-9]{4})年([0-9]{1,3})月")

_PERCENT_RANGE = re.compile(r"(?<![0-9.])([0-9]+(?:\.[0-9]+)?)(%?)[-－]([0-9]+(?:\.[0-9]+)?)%")
# 约100余人, 约3万多人, 大约50人左右: two approximations for one number.
_NUMBER = r"[0-9.]+[万亿千百]?|[一二三四五六七八九十两百千万亿几]+"
_APPROX_EXTRA = re.compile(r"(?<![制节签预公特邀履集婉违守赴相隐契盟誓条规之续解毁爽失定立缔践租合和])(大约|约)(?:有|为|计|合)?"
                           f"(?:{_NUMBER})(?:(余|多)|[^，。；、：！？0-9]{{0,4}}?(左右))")


def check(paragraphs: Sequence[ReadParagraph], words: dict) -> Iterator[Finding]:
    """Every number finding in the paragraphs, paragraph by paragraph."""
    for p in paragraphs:
        text = p.full_text
        if not text.strip():
            continue
        if "年" in text or any(c.isdigit() for c in text):
            for rule in (_fullwidth, _mixed, _dates, _ranges):
                yield from rule(p, text)
        yield from _approx(p, text)


_finding = functools.partial(at, source=GB15835)


def _fullwidth(p, text) -> Iterator[Finding]:
    """１２３ for 123: digits in Chinese text are half-width."""
    for match in _FULLWIDTH.finditer(text):
        ascii_ = match.group().translate(str.maketrans("０１２３４５６７８９．", "0123456789."))
        yield _finding(p, ERROR, "num.fullwidth", f"全角数字“{match.group()}”：阿拉伯数字用半角“{ascii_}”",
                       match.start(), match.end(), ascii_)


def _mixed(p, text) -> Iterator[Finding]:
    """Arabic digits with 十/百/千 (5千万), and years mixing scripts or typed with O/○ for 〇."""
    for match in _DIGIT_THEN_NUMERAL.finditer(text):
        yield _finding(p, DOUBT, "num.mixed",
                       f"“{match.group()}”阿拉伯数字与汉字数字混写：写作全阿拉伯数字或“万”“亿”为单位，如“5000万”",
                       match.start(), match.end())
    for match in _YEAR.finditer(text):
        year = match.group()
        digits = sum(c in "0123456789" for c in year)
        if digits == 4 or all(c in _CN_DIGITS for c in year):
            continue
        if digits and any(c in "一二三四五六七八九" for c in year) or any(c in "OoＯ○零" for c in year):
            fixed = None
            if not any(c in "123456789" for c in year):
                fixed = "".join("〇" if c in _ZEROS else c for c in year)
            yield _finding(p, DOUBT, "num.mixed-year",
                           f"年份“{year}”数字写法混杂：汉字年份的零写作“〇”，或全用阿拉伯数字",
                           match.start(), match.end(), fixed)


def _dates(p, text) -> Iterator[Finding]:
    for match in _DATE_SEP.finditer(text):
        year, sep, month, day = match.group(1), match.group(2), int(match.group(3)), int(match.group(4))
        if p.in_table or not (1 <= month <= 12 and 1 <= day <= calendar.monthrange(int(year), month)[1]):
            continue
        fixed = f"{int(year)}年{month}月{day}日"
        if sep == "-":
            yield _finding(p, DOUBT, "num.date-form", f"日期“{match.group()}”：公文正文中通常写作“{fixed}”",
                           match.start(), match.end(), fixed, source=PRACTICE)
        else:
            yield _finding(p, DOUBT, "num.date-form",
                           f"日期“{match.group()}”：用“{fixed}”或“{int(year)}-{month:02d}-{day:02d}”",
                           match.start(), match.end(), fixed)
    for match in _TWO_DIGIT_YEAR.finditer(text):
        yield _finding(p, DOUBT, "num.short-year", f"年份“{match.group(1)}年”简写：年份写全，如“20{match.group(1)}年”",
                       match.start(), match.end() - 1)
    for match in _CN_DATE.finditer(text):
        yield _finding(p, HINT, "num.chinese-date", "汉字日期：成文日期用阿拉伯数字标全年、月、日，如“2024年12月17日”",
                       match.start(), match.end(), source=GB9704)
    for match in _HAO.finditer(text):
        yield _finding(p, DOUBT, "num.date-hao", "日期用“号”：书面语写“日”",
                       match.start(1), match.end(1), "日", source=PRACTICE)
    for match in _DATE.finditer(text):
        year, month, day = match.group(1), int(match.group(2)), int(match.group(3))
        if not 1 <= month <= 12:
            yield _finding(p, ERROR, "num.impossible-date", f"没有{month}月：月份是1至12",
                           match.start(2), match.end(2) + 1, source=PRACTICE)
            continue
        last = calendar.monthrange(int(year) if year else 2000, month)[1]  # 2000: 2月29日 exists
        if not 1 <= day <= last:
            yield _finding(p, ERROR, "num.impossible-date",
                           f"{year + '年' if year else ''}{month}月没有{day}日：这个月只有{last}天",
                           match.start(), match.end(), source=PRACTICE)
    for match in _MONTH.finditer(text):
        if not 1 <= int(match.group(2)) <= 12 and not re.match(r"[0-9]+[日号]", text[match.end():]):
            yield _finding(p, ERROR, "num.impossible-date", f"没有{int(match.group(2))}月：月份是1至12",
                           match.start(2), match.end(), source=PRACTICE)


def _ranges(p, text) -> Iterator[Finding]:
    """10-20% and 10%-20%: GB/T 15835 writes a range with ～ (15%～30%), and 10～20% reads as 10 and 20%."""
    for match in _PERCENT_RANGE.finditer(text):
        low, has_percent, high = match.group(1), match.group(2), match.group(3)
        if match.start() and text[match.start() - 1] in "-－":
            continue
        if has_percent:
            yield _finding(p, HINT, "num.range-dash", f"“{match.group()}”：数值范围用“～”，如“{low}%～{high}%”",
                           match.start(), match.end())
        else:
            yield _finding(p, DOUBT, "num.range-percent",
                           f"“{match.group()}”：两个数值都带“%”，范围用“～”，如“{low}%～{high}%”",
                           match.start(), match.end(), f"{low}%～{high}%")
    for match in _DECIMAL_COMMA.finditer(text):
        yield _finding(p, DOUBT, "num.decimal-comma", f"“{match.group()}”：小数点用“.”，不用逗号",
                       match.start(), match.end())


def _approx(p, text) -> Iterator[Finding]:
    """约100余人, 约50人左右: 约 and 余/多/左右 say the same thing twice."""
    if "约" not in text:
        return
    for match in _APPROX_EXTRA.finditer(text):
        second = match.group(2) or match.group(3)
        yield _finding(p, DOUBT, "num.approx-twice",
                       f"“{match.group(1)}”与“{second}”同用，概数说了两次：通常只留一个",
                       match.start(), match.end(), source=PRACTICE)
