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
    @reports_errors
    def command(facts, style, output, fmt, layout_name, force, **extra):
        from .output import write_output
        from .pipeline import default_output, make_draft, render

        draft = make_draft(kind, facts or _newest_sheet(kind), style, layout_name, **extra)
        for note in draft.notes:
            click.echo(note, err=True)
        for warning in draft.warnings:
            click.echo(f"提示：{warning}", err=True)
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


cli.add_command(document_command("speech", "report", "汇报发言等讲话稿，例如：drafter speech facts/2024.yaml"))
cli.add_command(document_command(
    "news", None,
    "新闻稿：某项活动的消息（drafter news --event 编号或类型），或年度工作综述（drafter news --style feature）",
    options=[click.option("--event", "-e", metavar="编号|类型",
                          help="要写的活动：事实表“活动”中的编号，或类型（会议、培训、调研、meeting……），"
                               "同类型有多项时取日期最近的一项")],
))


def main():
    cli(prog_name="drafter")
