"""Reading a pack's outline statically, before any fact sheet is rendered into it.

Names and fields the schema does not declare, Python internals (``__class__``), missing or
self-including fragments and syntax errors are reported at their template file and line; what the
outline reads is recorded so runtime errors can name the facts involved.
"""
from __future__ import annotations

import os
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any, Dict, List, Optional, Set, Tuple

from . import cache
from .characters import in_value
from .errors import DrafterError, Problem, did_you_mean
from .render import environment_for
from .templates import FieldPath, Reads, TemplatePack, dotted_path
from .textfile import read_bytes
from .zh import invented_number, typed_enumerator

if TYPE_CHECKING:
    from .validate import Field, Schema


#: Names Jinja provides inside templates besides the environment's globals.
_JINJA_NAMES = frozenset({"loop", "self", "super", "caller", "varargs", "kwargs"})
_DICT_METHODS = frozenset({"items", "keys", "values", "get"})
_ITEM_FILTERS = frozenset({"first", "last", "random"})  # a list's item
_LIST_FILTERS = frozenset({"sort", "reverse", "unique", "list", "select", "reject", "selectattr", "rejectattr",
                           "default", "d"})  # the same list
_MAX_DEPTH = 20
_INTERNAL = re.compile(r"_[A-Za-z_]")  # a private or dunder name: _TemplateReference__context, __class__
_FORMAT_INTERNAL = re.compile(r"\{[^{}]*?[.\[]\s*_")  # "{0.__init__.__globals__}" in a format string
#: Methods that change a list, a mapping or a set in place.
_MUTATORS = frozenset({"append", "extend", "insert", "pop", "remove", "clear", "update", "setdefault", "popitem",
                       "sort", "reverse", "add", "discard", "difference_update", "intersection_update",
                       "symmetric_difference_update"})
Ref = Tuple["Field", FieldPath]


def check_outline(pack: TemplatePack, schema: Schema) -> None:
    """Before rendering: stop with every problem the outline and its fragments have."""
    problems = outline_problems(pack, schema)
    if problems:
        raise DrafterError(problems)


#: search path → (schema, stamps of the files and folders read, problems, reads): a batch checks once.
_CHECKED: Dict[Tuple[str, ...], Tuple[Any, Tuple[Tuple[str, Any], ...], List[Problem], Reads]] = {}


def outline_problems(pack: TemplatePack, schema: Schema) -> List[Problem]:
    """Syntax errors, missing fragments, names and fields no schema declares, reaching into Python
    internals — each at its template file and line. Records what the pack reads in ``pack.reads``.

    The result holds while the schema and every template file and folder it read are unchanged:
    it is kept for the process, and in drafter's cache for the next one."""
    import jinja2

    key = tuple(pack.search_path)
    cached = _CHECKED.get(key)
    if not (cached and cached[0] is schema and _fresh(cached[1])):
        disk_key = cache.digest(["outline-check", jinja2.__version__, schema.key] + list(key)) if schema.key else None
        cached = (schema,) + cache.remember("outline-check", disk_key, lambda: _check(pack, schema), _usable)
        if len(_CHECKED) > 32:
            _CHECKED.clear()
        _CHECKED[key] = cached
    pack.reads = cached[3]
    return list(cached[2])


def _check(pack: TemplatePack, schema: Schema) -> Tuple[Tuple[Tuple[str, Any], ...], List[Problem], Reads]:
    env = environment_for(pack)
    env.cache.clear()  # a file changed within its mtime's tick would otherwise keep its old compiled form
    reader = _Reader(env, schema)
    reader.template(pack.outline.name, {}, (), None)
    problems = list(dict.fromkeys(reader.problems))  # a fragment included twice is reported once
    stamps = tuple((f, _stamp(f)) for f in sorted(reader.files | set(pack.search_path)))
    return stamps, problems, reader.reads


def _fresh(stamps: Tuple[Tuple[str, Any], ...]) -> bool:
    return all(_stamp(f) == stamp for f, stamp in stamps)


def _usable(stored: Any) -> bool:
    return (isinstance(stored, tuple) and len(stored) == 3 and isinstance(stored[1], list)
            and isinstance(stored[2], Reads) and _fresh(stored[0]))


def _stamp(path: str) -> Any:
    """What a template file holds, or every file and folder below a folder (a fragment added in a
    subfolder may be what an include now finds): templates are small, and an edit that keeps the
    size within one tick of the file system's clock must still count."""
    try:
        if os.path.isdir(path):
            return tuple(sorted(os.path.relpath(os.path.join(top, name), path)
                                for top, folders, files in os.walk(path) for name in folders + files))
        return read_bytes(path, "模板片段")
    except (OSError, DrafterError):
        return None


_LOOP_NUMBERS = frozenset({"index", "index0", "revindex", "revindex0", "length"})


class _Reader:
    def __init__(self, env: Any, schema: Schema):
        self.env = env
        self.top: Dict[str, Field] = schema.root.fields or {}
        self.problems: List[Problem] = []
        self.reads = Reads()
        self.files: Set[str] = set()  # template files read, to know when a check is stale
        from .validate import iter_fields

        for path, label, spec in iter_fields(self.top):
            self.reads.labels[path] = label
            if spec.item is not None:
                self.reads.labels[path + ("[]",)] = label + "[]"

    def problem(self, file: str, line: Optional[int], message: str, path: Optional[FieldPath] = None) -> None:
        self.problems.append(Problem(message, file, line, None, dotted_path(path) if path else None))

    # -- one template and what it includes

    def _check_numbers(self, ast: Any, filename: str) -> None:
        """Every number in a draft comes from the sheet: none in the template's own words (21, 三点,
        二十一个), none printed from a literal, a sum or a loop counter (heading numbers are the
        writer's job). The renderer and accounting.check_numbers hold the line for what a template
        computes; this finds the plain cases at their line before anything renders."""
        from jinja2 import nodes

        for data in ast.find_all(nodes.TemplateData):
            found = invented_number(data.data)
            if found:
                line = data.lineno + data.data[:data.data.find(found)].count("\n")
                self.problem(filename, line, f"模板文字里写了数字“{found}”：数字只能来自事实表；序号由形式方案生成，"
                                             "要写事实表里有几项，用 |length|zh_numeral 数出来")
            typed = typed_enumerator(data.data)
            if typed:
                line = data.lineno + data.data[:data.data.find(typed)].count("\n")
                self.problem(filename, line, f"模板文字里写了序号“{typed}”：序号由形式方案按位置生成，模板里写成一项"
                                             "（## 部分、### 节、#### 点）即可（docs/forms.md）")
        for output in ast.find_all(nodes.Output):
            for child in output.nodes:
                counter = (isinstance(child, nodes.Getattr) and isinstance(child.node, nodes.Name)
                           and child.node.name == "loop" and child.attr in _LOOP_NUMBERS)
                text = isinstance(child, nodes.Const) and isinstance(child.value, str) and invented_number(child.value)
                arithmetic = isinstance(child, nodes.BinExpr) and any(
                    isinstance(side, nodes.Const) and isinstance(side.value, (int, float)) for side in (child.left, child.right))
                if (isinstance(child, nodes.Const) and isinstance(child.value, (int, float))
                        and not isinstance(child.value, bool)) or arithmetic or counter or text:
                    self.problem(filename, child.lineno, "模板输出了自己写出或算出的数字：数字只能来自事实表，"
                                                         "序号由形式方案生成（写成一项：## 部分、### 节、#### 点）")

    def _check_changes(self, ast: Any, filename: str) -> None:
        """A template arranges facts and never changes them: no list.pop(), dict.update()… (the
        immutable sandbox refuses them too, without the line)."""
        from jinja2 import nodes

        for node in ast.find_all(nodes.Call):
            if isinstance(node.node, nodes.Getattr) and node.node.attr in _MUTATORS:
                self.problem(filename, node.lineno, f"模板不能改动事实或列表（“.{node.node.attr}()”）：模板只排列事实，"
                                                    "要少写几项请用 {% if %} 或 selectattr 过滤")

    def template(self, name: str, inherited: Dict[str, Optional[Ref]], stack: Tuple[str, ...],
                 at: Optional[Tuple[str, int]]) -> None:
        import jinja2

        try:
            source, filename, _ = self.env.loader.get_source(self.env, name)
        except jinja2.TemplateNotFound:
            near = sorted({p.name[:-3] for folder in self.env.loader.searchpath for p in Path(folder).glob("*.j2")}
                          - {"outline.md"})
            self.problem(at[0] if at else name, at[1] if at else None,
                         f"找不到要引入的模板片段“{name}”：只能引入本样式文件夹和文种文件夹里的 .j2 文件"
                         f"（可用：{'、'.join(near) or '无'}）")
            return
        self.files.add(filename)
        unseen = in_value(source.replace("\t", " "))
        if unseen:
            self.problem(filename, source[:unseen[0]].count("\n") + 1, "模板" + unseen[1])
            return
        if filename in stack:
            self.problem(at[0], at[1], f"模板片段“{name}”引入了自己（{' → '.join(Path(s).name for s in stack)}），会无限循环")
            return
        if len(stack) > _MAX_DEPTH:
            return
        try:
            ast = self.env.parse(source, name, filename)
        except jinja2.TemplateSyntaxError as error:
            self.problem(filename, error.lineno, f"模板语法错误：{error.message}")
            return
        bindings = self._bind(ast, inherited)
        self._check_numbers(ast, filename)
        self._check_changes(ast, filename)
        self._check_names(ast, filename, bindings, inherited)
        self._check_attributes(ast, filename, bindings)
        self._follow(ast, filename, bindings, stack + (filename,))

    def _follow(self, ast: Any, filename: str, bindings: Dict[str, Optional[Ref]], stack: Tuple[str, ...]) -> None:
        from jinja2 import nodes

        for node in ast.find_all((nodes.Include, nodes.Import, nodes.FromImport, nodes.Extends)):
            if not (isinstance(node.template, nodes.Const) and isinstance(node.template.value, str)):
                continue  # a name computed while rendering: the loader still only reads pack folders
            name = node.template.value
            if isinstance(node, nodes.Include) and node.ignore_missing and not self._exists(name):
                continue
            with_context = isinstance(node, (nodes.Include, nodes.Extends)) or getattr(node, "with_context", False)
            self.template(name, bindings if with_context else {}, stack, (filename, node.lineno))

    def _exists(self, name: str) -> bool:
        import jinja2

        try:
            self.env.loader.get_source(self.env, name)
            return True
        except jinja2.TemplateNotFound:
            return False

    # -- which names stand for which fields

    def _bind(self, ast: Any, inherited: Dict[str, Optional[Ref]]) -> Dict[str, Optional[Ref]]:
        """Names the template sets (set, for, with, macro, import) and the field each stands for,
        when it stands for one: {% set ev = event %}, {% for area in areas %}. A name set to
        different things stays unknown. Repeated until nothing changes, so order does not matter."""
        from jinja2 import nodes

        bindings: Dict[str, Optional[Ref]] = dict(inherited)
        for _ in range(6):
            found: Dict[str, Optional[Ref]] = {}
            conflicts: Set[str] = set()

            def bind(target: Any, ref: Optional[Ref]) -> None:
                names = [target.name] if isinstance(target, nodes.Name) else \
                    [n.name for n in target.find_all(nodes.Name)] if isinstance(target, nodes.Node) else [target]
                for name in names:
                    ref_here = ref if isinstance(target, nodes.Name) else None
                    if name in found and _path(found[name]) != _path(ref_here):
                        conflicts.add(name)
                    found.setdefault(name, ref_here)

            for node in ast.find_all((nodes.Assign, nodes.AssignBlock, nodes.For, nodes.With, nodes.Macro,
                                      nodes.CallBlock, nodes.Import, nodes.FromImport)):
                if isinstance(node, nodes.Assign):
                    bind(node.target, self.resolve(node.node, bindings))
                elif isinstance(node, nodes.For) and _pairs(node):
                    # {% for area, heading in areas|frame_headings(heading_frame) %}: an item and its heading
                    item = _item(self.resolve(node.iter.node, bindings))
                    first, second = node.target.items
                    heading = item and (item[0].fields or {}).get("heading")
                    bind(first, item)
                    bind(second, (heading, item[1] + ("heading",)) if heading else None)
                elif isinstance(node, nodes.For):
                    bind(node.target, _item(self.resolve(node.iter, bindings)))
                elif isinstance(node, nodes.With):
                    for target, value in zip(node.targets, node.values):
                        bind(target, self.resolve(value, bindings))
                elif isinstance(node, nodes.Macro):
                    bind(node.name, None)
                    for arg in node.args:
                        bind(arg, None)
                elif isinstance(node, nodes.CallBlock):
                    for arg in node.args:
                        bind(arg, None)
                elif isinstance(node, nodes.Import):
                    bind(node.target, None)
                elif isinstance(node, nodes.FromImport):
                    for item in node.names:
                        bind(item[1] if isinstance(item, tuple) else item, None)
                elif isinstance(node, nodes.AssignBlock):
                    bind(node.target, None)
            for name in conflicts:
                found[name] = None
            updated = {**inherited, **found}
            if {k: _path(v) for k, v in updated.items()} == {k: _path(v) for k, v in bindings.items()}:
                return updated
            bindings = updated
        return bindings

    def resolve(self, expr: Any, bindings: Dict[str, Optional[Ref]]) -> Optional[Ref]:
        """The field an expression stands for: event.host.title, (ev.leaders|first).name, areas[0]."""
        from jinja2 import nodes

        if isinstance(expr, nodes.Name):
            if expr.name in bindings:
                return bindings[expr.name]
            spec = self.top.get(expr.name)
            return (spec, (expr.name,)) if spec is not None else None
        if isinstance(expr, (nodes.Getattr, nodes.Getitem)):
            base = self.resolve(expr.node, bindings)
            key = _key(expr)
            if base is None or key is None:
                return None
            if isinstance(key, int):
                return _item(base)
            spec = (base[0].fields or {}).get(key)
            return (spec, base[1] + (key,)) if spec is not None else None
        if isinstance(expr, nodes.Filter) and expr.node is not None:
            if expr.name in _ITEM_FILTERS:
                return _item(self.resolve(expr.node, bindings))
            if expr.name in _LIST_FILTERS:
                return self.resolve(expr.node, bindings)
        return None

    # -- the checks

    def _check_names(self, ast: Any, filename: str, bindings: Dict[str, Optional[Ref]],
                     inherited: Dict[str, Optional[Ref]]) -> None:
        from jinja2 import meta, nodes

        known = set(self.top) | set(self.env.globals) | set(inherited) | _JINJA_NAMES
        first_use: Dict[str, int] = {}
        for node in ast.find_all(nodes.Name):
            if node.ctx == "load":
                first_use.setdefault(node.name, node.lineno)
                ref = self.resolve(node, bindings)
                if ref is not None:
                    self._read(filename, node.lineno, ref[1])
        unknown = [(node, node.name, self.env.filters if isinstance(node, nodes.Filter) else self.env.tests)
                   for node in ast.find_all((nodes.Filter, nodes.Test))]
        unknown = [(node, name, known_ones) for node, name, known_ones in unknown if name not in known_ones]
        for node, name, known_ones in unknown:
            what = "过滤器" if isinstance(node, nodes.Filter) else "测试"
            self.problem(filename, node.lineno, f"没有名为“{name}”的{what}{did_you_mean(name, known_ones) or '；'}"
                                                "可用的写法见 docs/authoring.md 第 5 节")
        if unknown:
            return  # Jinja cannot compile the template to find its names
        for name in sorted(meta.find_undeclared_variables(ast) - known, key=lambda n: first_use.get(n, 0)):
            self.problem(filename, first_use.get(name), self._unknown_name(name))

    def _unknown_name(self, name: str) -> str:
        if name.startswith("_") or name in ("open", "eval", "exec", "getattr", "globals", "locals", "vars"):
            return (f"模板用到了没有定义的名字“{name}”：模板只能排列事实，不能读文件、引入模块或调用程序内部")
        by_label = {label: n for n, spec in self.top.items() for label in (spec.label, *spec.aliases)}
        if name in by_label:
            hint = f"。事实表里的“{name}”在模板里写作 {by_label[name]}。"
        else:
            hint = did_you_mean(name, self.top) or "。"
        fields = "、".join(f"{n}（{spec.label}）" for n, spec in self.top.items())
        return (f"模板用到了没有定义的名字“{name}”：字段定义里没有这个字段{hint}"
                f"可用的字段：{fields}；要读新的事实，先在样式的 schema.yaml 里定义它")

    def _check_attributes(self, ast: Any, filename: str, bindings: Dict[str, Optional[Ref]]) -> None:
        from jinja2 import nodes

        for node in ast.find_all((nodes.Filter, nodes.Test)):  # |attr('__class__'), |map('attr', '_x')
            arguments = list(node.args) + [k.value for k in node.kwargs]
            for value in arguments:
                if isinstance(value, nodes.Const) and isinstance(value.value, str) and _INTERNAL.match(value.value):
                    self.problem(filename, node.lineno, f"模板试图访问程序内部（“{value.value}”）：模板只能排列事实，"
                                                        "不能读文件或调用程序内部")
        for node in ast.find_all(nodes.Const):
            unseen = in_value(node.value) if isinstance(node.value, str) else None
            if unseen:  # "\ufdd0" in a string: Jinja decodes the escape, so the source check missed it
                self.problem(filename, node.lineno, "模板的字符串" + unseen[1])
            if isinstance(node.value, str) and _FORMAT_INTERNAL.search(node.value):
                self.problem(filename, node.lineno, "模板的格式字符串试图访问程序内部（“{….__…}”）：模板只能排列事实，"
                                                    "不能读文件或调用程序内部")
        for node in ast.find_all((nodes.Getattr, nodes.Getitem)):
            key = _key(node)
            if isinstance(key, str) and _INTERNAL.match(key):
                self.problem(filename, node.lineno, f"模板试图访问程序内部（“{key}”）：模板只能排列事实，"
                                                    "不能读文件或调用程序内部")
                continue
            base = self.resolve(node.node, bindings)
            if base is None or not isinstance(key, str):
                continue
            spec, path = base
            if spec.fields is not None:
                if key in spec.fields and isinstance(node, nodes.Getattr) and hasattr(dict, key):
                    self.problem(filename, node.lineno,
                                 f"字段名“{key}”与 Python 字典的方法同名，{dotted_path(path + (key,))} 取到的是方法而不是事实："
                                 f"请写成 {dotted_path(path)}['{key}']，或在字段定义里给它换个名字", path + (key,))
                elif key in spec.fields:
                    self._read(filename, node.lineno, path + (key,))
                elif key not in _DICT_METHODS:
                    self.problem(filename, node.lineno, self._unknown_field(key, spec, path), path + (key,))
            elif spec.item is not None and spec.item.fields and key in spec.item.fields:
                self.problem(filename, node.lineno,
                             f"“{self.reads.labels.get(path, dotted_path(path))}”是列表，不能直接取“{key}”："
                             f"请用 {{% for 一项 in {dotted_path(path)} %}} 逐项取“一项.{key}”", path + (key,))

    def _unknown_field(self, key: str, spec: Field, path: FieldPath) -> str:
        by_label = {label: n for n, sub in spec.fields.items() for label in (sub.label, *sub.aliases)}
        hint = (f"；事实表里的“{key}”在模板里写作 {by_label[key]}" if key in by_label
                else did_you_mean(key, spec.fields))
        fields = "、".join(f"{n}（{sub.label}）" for n, sub in spec.fields.items())
        where = self.reads.labels.get(path, dotted_path(path))
        return (f"字段定义里“{dotted_path(path)}”（{where}）没有“{key}”这一项{hint}"
                f"（它有：{fields}）；要读新的事实，先在样式的 schema.yaml 里定义它")

    def _read(self, filename: str, line: int, path: FieldPath) -> None:
        self.reads.paths.add(path)
        self.reads.lines.setdefault((filename, line), set()).add(path)


#: Filters that give each item of a list with something beside it, as (item, value) pairs.
_PAIR_FILTERS = frozenset({"frame_headings"})


def _pairs(node: Any) -> bool:
    from jinja2 import nodes

    return (isinstance(node.iter, nodes.Filter) and node.iter.name in _PAIR_FILTERS and node.iter.node is not None
            and isinstance(node.target, nodes.Tuple) and len(node.target.items) == 2)


def _path(ref: Optional[Ref]) -> Optional[FieldPath]:
    return ref[1] if ref is not None else None


def _item(ref: Optional[Ref]) -> Optional[Ref]:
    if ref is None or ref[0].item is None:
        return None
    return ref[0].item, ref[1] + ("[]",)


def _key(node: Any) -> Any:
    """The attribute or constant key of a Getattr/Getitem node, else None."""
    from jinja2 import nodes

    if isinstance(node, nodes.Getattr):
        return node.attr
    if isinstance(node.arg, nodes.Const) and isinstance(node.arg.value, (str, int)):
        return node.arg.value
    return None
