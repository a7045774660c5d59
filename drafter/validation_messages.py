"""Cerberus's errors told in the sheet writer's words: in Chinese, at the line and column they typed.

Cerberus reports canonical English paths and rule names; staff typed Chinese keys, so each leaf
error is mapped back through the path as typed (validate.py records it while renaming) and said
with the field's label, its own ``message`` where the schema gives one, and the value quoted as
drafts print it. Apart from validate.py because the wording is most of the work and changes alone.
"""
from __future__ import annotations

from typing import Any, Dict, Iterable, Iterator, List, Optional

from cerberus import errors as codes

from .errors import Problem, did_you_mean
from .fact_values import TYPE_NAMES, brief, show
from .facts import FactSheet, PathTuple, format_path, value_at
from .schema import Field

# The rule codes a field's own ``message`` speaks for.
_BROKEN_RULES = (codes.MIN_VALUE.code, codes.MAX_VALUE.code, codes.REGEX_MISMATCH.code)


def _leaves(errors: Iterable[codes.ValidationError]) -> Iterator[codes.ValidationError]:
    for error in errors:
        if error.is_group_error and not error.is_logic_error:
            yield from _leaves(error.child_errors)
        else:
            yield error


def _field_at(root: Field, path: PathTuple) -> Optional[Field]:
    spec: Optional[Field] = root
    for part in path:
        if spec is None:
            return None
        spec = spec.item if isinstance(part, int) else (spec.fields or {}).get(part)
    return spec


def translate(
    errors: Iterable[codes.ValidationError], sheet: FactSheet, root: Field, origin: Dict[PathTuple, PathTuple]
) -> List[Problem]:
    """One Chinese Problem per leaf error, at the path and position the writer typed."""
    leaves = list(_leaves(errors))
    # A failed coercion leaves the text in place, so Cerberus also reports the type: say it once.
    coerced = {e.document_path for e in leaves if e.code == codes.COERCION_FAILED.code}
    problems = []
    for error in leaves:
        path = error.document_path
        if error.code == codes.BAD_TYPE.code and path in coerced:
            continue
        spec = _field_at(root, path)
        label = spec.label if spec else str(path[-1])
        if error.code == codes.REQUIRED_FIELD.code:
            problems.append(_missing(sheet, root, spec, label, origin[path[:-1]]))
            continue
        typed = origin.get(path, path)
        value = error.value
        line, column = sheet.where(typed, at_key=value is None or isinstance(value, (dict, list)))
        message = _message(error, spec, label, _field_at(root, path[:-1]))
        own = spec.message if spec is not None else None
        if own and error.code in _BROKEN_RULES:
            message = f"{own}，实际是“{brief(str(value_at(sheet.data, typed)))}”"
        elif own and error.code == codes.COERCION_FAILED.code:
            message += f"；{own}"
        problems.append(Problem(message + sheet.blank_note(typed), sheet.path, line, column, format_path(typed)))
    return problems


def _missing(sheet: FactSheet, root: Field, spec: Optional[Field], label: str, parent: PathTuple) -> Problem:
    """A required field not written, at its parent's key; a whole section has no line of its own
    (the sheet's first line would mislead) unless a key of the sheet looks like it misspelt."""
    message = f"缺少必填字段“{label}”"
    if parent:
        return Problem(message, sheet.path, *sheet.where(parent, at_key=True), format_path(parent + (label,)))
    names = [spec.name, spec.label, *spec.aliases] if spec else [label]
    typo = next((key for key in sheet.data if key not in root.keys and did_you_mean(key, names, cutoff=0.7)), None)
    if typo is None:
        return Problem(message, sheet.path, path=label)
    line, column = sheet.where((typo,), at_key=True)
    return Problem(f"{message}：第 {line} 行的“{typo}”是否想写“{label}”？", sheet.path, line, column, label)


def _message(error: codes.ValidationError, spec: Optional[Field], label: str, parent: Optional[Field]) -> str:
    code, value, constraint = error.code, error.value, error.constraint
    rules = spec.rules if spec else {}
    if code == codes.NOT_NULLABLE.code:
        if spec is not None and spec.required:
            return f"必填字段“{label}”没有填写"
        return "这一项是空的，请填写内容或删去这一项" if isinstance(error.document_path[-1], int) else "不能为空值"
    if code == codes.BAD_TYPE.code:
        expected = constraint if isinstance(constraint, list) else [constraint]
        names = "或".join(TYPE_NAMES.get(t, str(t)) for t in expected)
        return f"应为{names}，实际是{_describe(value)}"
    if code == codes.COERCION_FAILED.code:
        return str(error.info[0])
    if code == codes.EMPTY_NOT_ALLOWED.code:
        return "不能为空" if rules.get("required") else "是空的：可选的一项不写就整行删掉；措辞（称谓、结束语这类）要去掉，写“不写”"
    if code in (codes.MIN_LENGTH.code, codes.MAX_LENGTH.code):
        return _length_message(code, rules.get("minlength"), rules.get("maxlength"), value)
    if code == codes.ITEMS_LENGTH.code:
        return f"应有 {len(constraint)} 项，实际 {len(value)} 项"
    if code == codes.UNALLOWED_VALUE.code:
        return f"“{show(value)}”不是可选的值；可选：{_choices(constraint)}"
    if code == codes.UNALLOWED_VALUES.code:
        return f"有不可选的值：{_choices(error.info[0])}；可选：{_choices(constraint)}"
    if code in (codes.FORBIDDEN_VALUE.code, codes.FORBIDDEN_VALUES.code):
        return f"不能填{_choices(error.info[0] if error.info else [value])}"
    if code == codes.REGEX_MISMATCH.code:
        return f"“{show(value)}”的格式不对（应符合 {constraint}）"
    if code in (codes.MIN_VALUE.code, codes.MAX_VALUE.code):
        bound = "小于" if code == codes.MIN_VALUE.code else "大于"
        return f"不能{bound} {show(constraint)}，实际是 {show(value)}"
    if code == codes.MISSING_MEMBERS.code:
        return f"还应包含：{_choices(error.info[0])}"
    if code in (codes.DEPENDENCIES_FIELD.code, codes.DEPENDENCIES_FIELD_VALUE.code):
        return f"填写此项时还需要填写：{_labels(constraint, parent)}"
    if code == codes.EXCLUDES_FIELD.code:
        return f"不能与{_labels(constraint, parent)}同时填写"
    if error.is_logic_error:
        return f"不符合规则“{error.rule}”允许的任何一种写法"
    return f"不符合规则“{error.rule}”（{constraint}）"


def _length_message(code: int, low: Optional[int], high: Optional[int], value: Any) -> str:
    unit = "个字" if isinstance(value, str) else "项"
    actual = f"实际 {len(value)} {unit}"
    if low is not None and high is not None:
        wanted = f"{low}" if low == high else f"{low}～{high}"
        return f"应有 {wanted} {unit}，{actual}"
    if code == codes.MIN_LENGTH.code:
        return f"至少应有 {low} {unit}，{actual}"
    return f"最多只能有 {high} {unit}，{actual}"


def _labels(names: Any, parent: Optional[Field]) -> str:
    """Sibling field names from a dependencies/excludes rule, as Chinese labels."""
    if isinstance(names, str):
        names = [names]
    siblings = (parent.fields if parent else None) or {}
    return "、".join(f"“{siblings[n].label if n in siblings else n}”" for n in names)


def _choices(values: Iterable[Any]) -> str:
    return "、".join(f"“{show(v)}”" for v in values)


def _describe(value: Any) -> str:
    if isinstance(value, str):
        return f"文字“{brief(value)}”"
    if isinstance(value, dict):
        return TYPE_NAMES["dict"]
    if isinstance(value, list):
        return TYPE_NAMES["list"]
    return f"“{show(value)}”"
