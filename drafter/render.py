"""Rendering a pack's outline: the environment (sandbox.py), the filters templates may use, every
fact printed marked with its source, and what a render error means in the template's own lines.
"""
from __future__ import annotations

import datetime
import functools
import os
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, List, Optional, Tuple

from . import cache
from .characters import in_value
from .document import escape, fold_lines
from .errors import DrafterError, Problem, by_position
from .provenance import (
    RAW,
    Altered,
    Count,
    FactText,
    Marks,
    Missing,
    Outline,
    Print,
    Rich,
    Source,
    is_off,
    strip_marks,
)
from .richtext import excerpt_of_change, is_marked, pieces_of
from .templates import PACK_FILES, TemplatePack, dotted_path
from .zh import invented_number


def environment_for(pack: TemplatePack):
    """One sandbox per search path, kept: Jinja keeps its compiled templates in it."""
    return _environment(tuple(pack.search_path))


@functools.lru_cache(maxsize=32)
def _environment(search_path: Tuple[str, ...]):
    return new_environment(list(search_path))


OUTLINE = PACK_FILES[1]  # outline.md.j2


def new_environment(search_path: List[str]):
    import jinja2
    from jinja2.loaders import split_template_path

    from .sandbox import PackEnvironment
    from .textfile import read_bytes

    class PackLoader(jinja2.FileSystemLoader):
        """The pack's folder, then its kind's (whose fragments all its styles share); an include may
        leave out the .j2 suffix: {% include "leaders" %} reads news/leaders.j2. Only .j2 files are
        templates, and no other style's outline; a file reached through a link out of these folders
        is not a template either."""

        def get_source(self, environment, name):
            if not name.endswith(".j2"):
                return self.get_source(environment, name + ".j2")
            if name.replace("\\", "/") != OUTLINE and name.endswith(OUTLINE):
                raise jinja2.TemplateNotFound(name)  # report/outline.md.j2 from the kind's folder
            pieces = split_template_path(name)
            for folder in self.searchpath:
                path = Path(folder, *pieces)
                real = path.resolve()  # before anything is read: a link to /dev/zero is not a template
                if not path.is_file() or not real.is_relative_to(Path(folder).resolve()):
                    continue
                try:
                    source = read_bytes(real, "模板片段").decode("utf-8")
                except (DrafterError, UnicodeDecodeError):
                    continue
                stamp = os.path.getmtime(real)
                return (tag_lines_vanish(source.lstrip("\ufeff")), str(path),  # Notepad's UTF-8 starts with a BOM
                        lambda: os.path.isfile(real) and os.path.getmtime(real) == stamp)
            raise jinja2.TemplateNotFound(name)

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
        finalize=jinja2.pass_context(_finalize),  # not pass_environment: Jinja would finalize constants while compiling
        keep_trailing_newline=True,
        autoescape=False,
    )
    env.filters_tracked(dict(env.filters))
    env.filters.update(_filters())
    env.tests["off"] = is_off  # {% if x.byline is off %}: the sheet wrote 不写 for a field whose default is a fact
    return env


# A line of nothing but tags ({% … %}, no %} inside: “{% for %}{{ x }}{% endfor %}” is text) and comments
# (which may run over several lines), ending in \n or Notepad's \r\n. One pass, so a tag line right after
# a comment line vanishes too.
_TAG = r"\{%(?:(?!%\})[^\n])*%\}|\{#(?:(?!#\})[\s\S])*#\}"
_TAG_LINE = re.compile(rf"^[ \t]*((?:(?:{_TAG})[ \t]*)+)\r?\n", re.MULTILINE)
_TAGS = re.compile(_TAG)


def tag_lines_vanish(source: str) -> str:
    """A line holding only {% … %} tags (or a comment of whole lines) leaves nothing behind, every
    other line break stays: an outline reads like its document's skeleton, without Jinja's {%- -%}.
    Unlike trim_blocks, a tag ending a line of text keeps that line's break. The break is hidden
    in a comment, so template line numbers stay those of the file."""
    return _TAG_LINE.sub(lambda m: "".join(_TAGS.findall(m.group(1))) + "{#\n#}", source)  # spaces between tags too


@dataclass
class Rendered:
    """A rendered outline: markup in which every fact printed is marked (provenance.Marks), and what
    each mark stands for."""

    text: str
    prints: List[Print] = field(default_factory=list)

    @property
    def plain(self) -> str:
        """The outline as a reader sees it, without the marks."""
        return strip_marks(self.text)


def render_outline(pack: TemplatePack, facts: dict) -> Rendered:
    """Render the pack's outline with the validated facts: every fact it prints is marked with its
    source, and every number it prints must be one of them (or a count drafter made)."""
    return render_template(environment_for(pack), pack.outline.name, facts, pack)


def render_template(env: Any, name: str, values: dict, pack: Optional[TemplatePack] = None,
                    source: Optional[str] = None) -> Rendered:
    """One render in its own budget; ``source`` renders that text instead of the named file."""
    import jinja2

    from .limits import RenderLimit, RenderState
    from .provenance import NotFromSheet

    state = env.state = RenderState()
    where = pack or name
    try:
        template = env.from_string(source) if source is not None else env.get_template(name)
        text = template.render(**values)
    except jinja2.TemplateSyntaxError as error:
        raise DrafterError(Problem(f"模板语法错误：{error.message}",
                                   file=error.filename or _outline_file(where), line=error.lineno))
    except jinja2.TemplateNotFound as error:
        raise DrafterError(_runtime_problem(where, error, f"找不到要引入的模板片段“{error.name}”"))
    except (RenderLimit, NotFromSheet) as error:
        raise DrafterError(_runtime_problem(where, error, str(error)))
    except jinja2.TemplateError as error:
        raise DrafterError(_runtime_problem(where, error))
    except RecursionError as error:
        raise DrafterError(_runtime_problem(where, error, "模板片段层层引入自己，停不下来"))
    except (TypeError, ValueError, AttributeError, KeyError, IndexError, ZeroDivisionError, OverflowError,
            MemoryError) as error:
        raise DrafterError(_runtime_problem(where, error))
    finally:
        env.state = None
    if state.problems:
        raise DrafterError(by_position(dict.fromkeys(state.problems)))
    return Rendered(text, state.prints)


def _outline_file(where: Any) -> str:
    return str(where.outline) if isinstance(where, TemplatePack) else str(where)


def _runtime_problem(where: Any, error: Exception, message: Optional[str] = None) -> Problem:
    """Locate a render error in the template (jinja maps template lines into the traceback) and
    name the facts that line reads."""
    import jinja2
    from jinja2.sandbox import SecurityError

    pack = where if isinstance(where, TemplatePack) else None
    file, line = _outline_file(where), None
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
    read = pack.reads.lines.get((file, line), set()) if pack and pack.reads and line else set()
    paths = sorted(p for p in read if not any(other[:len(p)] == p and other != p for other in read))
    if paths:
        message += "；这一行读取的事实：" + "、".join(pack.reads.describe(p) for p in paths)
    return Problem(message, file=file, line=line, path=", ".join(dotted_path(p) for p in paths) or None)


def _finalize(context: Any, value: Any) -> str:
    """Every {{ value }} becomes outline text: a fact marked with its source (no escaping needed
    inside a mark), a missing fact a placeholder, framing text escaped and checked for numbers no
    fact explains, text computed from a fact refused."""
    state = context.environment.current()
    if isinstance(value, Outline):
        state.output += len(value)
        return value
    if value is None:
        return ""
    if isinstance(value, Missing):
        return _placeholder(value.label)
    frame = sys._getframe(1)  # the template's code that printed the value
    if type(value) is FactText:  # the common case, quickly: a fact printed as the sheet wrote it
        return _mark(state, value.source, fold_lines(value), frame)
    if isinstance(value, (list, tuple, dict, set, frozenset)):
        file, line = _template_place(frame)
        state.problems.append(Problem("模板直接输出了一个列表或映射（Python 的写法，会把其中的事实变成无出处的文字）："
                                      "请用 {% for %} 逐项写出，或用 zh_join、zh_list 连成一句", file, line))
        return ""
    if not (is_marked(value) or isinstance(value, datetime.date)):
        text = escape(str(value))
        _check_framing(state, text, frame, counted=isinstance(value, Count))
        state.output += len(text)
        return text
    out = []
    for text, ref in (value.pieces if type(value) is Rich else pieces_of(value)):
        if ref is None:
            text = escape(text)
            _check_framing(state, text, frame)
            out.append(text)
        elif ref is RAW:
            out.append(text)
        elif isinstance(ref, Missing):
            out.append(_placeholder(ref.label))
        elif isinstance(ref, Altered):
            state.problems.append(_altered_problem(ref, text, frame))
            out.append(escape(text))
        else:
            out.append(_mark(state, ref, fold_lines(text) if isinstance(ref, Source) else text, frame))
    result = "".join(out)
    state.output += len(result)
    return result


def _mark(state: Any, ref: Any, text: str, frame: Any) -> str:
    """A fact (or a count drafter made) as a marked stretch, recorded with where the template printed it."""
    if not text:
        return ""
    state.prints.append(Print(ref, text, frame.f_globals.get("__jinja_template__"), frame.f_code, frame.f_lasti))
    state.output += len(text)
    return Marks.opening(len(state.prints) - 1) + text + Marks.CLOSE


def _placeholder(label: str) -> str:
    return "[" + escape(label) + "]{.待补}"


def _template_place(frame: Any) -> Tuple[Optional[str], Optional[int]]:
    template = frame.f_globals.get("__jinja_template__")
    if template is None:
        return None, None
    return template.filename, template.get_corresponding_lineno(frame.f_lineno)


def _check_framing(state: Any, text: str, frame: Any, counted: bool = False) -> None:
    """Framing text a template computed and printed: no number in it that no fact explains, and no
    character nobody can see or drafter marks facts with (it would pass for a mark)."""
    found = invented_number(text)
    unseen = in_value(text)
    if found is None and unseen is None:
        return
    file, line = _template_place(frame)
    if unseen:
        state.problems.append(Problem("模板输出的文字" + unseen[1], file, line))
        return
    if counted:
        message = (f"模板直接输出了序号或个数“{found}”：序号由版式自动加（标题用 ## 即可），"
                   "要在文中写出个数或“一是”的序号，用 |zh_numeral 写成汉字")
    else:
        message = (f"模板输出了不是来自事实表的数字“{found}”：数字只能来自事实表（模板算出的年份、个数也不行，"
                   "下一年的年份之类请写进事实表）")
    state.problems.append(Problem(message, file, line))


def _altered_problem(altered: Altered, text: str, frame: Any) -> Problem:
    file, line = _template_place(frame)
    sources = list(dict.fromkeys(altered.sources))
    facts = "、".join(f"{s.path}（事实表第 {s.line} 行）" if s.line else s.path for s in sources)
    shown = excerpt_of_change(sources[0].text if sources else "", text)
    return Problem(f"模板改动了事实（{altered.operation}）：{facts}印成了“{shown}”；事实只能照事实表的写法印出，"
                   "用 drafter 的过滤器（docs/authoring.md 第 5 节）排列它们", file, line)



def filter_functions() -> dict:
    """Every filter a template may use: the Chinese text helpers and the 排比 frame fillers."""
    from .parallel import frame_fill, frame_headings
    from .zh import FILTERS

    return {**FILTERS, "frame_fill": frame_fill, "frame_headings": frame_headings}


def _filters() -> dict:
    def passing_missing(function):
        # A filter over a missing fact gives the missing fact back, so it still shows as 【待补】.
        def filtered(value, *args, **kwargs):
            return value if isinstance(value, Missing) else function(value, *args, **kwargs)
        return filtered

    from .provenance import phrase

    return {**{name: passing_missing(f) for name, f in filter_functions().items()}, "phrase": phrase}
