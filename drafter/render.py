"""Rendering a pack's outline: the sandboxed Jinja environment, the filters templates may use, and
what a render error means in the template's own lines.

Templates run in Jinja's sandbox, so a pack from a colleague cannot read files or run code.
"""
from __future__ import annotations

import datetime
import functools
import sys
from pathlib import Path
from typing import List, Optional, Tuple

from . import cache
from .errors import DrafterError, Problem
from .templates import TemplatePack, dotted_path


def environment_for(pack: TemplatePack):
    """One sandbox per search path, kept: Jinja keeps its compiled templates in it."""
    return _environment(tuple(pack.search_path))


@functools.lru_cache(maxsize=32)
def _environment(search_path: Tuple[str, ...]):
    return new_environment(list(search_path))


def new_environment(search_path: List[str]):
    import jinja2
    from jinja2.sandbox import SandboxedEnvironment, SecurityError

    class PackLoader(jinja2.FileSystemLoader):
        """The pack's folder, then its kind's (whose fragments all its styles share); an include may
        leave out the .j2 suffix: {% include "leaders" %} reads news/leaders.j2. A file reached
        through a link out of these folders is not a template."""

        def get_source(self, environment, name):
            if not name.endswith(".j2"):
                try:
                    return self.get_source(environment, name + ".j2")
                except jinja2.TemplateNotFound:
                    pass
            source, filename, uptodate = super().get_source(environment, name)
            real = Path(filename).resolve()
            if not any(real.is_relative_to(Path(folder).resolve()) for folder in self.searchpath):
                raise jinja2.TemplateNotFound(name)
            return source, filename, uptodate

    class PackEnvironment(SandboxedEnvironment):
        """The sandbox, and no giant strings or numbers either (x * 10**9 would exhaust memory)."""

        intercepted_binops = frozenset({"*", "**"})

        def call_binop(self, context, operator, left, right):
            if operator == "**" and isinstance(right, (int, float)) and abs(right) > 64:
                raise SecurityError("乘方的指数太大")
            if operator == "*":
                sequence, times = (left, right) if isinstance(right, int) else (right, left)
                if isinstance(sequence, (str, list, tuple)) and isinstance(times, int) \
                        and len(sequence) * times > 100_000:
                    raise SecurityError("要重复出的文字或列表太长")
            return super().call_binop(context, operator, left, right)

    class QuietBytecodeCache(jinja2.FileSystemBytecodeCache):
        """Compiled outlines kept in drafter's cache (Jinja keys them by the template's source);
        an entry that cannot be read or written is compiled afresh, never an error."""

        def load_bytecode(self, bucket):
            try:
                super().load_bytecode(bucket)
            except Exception:
                bucket.reset()

        def dump_bytecode(self, bucket):
            try:
                super().dump_bytecode(bucket)
            except Exception:
                pass

    compiled = cache.folder("jinja")
    env = PackEnvironment(
        loader=PackLoader(search_path),
        bytecode_cache=QuietBytecodeCache(str(compiled)) if compiled else None,
        undefined=jinja2.StrictUndefined,
        finalize=_finalizer(),
        keep_trailing_newline=True,
        autoescape=False,
    )
    env.filters.update(_filters())
    return env


def render_outline(pack: TemplatePack, facts: dict) -> str:
    """Render the pack's outline with the validated facts; fact values can only ever be text."""
    import jinja2

    env = environment_for(pack)
    try:
        template = env.get_template(pack.outline.name)
        return template.render(**facts)
    except jinja2.TemplateSyntaxError as error:
        raise DrafterError(Problem(f"模板语法错误：{error.message}",
                                   file=error.filename or str(pack.outline), line=error.lineno))
    except jinja2.TemplateNotFound as error:
        raise DrafterError(_runtime_problem(pack, error, f"找不到要引入的模板片段“{error.name}”"))
    except jinja2.TemplateError as error:
        raise DrafterError(_runtime_problem(pack, error))
    except RecursionError as error:
        raise DrafterError(_runtime_problem(pack, error, "模板片段层层引入自己，停不下来"))
    except (TypeError, ValueError, AttributeError, KeyError, IndexError, ZeroDivisionError, OverflowError,
            MemoryError) as error:
        raise DrafterError(_runtime_problem(pack, error))


def _runtime_problem(pack: TemplatePack, error: Exception, message: Optional[str] = None) -> Problem:
    """Locate a render error in the template (jinja maps template lines into the traceback) and
    name the facts that line reads."""
    import jinja2
    from jinja2.sandbox import SecurityError

    file, line = str(pack.outline), None
    tb = sys.exc_info()[2]
    while tb is not None:
        if tb.tb_frame.f_code.co_filename.endswith(".j2"):
            file, line = tb.tb_frame.f_code.co_filename, tb.tb_lineno
        tb = tb.tb_next
    if message is None and isinstance(error, SecurityError):
        message = f"模板试图做不允许的事（{error}）：模板只能排列事实，不能读文件或调用程序内部"
    elif message is None and isinstance(error, jinja2.UndefinedError):
        message = f"模板用到了没有定义的名字或字段（{error.message}）"
    elif message is None:
        message = f"模板出错：{type(error).__name__}: {error}"
    read = pack.reads.lines.get((file, line), set()) if pack.reads and line else set()
    paths = sorted(p for p in read if not any(other[:len(p)] == p and other != p for other in read))
    if paths:
        message += "；这一行读取的事实：" + "、".join(pack.reads.describe(p) for p in paths)
    return Problem(message, file=file, line=line, path=", ".join(dotted_path(p) for p in paths) or None)


def _finalizer():
    """Every {{ value }} becomes escaped text; a missing fact becomes a placeholder. (Imported once
    per environment, not at the top: templates.py loads no Cerberus until a pack is rendered.)"""
    from .document import escape
    from .validate import Missing
    from .zh import zh_date

    def finalize(value) -> str:
        if isinstance(value, Missing):
            return "[" + escape(value.label) + "]{.待补}"
        if value is None:
            return ""
        if isinstance(value, datetime.date):
            value = zh_date(value)
        return escape(str(value))
    return finalize


def filter_functions() -> dict:
    """Every filter a template may use: the Chinese text helpers and the 排比 frame fillers."""
    from .parallel import frame_fill, frame_headings
    from .zh import FILTERS

    return {**FILTERS, "frame_fill": frame_fill, "frame_headings": frame_headings}


def _filters() -> dict:
    from .validate import Missing

    def passing_missing(function):
        # A filter over a missing fact gives the missing fact back, so it still shows as 【待补】.
        def filtered(value, *args, **kwargs):
            return value if isinstance(value, Missing) else function(value, *args, **kwargs)
        return filtered

    return {name: passing_missing(f) for name, f in filter_functions().items()}
