"""Layout drift: formatting typed onto the text over its style (GB/T 9704 §7.3.4 sets the body in
仿宋 3号). A paragraph changed by hand no longer follows 正文 when staff restyle the draft, and
reads in a second font."""
from __future__ import annotations

from typing import Iterator

from ..readers import ReadDraft, ReadParagraph
from .findings import DOUBT, GB9704, Finding


def check(draft: ReadDraft) -> Iterator[Finding]:
    for paragraph in draft.paragraphs:
        if paragraph.in_table or not paragraph.direct:
            continue
        changes = _described(paragraph)
        if changes:
            yield Finding(paragraph.number, DOUBT, GB9704, "layout.direct-formatting",
                          f"这一段的{changes}是单独设置的，不随样式“{paragraph.style_name or '正文'}”；"
                          "在 Word 里清除格式（Ctrl+空格）即恢复", start=0, end=len(paragraph.full_text))


def _described(paragraph: ReadParagraph) -> str:
    parts = []
    if paragraph.direct.get("font"):
        parts.append(f"字体（{paragraph.direct['font']}）")
    if paragraph.direct.get("size"):
        parts.append(f"字号（{paragraph.direct['size']} 磅）")
    return "和".join(parts)
