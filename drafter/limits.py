"""How far a template may go: a render's budget of steps, time and output, and the size of what any
one operation may build — checked before it is built, since a giant string or number costs its
memory the moment it exists. sandbox.py calls these from every hook a template's code passes.
"""
from __future__ import annotations

import re
import string
import time
from typing import Any, Dict, List, Sequence

from jinja2.sandbox import SecurityError

MAX_STEPS = 10_000_000  # loop iterations, calls, filters, operators and includes in one render
MAX_SECONDS = 5.0
MAX_OUTPUT = 50_000_000  # characters a render may print (about 100 MB of text)
MAX_TEXT = 4_000_000  # characters of one computed text (a sheet value may have 2 million)
MAX_ITEMS = 100_000  # items of one computed list (Jinja's own range limit)
MAX_INT_BITS = 4_096  # about 1,200 digits
MAX_ARGUMENT = 100_000  # an integer handed to a call or filter: a width, a count, a range
INCLUDE_WEIGHT = 20_000  # what one {% include %} inside a loop is charged per iteration, in characters
_CHECK_CLOCK = 0x0F  # look at the clock every 16 steps: no step can take long (see the size checks)

_PLAIN_PERCENT = re.compile(r"%(?:\([^()]*\))?s|%%")
_ANY_PERCENT = re.compile(r"%(?:\([^()]*\))?[^%(]*?[a-zA-Z%]")


class RenderLimit(SecurityError):
    """A render that would run too long or grow too big; its message is for staff."""


class RenderState:
    """One render's budget, and what its finalize step marks and finds (render.py)."""

    def __init__(self) -> None:
        self.steps = 0
        self.output = 0
        self.deadline = time.perf_counter() + MAX_SECONDS
        self.prints: list = []
        self.problems: list = []

    def step(self, weight: int = 0) -> None:
        self.steps += 1
        self.output += weight
        if self.steps > MAX_STEPS:
            raise RenderLimit(f"模板运行的步数超过 {MAX_STEPS:,} 步（循环套循环？），已停止")
        if self.output > MAX_OUTPUT:
            raise RenderLimit(f"模板输出的文字超过 {MAX_OUTPUT:,} 字，已停止")
        if not self.steps & _CHECK_CLOCK and time.perf_counter() > self.deadline:
            raise RenderLimit(f"模板运行超过 {MAX_SECONDS:g} 秒，已停止")


def size_of(value: Any, limit: int = MAX_TEXT) -> int:
    """About how many characters value would take written out, counting no further than limit: a
    list of 100,000 copies of a long text is refused before anything turns it into one."""
    total, stack = 0, [value]
    while stack and total <= limit:
        item = stack.pop()
        if isinstance(item, (str, bytes)):
            total += len(item)
        elif isinstance(item, dict):
            total += len(item)
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, (list, tuple, set, frozenset)):
            total += len(item)
            stack.extend(item)
        else:
            total += 1
    return total


def check_sizes(values: Sequence[Any]) -> None:
    """No input of an operation is already beyond what any one text may hold."""
    if sum(size_of(value) for value in values) > MAX_TEXT:
        raise RenderLimit(f"模板交给函数或过滤器的文字、列表太大（超过 {MAX_TEXT:,} 字）")


def sized(result: Any) -> Any:
    """What an operation built is within the limits (for what no check could foresee)."""
    if isinstance(result, str) and len(result) > MAX_TEXT:
        raise RenderLimit(f"模板算出的文字超过 {MAX_TEXT:,} 字")
    if isinstance(result, (list, tuple)) and len(result) > MAX_ITEMS:
        raise RenderLimit(f"模板算出的列表超过 {MAX_ITEMS:,} 项")
    return result


def _too_big(number: Any) -> bool:
    return isinstance(number, int) and not isinstance(number, bool) and number.bit_length() > MAX_INT_BITS


def check_operands(operator: str, left: Any, right: Any) -> None:
    if _too_big(left) or _too_big(right):
        raise RenderLimit("模板算出的数太大")
    if operator == "**" and isinstance(left, int) and isinstance(right, int) and right > 0 \
            and max(left.bit_length(), 1) * right > MAX_INT_BITS:
        raise RenderLimit("乘方的结果太大")
    if operator == "*":
        if isinstance(left, int) and isinstance(right, int) and left.bit_length() + right.bit_length() > MAX_INT_BITS:
            raise RenderLimit("乘积太大")
        sequence, times = (left, right) if isinstance(right, int) else (right, left)
        if isinstance(sequence, (str, list, tuple)) and isinstance(times, int) and times > 0 \
                and (len(sequence) * times > MAX_ITEMS or size_of(sequence) * times > MAX_TEXT):
            raise RenderLimit("要重复出的文字或列表太长")
    if operator in ("+", "%") and size_of(left) + size_of(right) > MAX_TEXT:
        raise RenderLimit("要连接或套用格式的文字太长")
    if operator == "%" and isinstance(left, str):
        check_format(left, right if isinstance(right, (tuple, dict)) else (right,), percent=True)


def check_arguments(args: Sequence[Any], kwargs: Dict[str, Any]) -> None:
    """No call or filter gets an integer big enough to make a giant text or list (center(10**8))."""
    for value in list(args) + list(kwargs.values()):
        if isinstance(value, int) and not isinstance(value, bool) and abs(value) > MAX_ARGUMENT:
            raise RenderLimit(f"模板交给函数或过滤器的数 {value} 太大（最大 {MAX_ARGUMENT:,}）")


def format_fields(template: str, percent: bool) -> List[str]:
    """The replacement fields of a format string ("{0:>9}", "%5s"), or ["?"] when it cannot be read."""
    if percent:
        return _ANY_PERCENT.findall(template)
    try:
        return [f"{{{name}{'!' + conversion if conversion else ''}{':' + spec if spec else ''}}}"
                for _, name, spec, conversion in string.Formatter().parse(template) if name is not None]
    except ValueError:
        return ["?"]


def plain_format(template: str, percent: bool) -> bool:
    """Whether every field just puts a value in as it is ({}, {0}, {name}, %s, %(name)s): then the
    result is the template's text and the values verbatim; a width, precision, index or attribute
    ({:.4}, {0[2]}, %.3s) changes what it puts in."""
    fields = format_fields(template, percent)
    if percent:
        return all(_PLAIN_PERCENT.fullmatch(field) for field in fields)
    return all(re.fullmatch(r"\{(\d*|[A-Za-z_]\w*)\}", field) for field in fields)


def check_format(template: str, values: Any, percent: bool = False) -> None:
    """A format string may not ask for widths of millions, nor repeat big values into a giant text."""
    fields = format_fields(template, percent)
    if any(re.search(r"\d{6,}", field) for field in fields):
        raise RenderLimit("格式字符串里的宽度或精度太大")
    arguments = list(values.values()) if isinstance(values, dict) else list(values)
    check_arguments(arguments, {})
    if len(template) + len(fields) * max([size_of(v) for v in arguments] or [0]) > MAX_TEXT:
        raise RenderLimit(f"套用格式得出的文字会超过 {MAX_TEXT:,} 字")


def check_string_method(text: str, name: str, args: Sequence[Any], kwargs: Dict[str, Any]) -> None:
    """What a str method would build, before it builds it."""
    if name in ("format", "format_map"):
        check_format(text, args[0] if name == "format_map" and args else list(args) + list(kwargs.values()))
    elif name == "replace" and len(args) >= 2:
        check_replace(text, args[0], args[1])
    elif name == "join" and args:
        check_join(args[0], text)
    elif name == "expandtabs":
        size = (args[0] if args else kwargs.get("tabsize", 8))
        if isinstance(size, int) and len(text) + text.count("\t") * max(size, 0) > MAX_TEXT:
            raise RenderLimit(f"expandtabs 得出的文字会超过 {MAX_TEXT:,} 字")


def check_replace(text: Any, old: Any, new: Any) -> None:
    if isinstance(text, str) and isinstance(old, str) and isinstance(new, str):
        times = text.count(old) if old else len(text) + 1
        if len(text) + times * (len(new) - len(old)) > MAX_TEXT:
            raise RenderLimit(f"replace 得出的文字会超过 {MAX_TEXT:,} 字")


def check_join(items: Any, separator: Any) -> None:
    if isinstance(items, (list, tuple)) and size_of(items) + len(str(separator)) * len(items) > MAX_TEXT:
        raise RenderLimit(f"join 得出的文字会超过 {MAX_TEXT:,} 字")
