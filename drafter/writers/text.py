"""Document → Markdown or plain text: a quick preview of the same draft, numbered like the .docx."""
from __future__ import annotations

import re
from typing import List

from ..document import Document, Heading, Lead, plain_text
from ..layout import Layout

SET_APART = {"title", "subtitle", "byline", "date", "signature", "signed-date"}  # centred or flush right, unindented


def md_escape(text: str) -> str:
    """Keep fact text literal in Markdown viewers: no stray emphasis, headings or list items."""
    text = re.sub(r"([\\`*_#\[\]<>|])", r"\\\1", text)
    return re.sub(r"^(\s*)(\d+)([.)])", r"\1\2\\\3", re.sub(r"^(\s*)([-+])", r"\1\\\2", text))


def render_markdown(document: Document, layout: Layout) -> str:
    lines: List[str] = []
    for block in document.blocks:
        text = "".join(f"**{md_escape(i.text)}**" if type(i) is Lead else md_escape(i.text) for i in block.inlines)
        if isinstance(block, Heading):
            lines.append("#" * (block.level + 1) + " " + text)
        elif block.role == "title":
            lines.append("# " + text)
        elif block.role in SET_APART:
            lines.append(f"*{text}*")
        else:
            lines.append(text)
    return "\n\n".join(lines) + "\n"


def render_text(document: Document, layout: Layout) -> str:
    indent = "\u3000" * round(layout.styles["body"].get("first_line_chars", 0))  # full-width spaces
    lines: List[str] = []
    for block in document.blocks:
        text = plain_text(block.inlines)
        if not isinstance(block, Heading) and (block.role in SET_APART or block.role == "salutation"):
            lines.append(text)
        else:
            lines.append(indent + text)
    return "\n".join(lines) + "\n"
