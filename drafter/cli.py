"""The `drafter` command: parses arguments, runs the pipeline, prints what happened.

Heavy libraries (python-docx, Jinja, Cerberus, PyYAML) are imported inside the commands, so
`drafter --help` stays instant.
"""
from __future__ import annotations

import functools
import sys
from pathlib import Path
from typing import Callable, Optional, Sequence

import click

from . import __version__
from .errors import DrafterError

FORMATS = ("docx", "md", "txt")  # kept here so --help needs no pipeline import


def reports_errors(command):
    """Bad facts, templates or layouts end with their Chinese messages and exit code 1."""
    @functools.wraps(command)
    def wrapper(*args, **kwargs):
        try:
            return command(*args, **kwargs)
        except DrafterError as error:
            for problem in error.problems:
                click.echo(str(problem), err=True)
            if len(error.problems) > 1:
                click.echo(f"共 {len(error.problems)} 个问题。", err=True)
            sys.exit(1)
    return wrapper


templates_option = click.option(
    "--templates", "templates", multiple=True, metavar="文件夹",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="另外的模板文件夹（内有“文种/样式/”），可给多次，后给的优先；也可用环境变量 DRAFTER_TEMPLATES")


def event_option(help_text: str) -> Callable:
    return click.option("--event", "-e", metavar="编号|类型", help=help_text)


def document_command(kind: str, default_style: Optional[str], help_text: str,
                     options: Sequence[Callable] = ()) -> click.Command:
    """A command that drafts one kind of document; every kind shares these options.

    ``options`` are the kind's own click options (news: --event); their values are passed on to
    :func:`drafter.pipeline.make_draft` by name.
    """
    style_help = "模板样式" if default_style else "模板样式（默认由所选活动的类型决定）"

    @click.command(kind, help=help_text)
    @click.argument("facts", required=False, type=click.Path(path_type=Path))
    @_with_options(options)
    @click.option("--style", "-s", default=default_style, show_default=bool(default_style), help=style_help)
    @click.option("--output", "-o", type=click.Path(path_type=Path),
                  help="输出文件（默认：事实表名-文种.格式，写在当前目录）")
    @click.option("--format", "fmt", type=click.Choice(FORMATS), default="docx", show_default=True,
                  help="docx 为 Word 文档；md、txt 为预览")
    @click.option("--layout", "-l", "layout_name", help="版式方案（默认由模板指定，通常为 gbt9704）")
    @click.option("--force", is_flag=True, help="即使目标文件已被修改也覆盖")
    @templates_option
    @click.option("--strict", is_flag=True, help="事实表里有没写进文稿的事实或文中有待补时报错，不写出文件")
    @reports_errors
    def command(facts, style, output, fmt, layout_name, force, strict, **extra):
        from .accounting import strict_problems
        from .output import write_output
        from .pipeline import default_output, make_draft, render

        draft = make_draft(kind, facts or _newest_sheet(kind), style, layout_name, **extra)
        for note in draft.notes:
            click.echo(note, err=True)
        for warning in draft.warnings:
            click.echo(f"提示：{warning}", err=True)
        refused = strict_problems(draft.audit) if strict else []
        if refused:
            raise DrafterError(refused)
        for unused in draft.audit.unused:
            click.echo(f"提示：{unused}", err=True)
        path = output or default_output(draft, fmt)
        write_output(path, render(draft, fmt), force=force)
        summary = f"已写出 {path}（{draft.pack.title}，{len(draft.document.blocks)} 段"
        count = draft.placeholder_count
        summary += f"，待补 {count} 处，请在文中查找“【待补”）" if count else "）"
        click.echo(summary)

    return command


def _with_options(options: Sequence[Callable]) -> Callable:
    def apply(function):
        for option in reversed(options):
            function = option(function)
        return function
    return apply


def _newest_sheet(kind: str) -> Path:
    from .facts import find_newest_sheet

    sheet = find_newest_sheet(Path("facts"))
    if sheet is None:
        raise DrafterError("没有指定事实表，当前目录下的 facts/ 里也没有 .yaml 事实表。"
                           "请先建立一个，例如 facts/2024.yaml（可参照 drafter 自带的样例），"
                           f"或写明路径：drafter {kind} 路径/2024.yaml")
    click.echo(f"使用事实表 {sheet}", err=True)
    return sheet


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="drafter")
def cli():
    """drafter：根据年度事实表（YAML）起草公文初稿（Word）。"""


cli.add_command(document_command(
    "speech", "report",
    "汇报发言、领导讲话（--style leader）、主持词（--style host --event 编号）等讲话稿，例如：drafter speech facts/2024.yaml",
    options=[event_option("主持词等针对一项活动的样式：事实表“活动”中的编号，或类型（会议、培训……），"
                          "同类型有多项时取日期最近的一项")],
))
cli.add_command(document_command(
    "news", None,
    "新闻稿：某项活动的消息（drafter news --event 编号或类型），或年度工作综述（drafter news --style feature）",
    options=[event_option("要写的活动：事实表“活动”中的编号，或类型（会议、培训、调研、meeting……），"
                          "同类型有多项时取日期最近的一项")],
))
cli.add_command(document_command(
    "report", "summary",
    "总结类材料：年度工作总结和下一年度工作计划（drafter report），经验交流材料（drafter report --style experience）",
))


@cli.group("templates", invoke_without_command=True)
@templates_option
@click.pass_context
@reports_errors
def templates_command(ctx, templates):
    """模板样式：列出全部（文种、样式、中文名、来源）；show 看一个样式读取的事实；new 建一个新样式。"""
    ctx.obj = tuple(templates)
    if ctx.invoked_subcommand is None:
        from .templates import format_listing, list_packs

        entries, broken_sources = list_packs(ctx.obj)
        click.echo(format_listing(entries, broken_sources))
        if any(entry.problems for entry in entries):
            sys.exit(1)


@templates_command.command("show")
@click.argument("spec", metavar="文种/样式")
@click.option("--all", "everything", is_flag=True, help="列出字段定义中的全部事实，不只是模板用到的")
@templates_option
@click.pass_obj
@reports_errors
def templates_show(obj, spec, everything, templates):
    """一个样式的说明和它读取的事实：事实表中的写法、规范名、是否必填、示例。"""
    from .templates import describe_pack

    click.echo(describe_pack(spec, tuple(obj or ()) + tuple(templates), everything))


@templates_command.command("new")
@click.argument("spec", metavar="文种/新样式名")
@click.option("--from", "source", metavar="文种/样式", help="复制这个样式（不写时建一个能用的骨架）")
@templates_option
@click.pass_obj
@reports_errors
def templates_new(obj, spec, source, templates):
    """在 ./templates/ 里建一个新样式，供修改；已有同名的文件夹时不覆盖。"""
    from .templates import new_pack

    _, lines = new_pack(spec, source, tuple(obj or ()) + tuple(templates))
    click.echo("\n".join(lines))


def main():
    cli(prog_name="drafter")
