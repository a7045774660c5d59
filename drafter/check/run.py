"""`drafter check`: read the draft, check it, write the copies asked for, say what was found.

The original file is only ever read; the comments and fix copies are new files, written with the
same protections as drafts (never over a file someone edited or has open).
"""
from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path
from typing import List, Optional, Sequence, Tuple

from ..errors import DrafterError, Problem
from ..refresh_merge import differing
from ..textfile import read_bytes
from . import Report, check_draft, load_words
from .findings import DOUBT, SEVERITIES, SHEET, Finding


def run_check(draft_path: Path, sheet_path: Optional[Path], comments: Optional[Path], fixed: Optional[Path],
              fmt: str, force: bool, templates: Sequence[Path]) -> Tuple[str, bool]:
    """(what to print, whether there are errors)."""
    from ..readers.docx import read_docx
    from ..templates import drafting_sources

    for copy in (comments, fixed):
        if copy is not None and _same_file(copy, draft_path):
            raise DrafterError(Problem(f"{copy} 就是要检查的文稿：原文件从不改动，请另写一个文件名"))
    for option, copy in (("--comments", comments), ("--fix", fixed)):
        if copy is not None and Path(copy).suffix.lower() != ".docx":
            raise DrafterError(Problem(f"{option} 写的是 Word 文档，文件名应以 .docx 结尾，而不是“{copy}”"))
    if comments is not None and fixed is not None and Path(comments).resolve() == Path(fixed).resolve():
        raise DrafterError(Problem(f"--comments 和 --fix 都写到 {comments}：请给两个不同的文件名"))
    data = read_bytes(draft_path, "文稿")
    read = read_docx(data)
    sheet = _sheet(sheet_path) if sheet_path is not None else None
    sources, _ = drafting_sources(templates)
    report = check_draft(read, sheet, load_words([source.path for source in sources]))
    if sheet is not None:
        report = Report(report.findings + stale_facts(data, sheet), report.length)
    written: List[str] = []
    changes: List[str] = []
    if comments is not None:
        from .annotate import with_comments

        _write(comments, with_comments(data, read, report.findings), force)
        written.append(f"已写出带批注的副本 {comments}（{len(report.findings)} 条批注）")
    if fixed is not None:
        from .annotate import with_fixes

        package, changes = with_fixes(data, read, report.findings)
        _write(fixed, package, force)
        written.append(f"已写出修改副本 {fixed}（改了 {len(changes)} 处）")
    if fmt == "json":
        return json.dumps(_as_data(report, changes, written), ensure_ascii=False, indent=1), report.errors > 0
    return "\n".join(format_findings(report.findings) + _summary(report) + changes + written), report.errors > 0


def stale_facts(data: bytes, sheet) -> List[Finding]:
    """A draft written from an older sheet: each field the sheet has changed since (the draft's record,
    writers/record.py), to bring over with drafter refresh."""
    import io
    import zipfile

    from ..facts import format_path, value_at
    from ..writers.record import read_record

    with zipfile.ZipFile(io.BytesIO(data)) as package:
        record = read_record({name: package.read(name) for name in package.namelist() if name.startswith("customXml/")})
    if record is None:
        return []
    found, seen = [], set()
    for fact in record.facts:
        try:
            value = value_at(sheet.data, fact.key)
        except (KeyError, IndexError, TypeError):
            value = None  # the field, or its list item, is no longer in the sheet
        now = "" if value is None else str(value)
        if fact.key in seen or now == fact.value:
            continue
        seen.add(fact.key)
        if value is None:
            shown = fact.value if len(fact.value) <= 24 else fact.value[:23] + "…"
            change = f"原为“{shown}”，事实表里已经没有这一项"
        else:
            was, is_now = differing(fact.value, now)
            change = f"原为“{was}”，事实表现在是“{is_now}”"
        found.append(Finding(0, DOUBT, SHEET, "sheet.stale",
                             f"文稿是按旧的事实表写的：{format_path(fact.key)} {change}；可用 drafter refresh 把改动带进文稿"))
    return found


def format_findings(findings: Sequence[Finding]) -> List[str]:
    lines = []
    for finding in findings:
        where = f"第{finding.paragraph}段" if finding.paragraph else "全文"
        excerpt = f"：“{finding.excerpt}”" if finding.excerpt else ""
        lines.append(f"{where} {finding.severity}〔{finding.source}〕{finding.message}{excerpt}")
    return lines


def _summary(report: Report) -> List[str]:
    counts = report.counts()
    found = "，".join(f"{severity} {counts[severity]}" for severity in SEVERITIES)
    total = len(report.findings)
    return [f"共 {total} 处：{found}。" if total else "没有发现问题。", report.length.describe() + "。"]


def _as_data(report: Report, changes: List[str], written: List[str]) -> dict:
    return {"findings": [asdict(finding) for finding in report.findings],
            "counts": report.counts(), "errors": report.errors,
            "length": {"characters": report.length.characters, "rate": report.length.rate,
                       "minutes": round(report.length.minutes, 1), "limit_minutes": report.length.limit_minutes,
                       "limit_characters": report.length.limit_characters},
            "changes": changes, "written": written, "ok": report.errors == 0}


def _sheet(path: Path):
    from ..facts import load_sheet
    from ..pipeline import normalise_sheet

    return normalise_sheet(load_sheet(path))


def _write(path: Path, package: bytes, force: bool) -> None:
    """A copy of the staff's document: not fingerprinted as a draft of drafter's own (its package keeps
    the original's properties as they are), so no later draft replaces it unasked."""
    from ..output import write_edited

    write_edited(path, package, force=force)


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.exists() and b.exists() and a.samefile(b)
    except OSError:
        return False

