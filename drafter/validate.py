"""Checking a fact sheet against a schema and normalising it for the templates.

Template authors write schemas in our own small YAML format (``label``, ``aliases``, ``one_or_more``…
plus Cerberus rule names); we compile that to Cerberus. Staff write Chinese keys, so we rename them to
the canonical English keys ourselves and remember the way back: every message names the field as
the writer typed it and points at the line and column where they typed it.
"""
from __future__ import annotations

import calendar
import datetime
import functools
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Dict, Iterable, Iterator, List, Optional, Sequence, Tuple, Union

import cerberus
import yaml
from cerberus import errors as codes

from . import cache
from .errors import DrafterError, Problem, by_position, did_you_mean
from .facts import FactSheet, PathTuple, format_path, load_yaml, value_at
from .textfile import read_bytes
from .provenance import Missing, attach
from .zh import zh_date

#: Keys of a field spec that are ours (documentation, renaming, checks Cerberus cannot make) and never
#: reach Cerberus: ``message`` is what staff are told when the value breaks min, max or regex (or is
#: not of the type at all); ``not_before`` names a sibling field this one must not be less than
#: (结束日期 and its 日期).
_OWN_KEYS = ("label", "aliases", "example", "description", "one_or_more", "message", "not_before")

#: Our types and the Chinese name staff see for each.
TYPE_NAMES = {
    "string": "文字",
    "integer": "整数",
    "boolean": "是/否",
    "date": "日期",
    "list": "列表",
    "dict": "映射（键: 值）",
}

# Chinese for the types Cerberus demands of rule values, as schema authors write them.
_RULE_VALUE_TYPES = {"integer": "整数", "boolean": "true 或 false", "string": "文字", "list": "列表", "dict": "映射"}
_CERBERUS_TYPE = re.compile(r"must be of (\w+) type")
_CANONICAL_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_]*\Z")
_INTEGER = re.compile(r"\s*[+-]?(\d+)\s*\Z")
_MAX_DIGITS = 18  # no fact needs more; Python refuses to convert over 4300, in English
_DATE_FORMS = (
    re.compile(r"(?P<y>\d{4})\s*(?P<sep>[-/.])\s*(?P<m>\d{1,2})\s*(?P=sep)\s*(?P<d>\d{1,2})\Z"),
    re.compile(r"(?P<y>\d{4})\s*年\s*(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*日\Z"),
)
_TRUE_WORDS = ("是", "对", "true", "yes")
_FALSE_WORDS = ("否", "错", "false", "no")


def _to_integer(value: Any) -> Any:
    if not isinstance(value, str):
        return value
    found = _INTEGER.match(value)
    if not found:
        raise ValueError(f"“{_brief(value)}”不是整数")
    if len(found.group(1)) > _MAX_DIGITS:
        raise ValueError(f"“{_brief(value)}”有 {len(found.group(1))} 位数字，太长了，不是可用的整数")
    return int(value)


def _to_boolean(value: Any) -> Any:
    if not isinstance(value, str):
        return value
    word = value.strip().lower()
    if word in _TRUE_WORDS:
        return True
    if word in _FALSE_WORDS:
        return False
    raise ValueError(f"应填“是”或“否”，实际是“{_brief(value)}”")


def parse_date(value: Any) -> Any:
    """A date as staff write it (2024-04-23, 2024/4/23, 2024年4月23日); ValueError says why not."""
    if not isinstance(value, str):
        return value
    text = value.strip()
    found = next((m for m in (form.match(text) for form in _DATE_FORMS) if m), None)
    if found is None:
        reason = "请写成 2024-04-23、2024/4/23、2024.4.23 或 2024年4月23日"
    else:
        year, month, day = (int(found.group(part)) for part in "ymd")
        if year < 1:
            reason = "年份应为 1～9999"
        elif not 1 <= month <= 12:
            reason = "月份应为 1～12"
        else:
            days = calendar.monthrange(year, month)[1]
            if 1 <= day <= days:
                return datetime.date(year, month, day)
            reason = f"{year}年{month}月只有 {days} 天" if day > days else f"日应为 1～{days}"
    raise ValueError(f"“{_brief(value)}”不是有效的日期（{reason}）")


# The coercions our ``integer``, ``boolean`` and ``date`` types imply, given to Cerberus as callables:
# a Validator subclass with _normalize_coerce_* methods would cost ~10 ms at import (Cerberus's
# metaclass parses every rule's docstring for each new class).
_COERCIONS = {"integer": _to_integer, "boolean": _to_boolean, "date": parse_date}
_PYTHON_TYPES = {"integer": int, "date": datetime.date}  # what the coercions make, for min, max, not_before
_Validator = cerberus.Validator


class _KeepErrors(codes.BaseErrorHandler):
    """Hand back Cerberus's error objects as they are: we translate them ourselves."""

    def __call__(self, errors: Iterable[codes.ValidationError]) -> List[codes.ValidationError]:
        return list(errors)


_RULES = frozenset(_Validator.rules)


@dataclass
class Field:
    """One declared fact: our names for renaming and messages, Cerberus rules for checking."""

    name: str  # canonical key; "" for a list's item spec
    label: str
    aliases: Tuple[str, ...]
    rules: Dict[str, Any]  # Cerberus rules of this field, with the nested ``schema`` compiled
    one_or_more: bool = False
    fields: Optional[Dict[str, Field]] = None  # declared sub-fields of a dict
    item: Optional[Field] = None  # spec of a list's items
    keys: Dict[str, str] = field(default_factory=dict)  # accepted key of a sub-field → its name
    example: Any = None  # for `drafter templates show`
    message: Optional[str] = None  # said when the value breaks min, max, regex or its type
    not_before: Optional[str] = None  # name of the sibling this field must not be less than


    @property
    def required(self) -> bool:
        return self.rules.get("required") is True


@dataclass
class Schema:
    """A compiled schema; ``files`` are the schema files it was merged from."""

    files: Tuple[str, ...]
    root: Field
    validator: cerberus.Validator
    key: str = ""  # digest of the files' content: what is derived from this schema is cached under it


def iter_fields(fields: Dict[str, Field], path: Tuple[str, ...] = (), typed: str = "") -> Iterator[
        Tuple[Tuple[str, ...], str, Field]]:
    """Every declared field, depth first: (canonical path, the path as staff type it, field); the
    fields of a list's items sit under "[]" (areas.[].heading, 工作领域[].排比标题)."""
    for name, spec in fields.items():
        here, label = path + (name,), f"{typed}.{spec.label}" if typed else spec.label
        yield here, label, spec
        if spec.fields:
            yield from iter_fields(spec.fields, here, label)
        elif spec.item is not None and spec.item.fields:
            yield from iter_fields(spec.item.fields, here + ("[]",), label + "[]")


# --------------------------------------------------------------------------- schema loading


#: A schema file, or a file and the top-level fields taken from it.
SchemaPart = Union[str, Path, Tuple[Union[str, Path], Sequence[str]]]


def load_schema(paths: Sequence[SchemaPart]) -> Schema:
    """Load and merge schema files: later files add fields or override rules of earlier ones.

    A part may be ``(path, names)``: only those top-level fields of that file are taken, so one
    kind can share another kind's definitions (年度, 单位, 工作领域) without copying them.
    Compiled once per process while the files are unchanged (a batch drafts many sheets), and kept
    in drafter's cache across processes while their content is.
    """
    if not paths:
        raise DrafterError("没有指定字段定义文件")
    key = []
    for part in paths:
        path, names = part if isinstance(part, tuple) else (part, None)
        try:
            stamp = os.stat(path).st_mtime_ns
        except OSError:
            stamp = None  # load_yaml reports the missing file
        key.append((str(path), tuple(names) if names is not None else None, stamp))
    return _compile_schema(tuple(key))


@functools.lru_cache(maxsize=32)
def _compile_schema(parts: Tuple[Tuple[str, Optional[Tuple[str, ...]], Optional[int]], ...]) -> Schema:
    contents = []
    for path, names, _ in parts:
        try:
            contents += [path, repr(names), read_bytes(path)]
        except DrafterError:
            contents = None  # load_yaml reports it
            break
    key = cache.digest([cerberus.__version__, yaml.__version__] + contents) if contents is not None else None
    files, root = cache.remember("schema", key, lambda: _compile(parts), lambda value: (
        isinstance(value, tuple) and len(value) == 2 and isinstance(value[0], tuple) and isinstance(value[1], Field)))
    return Schema(files, root, _trusted_validator(root), key or "")


def _compile(parts: Tuple[Tuple[str, Optional[Tuple[str, ...]], Optional[int]], ...]) -> Tuple[Tuple[str, ...], Field]:
    """The merged schema files compiled to our Field tree, which Cerberus must accept."""
    merged: Dict[str, Any] = {}
    origins: Dict[PathTuple, Tuple[str, int, int]] = {}
    files = []
    for path, names, _ in parts:
        sheet = load_yaml(Path(path), "字段定义文件")
        files.append(sheet.path)
        merged = _merge_fields(merged, _only(sheet, names))
        for key_path, (line, column) in sheet.key_positions.items():
            origins[key_path] = (sheet.path, line, column)
    compiler = _Compiler(origins, files[-1])
    fields, keys = compiler.mapping(merged, ())
    root = Field("", "", (), {"type": "dict"}, fields=fields, keys=keys)
    if not compiler.problems:
        try:
            _Validator(_cerberus_schema(root))
        except cerberus.SchemaError as error:
            for spec in fields.values():
                compiler.check_rules(spec, (spec.name,))
            if not compiler.problems:
                compiler.problems.append(Problem(f"字段定义有误（{error}）", files[-1]))
    if compiler.problems:
        raise DrafterError(by_position(compiler.problems))
    return tuple(files), root


def _cerberus_schema(root: Field) -> Dict[str, Any]:
    return {name: spec.rules for name, spec in (root.fields or {}).items()}


def _trusted_validator(root: Field) -> cerberus.Validator:
    """A validator for a schema Cerberus accepted when its cache entry was made.

    Cerberus checks every schema against its own meta-schema once per process (~14 ms for a pack)
    and remembers the ones it accepted in ``Validator._valid_schemas``; telling it this one is among
    them skips the re-check. Should a Cerberus release drop that set, it simply checks again.
    """
    rules = _cerberus_schema(root)
    try:
        from cerberus.schema import DefinitionSchema
        from cerberus.utils import mapping_hash

        expanded, types = DefinitionSchema.expand(rules), mapping_hash(_Validator.types_mapping)
        # the whole schema, and each field alone (normalising re-checks the fields one by one)
        accepted = [expanded] + [{name: field_rules} for name, field_rules in expanded.items()]
        _Validator._valid_schemas.update((mapping_hash(schema), types) for schema in accepted)
    except Exception:  # pragma: no cover - a Cerberus without the set: it checks the schema itself
        pass
    return _Validator(rules, error_handler=_KeepErrors)


def _only(sheet: FactSheet, names: Optional[Sequence[str]]) -> Any:
    if names is None:
        return sheet.data
    absent = [n for n in names if not (isinstance(sheet.data, dict) and n in sheet.data)]
    if absent:
        raise DrafterError(Problem(f"没有要取用的字段：{'、'.join(absent)}", sheet.path))
    return {n: sheet.data[n] for n in names}


def _merge_fields(base: Any, over: Any) -> Any:
    """Field name → spec mappings: fields of ``over`` are added or merged into ``base``."""
    if not (isinstance(base, dict) and isinstance(over, dict)):
        return over
    merged = dict(base)
    for name, spec in over.items():
        merged[name] = _merge_spec(base[name], spec) if name in base else spec
    return merged


def _merge_spec(base: Any, over: Any) -> Any:
    """Rules of ``over`` replace those of ``base``; a spec that changes its type replaces it whole."""
    if not (isinstance(base, dict) and isinstance(over, dict)):
        return over
    if over.get("type", base.get("type")) != base.get("type"):
        return over
    merged = dict(base)
    for rule, value in over.items():
        if rule == "schema" and rule in base:
            merge = _merge_spec if base.get("type") == "list" else _merge_fields
            merged[rule] = merge(base[rule], value)
        else:
            merged[rule] = value
    return merged


class _Compiler:
    """Checks our schema format and builds Fields, reporting each problem at its schema line."""

    def __init__(self, origins: Dict[PathTuple, Tuple[str, int, int]], last_file: str):
        self.origins = origins
        self.last_file = last_file
        self.problems: List[Problem] = []

    def problem(self, path: PathTuple, message: str) -> None:
        where = path
        while where and where not in self.origins:
            where = where[:-1]  # e.g. a rule we added ourselves: point at its field
        file, line, column = self.origins.get(where, (self.last_file, None, None))
        self.problems.append(Problem(message, file, line, column, format_path(path)))

    def mapping(self, specs: Any, path: PathTuple) -> Tuple[Dict[str, Field], Dict[str, str]]:
        fields: Dict[str, Field] = {}
        keys: Dict[str, str] = {}
        if not isinstance(specs, dict):
            self.problem(path, "应是“字段名: 字段定义”形式的映射")
            return fields, keys
        for name, spec in specs.items():
            field_path = path + (name,)
            if not _CANONICAL_NAME.match(name):
                self.problem(
                    field_path,
                    f"字段名“{name}”应是英文标识符（字母开头，只含字母、数字、下划线）；中文名请写在 label 里",
                )
            compiled = self.field(name, spec, field_path, default_label=None)
            if compiled is None:
                continue
            fields[name] = compiled
            for key in (name, compiled.label) + compiled.aliases:
                owner = keys.setdefault(key, name)
                if owner != name:
                    self.problem(field_path, f"“{key}”已是字段“{owner}”的名称或别名，不能重复使用")
        for name, compiled in fields.items():
            if compiled.not_before is None:
                continue
            start = fields.get(compiled.not_before)
            if start is None or start is compiled or start.rules.get("type") != compiled.rules.get("type"):
                self.problem(path + (name, "not_before"),
                             f"not_before 应是同级另一个同类型字段的英文名，“{compiled.not_before}”不是")
        return fields, keys

    def field(self, name: str, spec: Any, path: PathTuple, default_label: Optional[str]) -> Optional[Field]:
        """``default_label`` is given for a list's item spec, the only place a label is optional."""
        if not isinstance(spec, dict):
            self.problem(path, "字段定义应是映射（写出 label、type 等）")
            return None
        label = spec.get("label", default_label)
        if not isinstance(label, str) or not label.strip():
            self.problem(path, "缺少 label（字段的中文名）" if label is None else "label 应是非空的文字")
            label = name
        aliases = spec.get("aliases", [])
        if not (isinstance(aliases, list) and all(isinstance(a, str) and a for a in aliases)):
            self.problem(path + ("aliases",), "aliases 应是文字列表，例如 [年份, 年]")
            aliases = []
        one_or_more = spec.get("one_or_more", False)
        kind = spec.get("type")
        if kind is not None and kind not in TYPE_NAMES:
            self.problem(path + ("type",), f"未知类型“{kind}”，可用类型：{'、'.join(TYPE_NAMES)}")
        if one_or_more not in (True, False):
            self.problem(path + ("one_or_more",), "one_or_more 应为 true 或 false")
        elif one_or_more and kind != "list":
            self.problem(path + ("one_or_more",), "one_or_more 只能用于 list 类型")
        message, not_before = spec.get("message"), spec.get("not_before")
        if message is not None and not (isinstance(message, str) and message.strip()):
            self.problem(path + ("message",), "message 应是非空的文字：值不合要求时告诉填写人的话")
            message = None
        if not_before is not None and not (isinstance(not_before, str) and kind in _PYTHON_TYPES):
            self.problem(path + ("not_before",), "not_before 应是同级一个字段的英文名，只能用于 date 或 integer 类型")
            not_before = None

        rules: Dict[str, Any] = {}
        for rule, value in spec.items():
            if rule in _OWN_KEYS or rule == "schema":
                continue
            if rule not in _RULES:
                hint = did_you_mean(rule, sorted(_RULES) + list(_OWN_KEYS))
                self.problem(path + (rule,), f"未知规则“{rule}”{hint}")
                continue
            rules[rule] = value
        self._check_values(rules, kind, path)

        compiled = Field(name, label, tuple(aliases), rules, one_or_more is True, example=spec.get("example"),
                         message=message, not_before=not_before)
        if "schema" in spec:
            inner = spec["schema"]
            if kind == "dict":
                compiled.fields, compiled.keys = self.mapping(inner, path + ("schema",))
                rules["schema"] = {n: f.rules for n, f in compiled.fields.items()}
            elif kind == "list":
                compiled.item = self.field("", inner, path + ("schema",), default_label=label)
                if compiled.item is not None:
                    rules["schema"] = compiled.item.rules
            else:
                self.problem(path + ("schema",), "只有 dict 和 list 类型可以写 schema")
        if kind in ("integer", "boolean", "date") and "coerce" not in rules:
            rules["coerce"] = _COERCIONS[kind]
        if kind == "string" and compiled.required and "empty" not in rules:
            rules["empty"] = False
        return compiled

    def _check_values(self, rules: Dict[str, Any], kind: Any, path: PathTuple) -> None:
        """Rule values Cerberus accepts but would trip over (or silently ignore) while validating."""
        for rule in ("default", "default_setter"):
            if rule in rules:
                self.problem(path + (rule,), f"字段定义不能写 {rule}：事实只能来自事实表，没写的可选事实在文稿里"
                                             "显示为【待补】，不由模板补上")
        if isinstance(rules.get("regex"), str):
            try:
                re.compile(rules["regex"])
            except re.error as error:
                self.problem(path + ("regex",), f"正则表达式写错了（{error}）")
        expected = _PYTHON_TYPES.get(kind)
        for rule in ("min", "max"):
            value = rules.get(rule)
            if expected and rule in rules and (not isinstance(value, expected) or isinstance(value, bool)):
                self.problem(path + (rule,), f"{rule} 应是{TYPE_NAMES[kind]}，实际是“{value}”")

    def check_rules(self, spec: Field, path: PathTuple) -> None:
        """Find which field's rules Cerberus rejected, to report it at the right line."""
        own = {rule: value for rule, value in spec.rules.items() if rule != "schema"}
        try:
            _Validator({"field": own})
        except cerberus.SchemaError as error:
            details = error.args[0].get("field", []) if isinstance(error.args[0], dict) else [error]
            for detail in details:
                if isinstance(detail, dict):
                    for rule, messages in detail.items():
                        english = _english(messages)
                        wanted = _CERBERUS_TYPE.match(english)
                        if wanted:
                            name = _RULE_VALUE_TYPES.get(wanted.group(1), wanted.group(1))
                            self.problem(path + (rule,), f"规则“{rule}”的值应是{name}（{english}）")
                        else:
                            self.problem(path + (rule,), f"规则“{rule}”的值不对（{english}）")
                else:
                    self.problem(path, f"字段定义有误（{detail}）")
        for sub in (spec.fields or {}).values():
            self.check_rules(sub, path + ("schema", sub.name))
        if spec.item is not None:
            self.check_rules(spec.item, path + ("schema",))


def _english(messages: Any) -> str:
    if isinstance(messages, list):
        return "; ".join(_english(m) for m in messages)
    return str(messages)


# --------------------------------------------------------------------------- validation


def validate(
    sheet: FactSheet, schema: Schema, mounts: Optional[Dict[str, PathTuple]] = None
) -> Dict[str, Any]:
    """Check a sheet and return its facts under canonical keys, typed, with Missing for gaps, every
    value wrapped with the place it was written (provenance.py).

    ``mounts`` gives a top-level field its value from elsewhere in the sheet: {"event": ("活动", 1)}
    validates the second item of the 活动 list as the schema's ``event``. Every message and
    placeholder then names the value where it was written (活动[2].主持.姓名, at its line).
    Raises DrafterError with every problem found, sorted by line.
    """
    renamer = _Renamer(sheet, mounts or {})
    document = renamer.mapping(sheet.data, schema.root, (), (), top=True)
    problems = renamer.problems
    validator = schema.validator
    if not validator.validate(document):
        problems += _translate(validator.errors, sheet, schema.root, renamer.origin)
    if problems:
        raise DrafterError(by_position(problems))
    facts = validator.document
    _fill_missing(facts, schema.root, (), renamer.origin)
    return attach(facts, sheet.path, renamer.origin, sheet.positions)


class _Renamer:
    """Renames the keys the writer typed (label, alias or canonical) and remembers the way back."""

    def __init__(self, sheet: FactSheet, mounts: Dict[str, PathTuple]):
        self.sheet = sheet
        self.mounts = mounts
        self.origin: Dict[PathTuple, PathTuple] = {(): ()}  # canonical path → path as typed
        self.problems: List[Problem] = []

    def value(self, value: Any, spec: Field, typed: PathTuple, canonical: PathTuple) -> Any:
        self.origin[canonical] = typed
        if spec.one_or_more and isinstance(value, str):
            self.origin[canonical + (0,)] = typed
            return [value]
        if spec.fields is not None and isinstance(value, dict):
            return self.mapping(value, spec, typed, canonical)
        if spec.item is not None and isinstance(value, list):
            return [
                self.value(item, spec.item, typed + (index,), canonical + (index,))
                for index, item in enumerate(value)
            ]
        return value

    def mapping(
        self, value: Dict[str, Any], spec: Field, typed: PathTuple, canonical: PathTuple, top: bool = False
    ) -> Dict[str, Any]:
        """At the top level unknown keys are other document kinds' sections, so they are skipped."""
        result: Dict[str, Any] = {}
        written_as: Dict[str, str] = {}
        if top:
            for name, where in self.mounts.items():
                result[name] = self.value(value_at(self.sheet.data, where), spec.fields[name], where, (name,))
        for key, item in value.items():
            key_path = typed + (key,)
            name = spec.keys.get(key)
            if name is None or (top and name in self.mounts):
                if not top:
                    self._problem(key_path, self._unknown(key, spec))
                continue
            sub = spec.fields[name]
            if name in written_as:
                earlier = written_as[name]
                line = self.sheet.key_positions[typed + (earlier,)][0]
                self._problem(key_path, f"与第 {line} 行的“{earlier}”是同一字段“{sub.label}”，只能写一个")
                continue
            written_as[name] = key
            if item is None and not sub.required:
                continue  # an optional blank is simply not given
            result[name] = self.value(item, sub, key_path, canonical + (name,))
        for name in written_as:
            if spec.fields[name].not_before in written_as:
                self._check_order(result, spec, name, typed, written_as)
        return result

    def _check_order(self, result: Dict[str, Any], spec: Field, name: str, typed: PathTuple,
                     written_as: Dict[str, str]) -> None:
        """An end (结束日期) before its start (日期): each is a good date alone, so Cerberus cannot tell."""
        end = spec.fields[name]
        start = spec.fields[end.not_before]
        kind = end.rules["type"]
        try:
            last, first = _COERCIONS[kind](result.get(end.name)), _COERCIONS[kind](result.get(start.name))
        except ValueError:
            return  # not a date (or number) at all: Cerberus says so
        if isinstance(last, _PYTHON_TYPES[kind]) and isinstance(first, _PYTHON_TYPES[kind]) and last < first:
            end_key, start_key = written_as[end.name], written_as[start.name]
            line = self.sheet.where(typed + (start_key,), at_key=True)[0]
            self._problem(typed + (end_key,),
                          f"{end_key}（{_show(last)}）早于{start_key}（{_show(first)}，第 {line} 行）")

    @staticmethod
    def _unknown(key: str, spec: Field) -> str:
        hint = did_you_mean(key, spec.keys, cutoff=0.5) or "，"
        labels = "、".join(sub.label for sub in spec.fields.values())
        return f"未知字段“{key}”{hint}可用字段：{labels}"

    def _problem(self, key_path: PathTuple, message: str) -> None:
        line, column = self.sheet.where(key_path, at_key=True)
        self.problems.append(Problem(message, self.sheet.path, line, column, format_path(key_path)))


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


def _translate(
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
        if spec is not None and spec.message and error.code in _BROKEN_RULES:
            message = f"{spec.message}，实际是“{_brief(str(value_at(sheet.data, typed)))}”"
        elif spec is not None and spec.message and error.code == codes.COERCION_FAILED.code:
            message += f"；{spec.message}"
        problems.append(Problem(message + sheet.blank_note(typed), sheet.path, line, column, format_path(typed)))
    return problems


# The rule codes a field's own ``message`` speaks for.
_BROKEN_RULES = (codes.MIN_VALUE.code, codes.MAX_VALUE.code, codes.REGEX_MISMATCH.code)


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
        return "不能为空"
    if code in (codes.MIN_LENGTH.code, codes.MAX_LENGTH.code):
        return _length_message(code, rules.get("minlength"), rules.get("maxlength"), value)
    if code == codes.ITEMS_LENGTH.code:
        return f"应有 {len(constraint)} 项，实际 {len(value)} 项"
    if code == codes.UNALLOWED_VALUE.code:
        return f"“{_show(value)}”不是可选的值；可选：{_choices(constraint)}"
    if code == codes.UNALLOWED_VALUES.code:
        return f"有不可选的值：{_choices(error.info[0])}；可选：{_choices(constraint)}"
    if code in (codes.FORBIDDEN_VALUE.code, codes.FORBIDDEN_VALUES.code):
        return f"不能填{_choices(error.info[0] if error.info else [value])}"
    if code == codes.REGEX_MISMATCH.code:
        return f"“{_show(value)}”的格式不对（应符合 {constraint}）"
    if code == codes.MIN_VALUE.code:
        return f"不能小于 {_show(constraint)}，实际是 {_show(value)}"
    if code == codes.MAX_VALUE.code:
        return f"不能大于 {_show(constraint)}，实际是 {_show(value)}"
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


def _show(value: Any) -> str:
    if isinstance(value, bool):
        return "是" if value else "否"
    return zh_date(value)  # a date as drafts print it; anything else as text


def _choices(values: Iterable[Any]) -> str:
    return "、".join(f"“{_show(v)}”" for v in values)


def _brief(text: str) -> str:
    """A value quoted in a message: a long one cut short."""
    return text if len(text) <= 20 else text[:20] + "…"


def _describe(value: Any) -> str:
    if isinstance(value, str):
        return f"文字“{_brief(value)}”"
    if isinstance(value, dict):
        return TYPE_NAMES["dict"]
    if isinstance(value, list):
        return TYPE_NAMES["list"]
    return f"“{_show(value)}”"


def _fill_missing(value: Any, spec: Field, canonical: PathTuple, origin: Dict[PathTuple, PathTuple]) -> None:
    """Give every absent optional field of every mapping present a Missing, for the templates."""
    if spec.fields is not None and isinstance(value, dict):
        for name, sub in spec.fields.items():
            if name in value:
                _fill_missing(value[name], sub, canonical + (name,), origin)
            elif not sub.required:
                path = format_path(origin[canonical] + (sub.label,))
                value[name] = Missing(sub.label, path, sub.fields)
    elif spec.item is not None and isinstance(value, list):
        for index, item in enumerate(value):
            _fill_missing(item, spec.item, canonical + (index,), origin)
