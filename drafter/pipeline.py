"""One draft, start to finish: load → validate → render outline → Document → bytes.

The CLI calls this and prints; nothing here prints or knows about click.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import List, Optional

from .document import Document, parse_outline, plain_text
from .errors import Problem
from .facts import FactSheet, load_sheet
from .layout import Layout, load_layout
from .templates import TemplatePack, find_pack, render_outline, template_roots
from .validate import load_schema, validate



@dataclass
class Draft:
    sheet: FactSheet
    pack: TemplatePack
    layout: Layout
    document: Document
    warnings: List[Problem] = field(default_factory=list)

    @property
    def placeholder_count(self) -> int:
        return sum(1 for _ in self.document.placeholders())

    @property
    def title(self) -> str:
        titles = [b for b in self.document.blocks if getattr(b, "role", None) == "title"]
        return plain_text(titles[0].inlines) if titles else self.pack.title


def make_draft(kind: str, sheet_path: Path, style: str, layout_name: Optional[str] = None) -> Draft:
    roots = template_roots()
    pack = find_pack(kind, style, roots)
    sheet = load_sheet(sheet_path)
    facts = validate(sheet, load_schema(pack.schema_files))
    outline = render_outline(pack, facts)
    document = parse_outline(outline, source=str(pack.outline))
    layout = _layout(layout_name or pack.layout, [root / "layouts" for root in roots])
    return Draft(sheet=sheet, pack=pack, layout=layout, document=document, warnings=list(sheet.warnings))


def _layout(name: str, folders: List[Path]) -> Layout:
    """A layout by name, or a profile file given by path (its folder is searched last)."""
    if name.endswith((".yaml", ".yml")) or "/" in name or "\\" in name:
        path = Path(name)
        return load_layout(path.stem, folders + [path.parent])
    return load_layout(name, folders)


def render(draft: Draft, fmt: str) -> bytes:
    if fmt == "docx":
        from .writers.docx import render_docx

        return render_docx(draft.document, draft.layout, title=draft.title,
                           comment=f"drafter 根据 {draft.sheet.path} 生成的初稿")
    from .writers.text import render_markdown, render_text

    text = render_markdown if fmt == "md" else render_text
    return text(draft.document, draft.layout).encode("utf-8")


def default_output(draft: Draft, fmt: str, folder: Path = Path(".")) -> Path:
    """2024-汇报发言.docx: the sheet's name, then the style's output name."""
    return folder / f"{Path(draft.sheet.path).stem}-{draft.pack.output}.{fmt}"
