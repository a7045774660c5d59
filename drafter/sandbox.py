"""The sandbox a pack's templates run in: Jinja's immutable sandbox, and what drafter promises on top.

A template from a colleague can arrange facts and nothing else:
- it cannot read files, import modules or reach Python internals (Jinja's sandbox, ≥ 3.1.6, whose
  older releases let a template escape it), nor change the facts it is given (the immutable
  sandbox: no list.pop, no dict.update), nor see how drafter tracks them;
- whatever it computes from a fact (fact.replace(…), fact[:3], fact|truncate, '{:.4}'.format(fact))
  is Derived text, and printing that is an error, so a fact reaches the draft only as the sheet
  wrote it; joining facts (~, join, plain format fields) keeps them facts;
- a count it prints (loop.index, areas|length) counts one of the sheet's own lists (provenance.Count);
- it stops within seconds and bounded memory whatever it does (limits.py): loops, calls, filters,
  operators and includes step a budget, and what an operation would build is checked first.
"""
from __future__ import annotations

import inspect
import re
from typing import Any, Callable, Dict, Iterable, Optional, Sequence

import jinja2
from jinja2 import nodes
from jinja2.compiler import CodeGenerator
from jinja2.runtime import LoopContext, Macro
from jinja2.sandbox import ImmutableSandboxedEnvironment

from . import limits
from . import provenance as pv
from . import richtext as rt
from .limits import INCLUDE_WEIGHT, RenderLimit, RenderState

#: The first Jinja2 release without the known sandbox escapes (CVE-2024-56201, CVE-2024-56326,
#: CVE-2025-27516); setup.cfg asks for it, and drafter refuses to render packs on anything older.
JINJA_FLOOR = (3, 1, 6)

_COUNTERS = {"index": "序号", "revindex": "序号", "length": "计数"}
#: Jinja filters a draft has no use for and a pack could use to make giant output or slow work.
_WITHOUT = ("center", "indent", "wordwrap", "urlize", "xmlattr", "pprint", "tojson", "filesizeformat",
            "urlencode", "forceescape", "striptags", "escape", "e", "safe")
#: How drafter tracks facts: not for templates to see (fact.source.text would be an untracked copy).
_TRACKING = frozenset({"source", "pieces", "altered", "counting"})


def check_jinja_version(version: Optional[str] = None) -> None:
    version = version or jinja2.__version__
    found = tuple(int(part) for part in re.findall(r"\d+", version)[:3])
    if found < JINJA_FLOOR:
        from .errors import DrafterError

        floor = ".".join(map(str, JINJA_FLOOR))
        raise DrafterError(f"已安装的 Jinja2 是 {version}，有已知的沙箱漏洞，模板不能在其中安全运行；"
                           f"请升级到 {floor} 或更新的版本：pip install -U 'Jinja2>={floor}'")


class Counted:
    """What a {% for %} loops over: each item steps the budget (``weight`` stands for the template
    text the loop body prints); one of the sheet's lists makes loop.index a count of the sheet; the
    characters of a fact are pieces of it, not facts."""

    def __init__(self, iterable: Any, weight: int, state: RenderState):
        if isinstance(iterable, str) and rt.is_marked(iterable):
            altered = pv.Altered(rt.sources_in([iterable]), "逐字")
            iterable = [pv.Derived(char, altered) for char in str(iterable)]
        elif not isinstance(iterable, (list, tuple, str, dict, range, pv.Missing)):
            items = []
            for item in iterable:  # a generator (selectattr, map): its items, counted
                state.step()
                items.append(item)
            iterable = items
        self.items, self.weight, self.state = iterable, weight, state
        self.facts_only = isinstance(iterable, (list, tuple)) and pv.counts_facts(iterable)
        self.source = pv.source_of(iterable)

    def __iter__(self):
        for item in self.items:
            self.state.step(self.weight)
            yield item

    def __len__(self) -> int:
        return len(self.items)


class _CodeGenerator(CodeGenerator):
    """``a ~ b`` joins through the environment, so the facts in it keep their source."""

    def visit_Concat(self, node: nodes.Concat, frame) -> None:
        self.write("environment.concat_values((")
        for argument in node.nodes:
            self.visit(argument, frame)
            self.write(", ")
        self.write("))")


def _loop_weight(loop: nodes.For) -> int:
    """Characters of template text one iteration of a loop may print (nested loops count their own)."""
    total, stack = 0, list(loop.body) + list(loop.else_)
    while stack:
        node = stack.pop()
        if isinstance(node, nodes.TemplateData):
            total += len(node.data)
        elif isinstance(node, nodes.Include):
            total += INCLUDE_WEIGHT
        elif not isinstance(node, (nodes.For, nodes.Macro)):
            stack.extend(node.iter_child_nodes())
    return total


def _step_before_includes(tree: nodes.Node, env: "PackEnvironment") -> None:
    """Each {% include %} and {% import %} steps the budget: fragments including fragments fan out."""
    for node in [tree, *tree.find_all(nodes.Node)]:
        for name in node.fields:
            children = getattr(node, name, None)
            if isinstance(children, list) and any(isinstance(c, (nodes.Include, nodes.Import, nodes.FromImport))
                                                  for c in children):
                stepped = []
                for child in children:
                    if isinstance(child, (nodes.Include, nodes.Import, nodes.FromImport)):
                        call = nodes.Call(nodes.EnvironmentAttribute("step"), [], [], None, None, lineno=child.lineno)
                        stepped.append(nodes.ExprStmt(call, lineno=child.lineno).set_environment(env))
                    stepped.append(child)
                setattr(node, name, stepped)


def _outline_join(parts: Iterable[str]) -> pv.Outline:
    """What a {% set %} block, a filter block or a macro rendered: outline markup, not to be escaped
    again when printed."""
    return pv.Outline("".join(parts))


class PackEnvironment(ImmutableSandboxedEnvironment):
    intercepted_binops = frozenset({"+", "-", "*", "/", "//", "%", "**"})
    code_generator_class = _CodeGenerator
    concat = staticmethod(_outline_join)

    def __init__(self, *args: Any, **kwargs: Any):
        check_jinja_version()
        super().__init__(*args, **kwargs)
        self.globals.pop("lipsum", None)  # placeholder Latin, megabytes of it on request: nothing a draft needs
        self.state: Optional[RenderState] = None

    def current(self) -> RenderState:
        """The render under way (render.py starts one per outline; an ad hoc render gets its own)."""
        if self.state is None:
            self.state = RenderState()
        return self.state

    def step(self) -> str:
        self.current().step()
        return ""

    # -- compiling: every loop and include is counted

    def compile(self, source, name=None, filename=None, raw=False, defer_init=False):
        if isinstance(source, str):
            source = self.parse(source, name, filename)
        for loop in source.find_all(nodes.For):
            loop.iter = nodes.Call(nodes.EnvironmentAttribute("counted"),
                                   [loop.iter, nodes.Const(_loop_weight(loop))], [], None, None, lineno=loop.lineno)
            loop.iter.set_environment(self)
        _step_before_includes(source, self)
        return super().compile(source, name, filename, raw, defer_init)

    def counted(self, iterable: Any, weight: int) -> Counted:
        return Counted(iterable, weight, self.current())

    # -- what templates do with values

    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        if attr in _TRACKING and isinstance(obj, (pv.Source, pv.FactText, pv.FactNumber, pv.FactDate, pv.Rich,
                                                   pv.Derived, pv.Count)):
            return False
        return super().is_safe_attribute(obj, attr, value)

    def concat_values(self, values: Sequence[Any]) -> Any:
        """``a ~ b ~ c``."""
        self.current().step()
        limits.check_sizes(values)
        return rt.concat(*values)

    def call_binop(self, context, operator: str, left: Any, right: Any) -> Any:
        self.current().step()
        limits.check_operands(operator, left, right)
        if operator == "+" and isinstance(left, str) and isinstance(right, str):
            return rt.concat(left, right)
        result = self.binop_table[operator](left, right)
        composing = operator == "%" and isinstance(left, str) and limits.plain_format(left, percent=True)
        return limits.sized(derive(result, (left, right), operator, composing=composing))

    def call(__self, __context, __obj: Any, *args: Any, **kwargs: Any) -> Any:  # noqa: N805 (Jinja's signature)
        if getattr(__obj, "__func__", None) is PackEnvironment.counted:
            return __self.counted(*args)
        state = __self.current()
        state.step()
        if isinstance(__obj, LoopContext) and args:  # loop(children) in a recursive loop: counted too
            args = (Counted(args[0], 0, state),) + args[1:]
        method = getattr(__obj, "__wrapped__", __obj)  # the sandbox's wrapper around str.format
        owner = getattr(method, "__self__", None)
        name = getattr(method, "__name__", "")
        limits.check_arguments(args, kwargs)
        limits.check_sizes(list(args) + list(kwargs.values()))
        if isinstance(owner, str):
            if name == "join" and args and not isinstance(args[0], (list, tuple)):
                args = (list(Counted(args[0], 0, state).items),) + args[1:]
            limits.check_string_method(owner, name, args, kwargs)
        result = super().call(__context, __obj, *args, **kwargs)
        if isinstance(result, (bytes, bytearray)):
            raise RenderLimit("模板不能把文字变成字节（encode）")
        if isinstance(__obj, Macro):
            state.output += len(result)
            return limits.sized(pv.Outline(result))
        composing = name == "join" or (name in ("format", "format_map") and isinstance(owner, str)
                                       and limits.plain_format(owner, percent=False))
        inputs = ((owner,) if isinstance(owner, (str, int, list, tuple, dict)) else ()) + args + tuple(kwargs.values())
        return limits.sized(derive(result, inputs, f".{name}()", composing=composing))

    def getattr(self, obj: Any, attribute: str) -> Any:
        if not isinstance(obj, LoopContext):
            return super().getattr(obj, attribute)
        counted = _counted_of(obj)  # first: loop.last or loop.length may exhaust the loop's ``if`` generator
        value = super().getattr(obj, attribute)
        if attribute in _COUNTERS and isinstance(value, int) and counted is not None and counted.facts_only:
            return pv.Count(value, pv.Counting(_COUNTERS[attribute], counted.source))
        return value

    def filters_tracked(self, filters: Dict[str, Callable]) -> None:
        """Jinja's own filters, each checked for sizes and followed for facts (replace, truncate…
        give Derived text; join and plain format keep the facts they compose); drafter's filters
        keep sources themselves. Those a draft has no use for are left out."""
        for name in _WITHOUT:
            filters.pop(name, None)
            self.filters.pop(name, None)
        for name, function in filters.items():
            self.filters[name] = _tracking(function, name, self)
        self.filters["join"] = _join
        self.filters["length"] = self.filters["count"] = _length


def _counted_of(loop: LoopContext) -> Optional[Counted]:
    """The Counted a loop iterates, also behind a loop's own ``if`` filter (a generator over it)."""
    found = loop.__dict__.get("_drafter_counted")
    if found is None:
        iterable = loop._iterable
        if inspect.isgenerator(iterable) and iterable.gi_frame is not None:
            iterable = iterable.gi_frame.f_locals.get("fiter", iterable)
        found = iterable if isinstance(iterable, Counted) else False
        loop.__dict__["_drafter_counted"] = found
    return found or None


# --------------------------------------------------------------------------- following facts


def _carries(value: Any) -> bool:
    return rt.is_marked(value) or pv.is_fact(value)


def derive(result: Any, inputs: Sequence[Any], operation: str, composing: bool = False) -> Any:
    """What an operation on facts gave: a fact or text already carrying its facts as it is; text
    composed from facts (join, format with plain fields) as those facts plus framing; rendered markup
    whose marks all survived as markup; anything else computed from a fact — replace, slicing,
    truncate — as Derived, which cannot be printed."""
    marked = [value for value in inputs if _carries(value)]
    if not marked or isinstance(result, (pv.Rich, pv.Outline, pv.Derived, pv.Missing, pv.Count)) or pv.is_fact(result):
        return result
    if isinstance(result, str):
        outlines = [value for value in marked if isinstance(value, pv.Outline)]
        if outlines and len(outlines) == len(marked) and \
                _marks(result) == [m for o in outlines for m in _marks(o)]:
            return pv.Outline(result)  # rendered markup with its marks intact (o|trim): checked when parsed
        if composing and not outlines:
            pieces, altered = rt.marked_pieces(marked)
            return rt.recover(str(result), pieces, altered[0] if altered else None)
        for value in marked:
            if isinstance(value, (pv.FactText, pv.Rich)) and str.__eq__(value, result):
                return value  # |string, |trim, |upper of Chinese text: still the same fact
            if isinstance(value, pv.FactNumber) and str(int(value)) == result:
                return pv.Rich([(result, value.source)])  # year|string
        return pv.Derived(result, pv.Altered(rt.sources_in(marked), operation))
    if inspect.isgenerator(result) and any(isinstance(value, str) for value in marked):
        result = list(result)  # fact|reject(…), fact|map(…): the pieces of a text are not the text
    if isinstance(result, (list, tuple)) and any(type(item) is str for item in result):
        return type(result)(derive(item, marked, operation) for item in result)  # fact.split('，')
    return result


def _marks(text: str) -> list:
    return [match.group() for match in pv.Marks.SPAN.finditer(text)]


def _tracking(function: Callable, name: str, env: PackEnvironment) -> Callable:
    skip = 1 if getattr(function, "jinja_pass_arg", None) is not None else 0

    def tracked(*args: Any, **kwargs: Any) -> Any:
        values = args[skip:]
        env.current().step()
        limits.check_arguments(values[1:], kwargs)
        limits.check_sizes(values)
        if name == "format" and values and isinstance(values[0], str):
            limits.check_format(values[0], kwargs or values[1:], percent=True)
        elif name == "replace" and len(values) >= 3:
            limits.check_replace(*values[:3])
        elif name == "sum" and not isinstance(kwargs.get("start", values[2] if len(values) > 2 else 0), (int, float)):
            raise RenderLimit("sum 只能把数加起来")
        composing = name == "format" and values and isinstance(values[0], str) and \
            limits.plain_format(values[0], percent=True)
        return limits.sized(derive(function(*args, **kwargs), values + tuple(kwargs.values()), f"|{name}",
                                   composing=bool(composing)))

    if skip:
        tracked.jinja_pass_arg = function.jinja_pass_arg
    return tracked


@jinja2.pass_environment
def _join(environment: Any, value: Any, d: str = "", attribute: Any = None) -> Any:
    """Jinja's join, keeping the facts it joins."""
    from jinja2.filters import make_attrgetter

    items = list(Counted(value, 0, environment.current()).items) if not isinstance(value, pv.Missing) else []
    if attribute is not None:
        items = list(map(make_attrgetter(environment, attribute), items))
    limits.check_join(items, d)
    parts: list = []
    for index, item in enumerate(items):
        parts += ([d] if index else []) + [item]
    return rt.concat(*parts)


def _length(value: Any) -> Any:
    """len(), a count of the sheet when it counts one of the sheet's lists."""
    if isinstance(value, (list, tuple)):
        return pv.count_of(value)
    return len(value) if hasattr(value, "__len__") else len(list(value))
