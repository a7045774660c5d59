"""A minimal .docx package for python-docx to open instead of its stock template.

The stock default.docx carries a 351 KB styles.xml (US Letter, ja-JP theme language, ~160 styles)
that every draft would parse and then undo; this package has only what drafter styles itself, so
opening, building and saving a draft costs a fraction (reference/performance.md). No theme part:
every style names its fonts, so nothing can fall back to a theme's Japanese face.
"""
from __future__ import annotations

import functools
import io
import zipfile

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_CT = "application/vnd.openxmlformats-officedocument.wordprocessingml"

PARTS = {
    "[Content_Types].xml": (
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="/word/document.xml" ContentType="{_CT}.document.main+xml"/>'
        f'<Override PartName="/word/styles.xml" ContentType="{_CT}.styles+xml"/>'
        f'<Override PartName="/word/settings.xml" ContentType="{_CT}.settings+xml"/>'
        '</Types>'),
    "_rels/.rels": (
        f'<Relationships xmlns="{_PKG_REL}">'
        f'<Relationship Id="rId1" Type="{_R}/officeDocument" Target="word/document.xml"/>'
        '</Relationships>'),
    "word/_rels/document.xml.rels": (
        f'<Relationships xmlns="{_PKG_REL}">'
        f'<Relationship Id="rId1" Type="{_R}/styles" Target="styles.xml"/>'
        f'<Relationship Id="rId2" Type="{_R}/settings" Target="settings.xml"/>'
        '</Relationships>'),
    "word/document.xml": (
        f'<w:document xmlns:w="{_W}" xmlns:r="{_R}"><w:body><w:sectPr/></w:body></w:document>'),
    "word/styles.xml": (
        f'<w:styles xmlns:w="{_W}"><w:docDefaults/>'
        '<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/></w:style>'
        '<w:style w:type="character" w:default="1" w:styleId="DefaultParagraphFont">'
        '<w:name w:val="Default Paragraph Font"/><w:uiPriority w:val="1"/><w:semiHidden/>'
        '<w:unhideWhenUsed/></w:style>'
        '<w:style w:type="table" w:default="1" w:styleId="TableNormal"><w:name w:val="Normal Table"/>'
        '<w:uiPriority w:val="99"/><w:semiHidden/><w:unhideWhenUsed/><w:tblPr><w:tblInd w:w="0" w:type="dxa"/>'
        '<w:tblCellMar><w:top w:w="0" w:type="dxa"/><w:left w:w="108" w:type="dxa"/>'
        '<w:bottom w:w="0" w:type="dxa"/><w:right w:w="108" w:type="dxa"/></w:tblCellMar></w:tblPr></w:style>'
        '<w:style w:type="numbering" w:default="1" w:styleId="NoList"><w:name w:val="No List"/>'
        '<w:uiPriority w:val="99"/><w:semiHidden/><w:unhideWhenUsed/></w:style>'
        '</w:styles>'),
    "word/settings.xml": (
        f'<w:settings xmlns:w="{_W}"><w:defaultTabStop w:val="420"/>'
        '<w:characterSpacingControl w:val="doNotCompress"/>'
        '<w:compat><w:compatSetting w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word"'
        ' w:val="15"/></w:compat>'
        '<w:themeFontLang w:val="en-US" w:eastAsia="zh-CN"/></w:settings>'),
}


@functools.lru_cache(maxsize=1)
def base_package() -> bytes:
    """The package bytes, built once per process."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as package:
        for name, xml in PARTS.items():
            package.writestr(name, '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' + xml)
    return out.getvalue()
