"""The `drafter` command: parses arguments, runs the pipeline, prints what happened.

Heavy libraries (python-docx, Jinja, Cerberus, PyYAML) are imported inside the commands, so
`drafter --help` stays instant.
"""
from __future__ import annotations

import functools
import gc
import os
import sys
from pathlib import Path
from typing import Callable, List, Optional, Sequence, Tuple

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
    @click.argument("facts", nargs=-1, type=click.Path(path_type=Path))
    @_with_options(options)
    @click.option("--style", "-s", default=default_style, show_default=bool(default_style), help=style_help)
    @click.option("--output", "-o", type=click.Path(),
                  help="输出文件（默认：事实表名-文种.格式，写在当前目录）；以 / 结尾或已有的文件夹则写在其中；"
                       "给了几张事实表时应是文件夹；- 为标准输出（默认 txt）")
    @click.option("--format", "fmt", type=click.Choice(FORMATS),
                  help="docx 为 Word 文档（默认）；md、txt 为预览；不写时按 -o 的扩展名")
    @click.option("--layout", "-l", "layout_name", help="版式方案（默认由模板指定，通常为 gbt9704）")
    @click.option("--force", is_flag=True, help="即使目标文件已被修改也覆盖")
    @templates_option
    @click.option("--strict", is_flag=True, help="事实表里有没写进文稿的事实或文中有待补时报错，不写出文件")
    @click.option("--review", is_flag=True,
                  help="另写一份核稿本（文件名加“-核稿”）：每个数字、日期、人名都有批注，注明来自事实表哪一项、哪一行")
    @reports_errors
    def command(facts, output, fmt, **settings):
        sheets = _expand(facts) if facts else [_newest_sheet(kind)]
        folder, file, settings["fmt"] = _destination(output, fmt, many=len(sheets) > 1)
        if len(sheets) == 1:  # -o -: the document alone on stdout, what drafter says on stderr
            click.echo(_draft_one(kind, sheets[0], folder, file, settings), err=folder is None)
        else:
            _draft_batch(kind, sheets, folder, settings)

    return command


def _destination(output: Optional[str], fmt: Optional[str],
                 many: bool) -> Tuple[Optional[Path], Optional[Path], str]:
    """(folder, file or None, format) from -o and --format: a folder written with a trailing / is
    made; a file's extension gives the format when --format is not given, and must agree with it.
    ``-o -`` is standard output (folder None), as with Unix tools."""
    if output is None:
        return Path("."), None, fmt or "docx"
    if output == "-":
        return None, None, _stdout_format(fmt, many)
    from .output import check_name

    check_name(Path(output))
    try:
        is_folder = output.endswith(("/", os.sep)) or Path(output).is_dir()
    except OSError as error:
        raise DrafterError(f"无法访问输出路径 {output}：{error.strerror or error}")
    if is_folder:
        folder = Path(output)
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise DrafterError(f"无法建立输出文件夹 {folder}：{error.strerror or error}")
        return folder, None, fmt or "docx"
    if many:
        raise click.UsageError("给了几张事实表时，-o 应是一个文件夹（已有的，或以 / 结尾）")
    file = Path(output)
    suffix = file.suffix.lower().lstrip(".")
    if suffix in FORMATS and fmt and fmt != suffix:
        raise click.UsageError(f"-o {output} 的扩展名是 .{suffix}，与 --format {fmt} 不一致")
    if suffix in FORMATS:
        return file.parent, file, suffix
    fmt = fmt or "docx"  # 初稿.v2 → 初稿.v2.docx: the file's name says what it holds
    return file.parent, file.with_name(f"{file.name}.{fmt}"), fmt


def _stdout_format(fmt: Optional[str], many: bool) -> str:
    """Text unless --format docx says otherwise; a .docx only into a pipe or a file, never a terminal."""
    if many:
        raise click.UsageError("-o - 只能写一张事实表")
    if fmt == "docx" and sys.stdout.isatty():
        raise click.UsageError("Word 文档不能显示在终端里：请重定向到文件（> 初稿.docx），或用 -o 指定文件名")
    return fmt or "txt"


def _expand(arguments: Sequence[Path]) -> List[Path]:
    """Sheets named on the command line; patterns are expanded here too (Windows shells do not)."""
    import glob  # only a draft needs it, not `drafter --help`

    sheets: List[Path] = []
    for argument in arguments:
        text = str(argument)
        if not any(c in text for c in "*?[") or argument.exists():
            sheets.append(argument)
            continue
        matches = sorted(glob.glob(text))
        if not matches:
            raise DrafterError(f"没有与“{text}”匹配的事实表")
        sheets += [Path(m) for m in matches]
    return sheets


def _draft_one(kind: str, sheet: Path, folder: Optional[Path], file: Optional[Path], settings: dict,
               written: Optional[dict] = None) -> str:
    """Draft one sheet and write it (folder None: to stdout); returns the summary line. Notes and
    hints go to stderr, named after the sheet when it is one of a batch (``written`` collects a
    batch's outputs)."""
    from .pipeline import make_draft, write_draft

    settings = dict(settings)
    fmt, force, strict = settings.pop("fmt"), settings.pop("force"), settings.pop("strict")
    review = settings.pop("review")
    if review and (folder is None or fmt != "docx"):
        raise DrafterError("--review 写的是 Word 核稿本：请写出 .docx 文件（不用 -o - 或 --format md/txt）")
    draft = make_draft(kind, sheet, settings.pop("style"), settings.pop("layout_name"), **settings)
    for note in draft.notes:
        click.echo(note if written is None else f"{sheet}：{note}", err=True)
    for warning in draft.hints(strict):
        click.echo(f"提示：{warning}", err=True)
    stream = sys.stdout.buffer if folder is None else None
    path = write_draft(draft, fmt, folder or Path("."), file, force=force, strict=strict, written=written,
                       stream=stream)
    where = f"已写出 {path}" if path else "已写到标准输出"
    if review and path:
        from .pipeline import write_review

        where += f"、核稿本 {write_review(draft, path, settings.get('templates', ()), force)}"
    summary = f"{where}（{draft.pack.title}，{len(draft.document.blocks)} 段"
    count = draft.placeholder_count
    return summary + (f"，待补 {count} 处，请在文中查找“【待补”）" if count else "）")


def _draft_batch(kind: str, sheets: List[Path], folder: Path, settings: dict) -> None:
    """Every sheet is drafted even when some fail; a table at the end, exit 1 if any failed."""
    gc.enable()  # many drafts in one process: their garbage must not pile up
    rows = []
    written: dict = {}
    with click.progressbar(sheets, label="起草", file=sys.stderr, show_pos=True,
                           item_show_func=lambda s: str(s) if s else "") as bar:
        for sheet in bar:
            try:
                rows.append((sheet, True, _draft_one(kind, sheet, folder, None, settings, written)))
            except DrafterError as error:
                rows.append((sheet, False, "\n".join(str(p) for p in error.problems)))
    from .catalog import table  # counts a Chinese file name's characters as two cells

    failed = sum(1 for _, ok, _ in rows if not ok)
    cells = [("事实表", "结果", "说明")]
    for sheet, ok, text in rows:
        lines = text.splitlines() or [""]
        cells.append((str(sheet), "完成" if ok else "失败", lines[0]))
        cells += [("", "", line) for line in lines[1:]]
    click.echo("\n".join(table(cells)))
    click.echo(f"共 {len(rows)} 张事实表：完成 {len(rows) - failed}，失败 {failed}。")
    if failed:
        sys.exit(1)


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


@cli.command("check")
@click.argument("draft", type=click.Path(path_type=Path), metavar="文稿.docx")
@click.argument("sheet", required=False, type=click.Path(path_type=Path), metavar="[事实表.yaml]")
@click.option("--comments", "comments", type=click.Path(path_type=Path), metavar="输出.docx",
              help="另存一份带批注的副本：每处问题一条 Word 批注（作者 drafter），在审阅窗格里逐条处理")
@click.option("--fix", "fixed", type=click.Path(path_type=Path), metavar="输出.docx",
              help="另存一份只改机械性问题（标点、数字和日期写法、序号标点）的副本，并列出每处改动")
@click.option("--format", "fmt", type=click.Choice(("text", "json")), default="text", show_default=True,
              help="json 为机器可读的结果")
@click.option("--force", is_flag=True, help="即使输出的副本已被修改也覆盖")
@templates_option
@reports_errors
def check_command(draft, sheet, comments, fixed, fmt, force, templates):
    """核稿：读回一份 Word 文稿（任何 .docx，改过的也行），对照事实表和国家标准逐段检查。

    查事实（给了事实表时）：数字、日期、人名职务及排序与事实表不符，无来源数字，同一数字两种写法；
    查规范：标点（GB/T 15834）、数字用法（GB/T 15835）、标题序号（GB/T 9704）、重复字词、排比、
    手工改过的字体字号、篇幅和讲话时长。原文件从不改动。有“错误”时退出码为 1。
    """
    from .check.run import run_check

    output, failed = run_check(draft, sheet, comments, fixed, fmt, force, templates)
    click.echo(output)
    if failed:
        sys.exit(1)


@cli.command("refresh")
@click.argument("draft", type=click.Path(path_type=Path), metavar="文稿.docx")
@click.argument("sheet", required=False, type=click.Path(path_type=Path), metavar="[事实表.yaml]")
@click.option("--output", "-o", type=click.Path(path_type=Path), metavar="输出.docx",
              help="写到另一个文件（默认改原文件：它没被打开、读后也没人保存过时才改）")
@click.option("--accept", is_flag=True, help="直接改写，不留修订")
@click.option("--force", is_flag=True, help="-o 给的文件已存在且被修改过时也覆盖")
@templates_option
@reports_errors
def refresh_command(draft, sheet, output, accept, force, templates):
    """事实表改了以后，把改动带进已经改过的文稿：只改事实所在的地方，默认作为修订（作者 drafter），经办人的改动一处不丢。

    事实表的改动与经办人的改动重叠时不改，列为冲突；牵涉结构的改动（多了一个工作领域、少了一个要点）列出需要重写的部分。
    不给事实表时用文稿记下的那一张。
    """
    from .refresh import refresh

    outcome, written = refresh(draft, sheet, output, accept, force, templates)
    click.echo("\n".join(outcome.lines(written, tracked=not accept)))


@cli.group("templates", invoke_without_command=True)
@templates_option
@click.pass_context
@reports_errors
def templates_command(ctx, templates):
    """模板样式：列出全部（文种、样式、中文名、来源）；show 看一个样式读取的事实；new 建一个新样式。"""
    ctx.obj = tuple(templates)
    if ctx.invoked_subcommand is None:
        from .catalog import format_listing, list_packs

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
    from .catalog import describe_pack

    click.echo(describe_pack(spec, tuple(obj or ()) + tuple(templates), everything))


@templates_command.command("new")
@click.argument("spec", metavar="文种/新样式名")
@click.option("--from", "source", metavar="文种/样式", help="复制这个样式（不写时建一个能用的骨架）")
@templates_option
@click.pass_obj
@reports_errors
def templates_new(obj, spec, source, templates):
    """在 ./templates/ 里建一个新样式，供修改；已有同名的文件夹时不覆盖。"""
    from .catalog import new_pack

    _, lines = new_pack(spec, source, tuple(obj or ()) + tuple(templates))
    click.echo("\n".join(lines))


def main():
    # A one-off draft allocates mostly what lives until the process ends (modules, classes, compiled
    # templates) and makes little cyclic garbage, yet the cyclic collector would scan it all some 70
    # times: ~5% of the run. A batch of sheets turns the collector back on (_draft_batch).
    gc.disable()
    cli(prog_name="drafter")
