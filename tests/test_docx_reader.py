"""Reading any .docx back as Word shows it (drafter/readers/docx.py): drafter's own drafts, small
hand-written packages for each construct Word writes, and a draft LibreOffice has saved again."""
import io
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from lxml import etree

from drafter.cli import cli
from drafter.document import Heading, plain_text
from drafter.errors import DrafterError
from drafter.pipeline import make_draft
from drafter.readers.docx import W, format_number, read_docx

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "facts" / "2024.yaml"
NS = (f'xmlns:w="{W}" xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
      'xmlns:m="http://schemas.openxmlformats.org/officeDocument/2006/math" '
      'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
      'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"')
RELS = ('<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
        'officeDocument" Target="word/document.xml"/></Relationships>')
STYLES = (
    '<w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:eastAsia="宋体"/><w:sz w:val="21"/></w:rPr></w:rPrDefault>'
    '</w:docDefaults>'
    '<w:style w:type="paragraph" w:default="1" w:styleId="a"><w:name w:val="Normal"/><w:pPr><w:jc w:val="both"/>'
    '</w:pPr><w:rPr><w:rFonts w:eastAsia="仿宋_GB2312"/><w:sz w:val="32"/></w:rPr></w:style>'
    '<w:style w:type="paragraph" w:styleId="Base"><w:name w:val="基础标题"/><w:basedOn w:val="a"/>'
    '<w:pPr><w:outlineLvl w:val="1"/><w:jc w:val="center"/></w:pPr><w:rPr><w:rFonts w:eastAsia="黑体"/></w:rPr>'
    '</w:style>'
    '<w:style w:type="paragraph" w:styleId="Mine"><w:name w:val="公文标题"/><w:basedOn w:val="Base"/></w:style>'
    '<w:style w:type="paragraph" w:styleId="3"><w:name w:val="heading 3"/><w:basedOn w:val="a"/></w:style>'
    '<w:style w:type="paragraph" w:styleId="Part"><w:name w:val="部分"/><w:basedOn w:val="a"/>'
    '<w:pPr><w:numPr><w:numId w:val="1"/></w:numPr></w:pPr></w:style>'
    '<w:style w:type="character" w:styleId="Strong"><w:name w:val="强调"/><w:rPr><w:rFonts w:eastAsia="黑体"/>'
    '<w:sz w:val="44"/></w:rPr></w:style>')


def package(body: str, styles: str = STYLES, numbering: str = "", extra=()) -> bytes:
    """A .docx of the given body (w:p… inside w:body), styles.xml and numbering.xml contents."""
    parts = [("[Content_Types].xml", '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>'),
             ("_rels/.rels", RELS),
             ("word/document.xml", f'<w:document {NS}><w:body>{body}<w:sectPr/></w:body></w:document>'),
             ("word/styles.xml", f'<w:styles {NS}>{styles}</w:styles>'), *extra]
    if numbering:
        parts.append(("word/numbering.xml", f'<w:numbering {NS}>{numbering}</w:numbering>'))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for name, text in parts:
            z.writestr(name, text.encode("utf-8"))
    return out.getvalue()


def read(body: str, **parts):
    return read_docx(package(body, **parts))


def p(content: str, ppr: str = "") -> str:
    return f"<w:p>{f'<w:pPr>{ppr}</w:pPr>' if ppr else ''}{content}</w:p>"


def r(text: str, rpr: str = "") -> str:
    return f'<w:r>{f"<w:rPr>{rpr}</w:rPr>" if rpr else ""}<w:t xml:space="preserve">{text}</w:t></w:r>'


def texts(draft):
    return [paragraph.full_text for paragraph in draft.paragraphs]


# drafter's own drafts -----------------------------------------------------------------------------

@pytest.fixture(scope="module")
def leader(tmp_path_factory):
    """The leader's speech, drafted by the CLI: it has headings at two levels."""
    out = tmp_path_factory.mktemp("leader") / "讲话.docx"
    result = CliRunner().invoke(cli, ["speech", str(SAMPLE), "--style", "leader", "-o", str(out)])
    assert result.exit_code == 0, result.output
    return out


def expected(style):
    """(text without line breaks, heading level or None) of every block the pipeline drafted."""
    return [(plain_text(block.inlines).replace("\n", ""), block.level if isinstance(block, Heading) else None)
            for block in make_draft("speech", SAMPLE, style=style).document.blocks]


def read_back(path):
    return [(paragraph.full_text.replace("\n", ""), paragraph.heading_level)
            for paragraph in read_docx(path.read_bytes()).paragraphs]


@pytest.mark.parametrize("style", ["report", "leader"])
def test_a_draft_reads_back_as_the_document_it_was_written_from(style, tmp_path):
    out = tmp_path / "稿.docx"
    result = CliRunner().invoke(cli, ["speech", str(SAMPLE), "--style", style, "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert read_back(out) == expected(style)
    draft = read_docx(out.read_bytes())
    assert [paragraph.number for paragraph in draft.paragraphs] == list(range(1, len(draft.paragraphs) + 1))
    assert draft.paragraphs[0].style_name == "公文标题" and draft.paragraphs[0].alignment == "center"
    assert "\n" in draft.paragraphs[0].text  # the title's line break
    assert (draft.body_font, draft.body_size) == ("仿宋_GB2312", 16.0)
    assert not any(paragraph.direct for paragraph in draft.paragraphs)  # drafter formats by styles only


def test_headings_of_a_draft_keep_their_levels(leader):
    levels = [level for _, level in read_back(leader) if level]
    assert levels[:1] == [1] and 2 in levels and set(levels) <= {1, 2}


def test_a_position_finds_the_paragraph_again(leader):
    root = etree.fromstring(zipfile.ZipFile(leader).read("word/document.xml"))
    every = list(root.find(f"{{{W}}}body").iter(f"{{{W}}}p"))
    for paragraph in read_docx(leader.read_bytes()).paragraphs:
        assert "".join(every[paragraph.position].itertext()) == paragraph.text.replace("\n", "")


@pytest.fixture(scope="module")
def resaved(leader, tmp_path_factory):
    """The leader's speech after LibreOffice opened and saved it as .docx."""
    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.skip("needs LibreOffice (soffice)")
    work = tmp_path_factory.mktemp("resave")
    source, out = work / "in", work / "out"
    source.mkdir()
    shutil.copy(leader, source / "稿.docx")
    subprocess.run([soffice, "--headless", "--norestore", f"-env:UserInstallation={(work / 'profile').as_uri()}",
                    "--convert-to", 'docx:MS Word 2007 XML', "--outdir", str(out), str(source / "稿.docx")],
                   capture_output=True, timeout=180)
    if not (out / "稿.docx").exists():
        pytest.fail("soffice wrote no .docx")
    return out / "稿.docx"


def test_a_draft_saved_again_by_libreoffice_reads_the_same(leader, resaved):
    assert read_back(resaved) == read_back(leader)


# hand-written packages: text as Word shows it -----------------------------------------------------

def test_split_runs_content_controls_and_tracked_changes_read_as_shown():
    draft = read(
        p(r("覆盖") + '<w:sdt><w:sdtPr><w:alias w:val="户数"/><w:showingPlcHdr/></w:sdtPr>'
          f'<w:sdtContent>{r("1")}{r("30")}</w:sdtContent></w:sdt>' + r("户"))
        + p(r("共") + '<w:del w:id="1" w:author="x"><w:r><w:delText>12</w:delText></w:r></w:del>'
            f'<w:ins w:id="2" w:author="x">{r("15")}</w:ins>'
            '<w:moveFrom w:id="3" w:author="x"><w:r><w:t>旧处</w:t></w:r></w:moveFrom>'
            f'<w:moveTo w:id="4" w:author="x">{r("个")}</w:moveTo>')
        + p(r("删去了段落标记"), '<w:rPr><w:del w:id="5" w:author="x"/></w:rPr>')
        + p('<w:del w:id="6" w:author="x"><w:r><w:delText>整段删除</w:delText></w:r></w:del>'))
    assert texts(draft) == ["覆盖130户", "共15个", "删去了段落标记"]


def test_fields_show_their_result_not_their_code():
    page = ('<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> PAGE </w:instrText></w:r>'
            '<w:r><w:fldChar w:fldCharType="separate"/></w:r>' + r("3")
            + '<w:r><w:fldChar w:fldCharType="end"/></w:r>')
    nested = ('<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText>IF </w:instrText></w:r>'
              + page + '<w:r><w:instrText> = 1 "首页" "续页"</w:instrText></w:r>'
              '<w:r><w:fldChar w:fldCharType="separate"/></w:r>' + r("续页")
              + '<w:r><w:fldChar w:fldCharType="end"/></w:r>')
    draft = read(p(r("第") + page + r("页"))
                 + p(r("见") + f'<w:fldSimple w:instr=" DOCPROPERTY 单位 ">{r("青禾区委")}</w:fldSimple>')
                 + p(r("本页是") + nested + r("。"))
                 + p('<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText>XE "索引"</w:instrText></w:r>'
                     '<w:r><w:fldChar w:fldCharType="end"/></w:r>' + r("无结果的域")))
    assert texts(draft) == ["第3页", "见青禾区委", "本页是续页。", "无结果的域"]


def test_links_tags_comments_and_marks_add_their_text_and_nothing_else():
    draft = read(p(
        '<w:bookmarkStart w:id="0" w:name="a"/><w:proofErr w:type="spellStart"/>'
        f'<w:hyperlink r:id="rId9" xmlns:r="x">{r("详见")}</w:hyperlink><w:commentRangeStart w:id="1"/>'
        f'<w:smartTag w:uri="u" w:element="place">{r("青禾区")}</w:smartTag>'
        f'<w:customXml w:element="x">{r("通知")}</w:customXml><w:commentRangeEnd w:id="1"/>'
        '<w:r><w:commentReference w:id="1"/></w:r><w:r><w:footnoteReference w:id="2"/></w:r>'
        '<w:bookmarkEnd w:id="0"/><w:proofErr w:type="spellEnd"/>'
        '<w:r><w:t>一</w:t><w:tab/><w:t>二</w:t><w:br/><w:t>三</w:t><w:noBreakHyphen/><w:t>四</w:t></w:r>'
        '<w:r><w:sym w:font="Symbol" w:char="F0B7"/><w:sym w:font="宋体" w:char="2460"/></w:r>'
        f'{r("隐藏的字", "<w:vanish/>")}<w:r><w:rPr><w:vanish w:val="0"/></w:rPr><w:t>显示</w:t></w:r>'
        '<w:ruby><w:rubyPr/><w:rt>' + r("qīng") + '</w:rt><w:rubyBase>' + r("青") + '</w:rubyBase></w:ruby>'))
    assert texts(draft) == ["详见青禾区通知一\t二\n三-四①显示青"]


def test_tables_block_controls_and_text_boxes_keep_their_place():
    text_box = ('<w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><wps:txbx><w:txbxContent>'
                f'{p(r("框内新"))}</w:txbxContent></wps:txbx></w:drawing></mc:Choice><mc:Fallback><w:pict>'
                f'<w:txbxContent>{p(r("框内旧"))}</w:txbxContent></w:pict></mc:Fallback></mc:AlternateContent></w:r>')
    body = (p(r("正文") + text_box) + p("")
            + f'<w:tbl><w:tr><w:tc>{p(r("甲"))}</w:tc><w:tc>{p("")}{p(r("乙"))}</w:tc></w:tr></w:tbl>'
            + f'<w:sdt><w:sdtPr/><w:sdtContent>{p(r("控件里的段"))}</w:sdtContent></w:sdt>' + p(r("末段")))
    draft = read(body)
    assert texts(draft) == ["正文", "甲", "乙", "控件里的段", "末段"]
    assert [(x.number, x.position, x.in_table) for x in draft.paragraphs] == [
        (1, 0, False), (2, 4, True), (3, 6, True), (4, 7, False), (5, 8, False)]  # 1, 2: the text box's w:p
    every = list(etree.fromstring(zipfile.ZipFile(io.BytesIO(package(body))).read("word/document.xml"))
                 .find(f"{{{W}}}body").iter(f"{{{W}}}p"))
    assert all("".join(every[x.position].itertext()).startswith(x.text) for x in draft.paragraphs)


# styles, outline levels, direct formatting --------------------------------------------------------

def test_styles_outline_levels_and_alignment_follow_the_based_on_chain():
    draft = read(p(r("正文")) + p(r("标题"), '<w:pStyle w:val="Mine"/>')
                 + p(r("大纲"), '<w:pStyle w:val="Mine"/><w:outlineLvl w:val="0"/><w:jc w:val="left"/>')
                 + p(r("正文级别"), '<w:pStyle w:val="Mine"/><w:outlineLvl w:val="9"/>')
                 + p(r("三级"), '<w:pStyle w:val="3"/>') + p(r("样式不存在"), '<w:pStyle w:val="Gone"/>'))
    assert [(x.style_id, x.style_name, x.heading_level, x.alignment) for x in draft.paragraphs] == [
        ("a", "Normal", None, "both"), ("Mine", "公文标题", 2, "center"), ("Mine", "公文标题", 1, "left"),
        ("Mine", "公文标题", None, "center"), ("3", "heading 3", 3, "both"), ("a", "Normal", None, "both")]


def test_direct_fonts_and_sizes_over_the_style_are_found():
    draft = read(p(r("同样式", '<w:rFonts w:eastAsia="仿宋_GB2312"/><w:sz w:val="32"/>'))
                 + p(r("改了字体", '<w:rFonts w:eastAsia="宋体"/>'))
                 + p(r("四号", '<w:sz w:val="28"/>') + r("五号", '<w:sz w:val="21"/>'))
                 + p(r("五号", '<w:sz w:val="21"/>'))
                 + p(r("标题里的仿宋", '<w:rFonts w:eastAsia="仿宋_GB2312"/>'), '<w:pStyle w:val="Mine"/>')
                 + p(r("字符样式", '<w:rStyle w:val="Strong"/>'))
                 + p(r(" ", '<w:sz w:val="44"/>') + r("空白不算"))
                 + p(r("段落标记不算"), '<w:rPr><w:sz w:val="44"/></w:rPr>'))
    assert [x.direct for x in draft.paragraphs] == [
        {}, {"font": "宋体"}, {"size": "14"}, {"size": "10.5"}, {"font": "仿宋_GB2312"}, {}, {}, {}]
    assert (draft.body_font, draft.body_size) == ("仿宋_GB2312", 16.0)


def test_the_body_font_falls_back_to_doc_defaults_and_the_theme():
    plain = '<w:style w:type="paragraph" w:default="1" w:styleId="N"><w:name w:val="Normal"/></w:style>'
    draft = read(p(r("字")), styles=STYLES.split("<w:style ")[0] + plain)
    assert (draft.body_font, draft.body_size) == ("宋体", 10.5)
    themed = ('<w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:eastAsiaTheme="minorEastAsia"/></w:rPr>'
              '</w:rPrDefault></w:docDefaults>' + plain)
    theme = ('<a:theme xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"><a:themeElements><a:fontScheme>'
             '<a:minorFont><a:latin typeface="Calibri"/><a:ea typeface=""/><a:font script="Hans" typeface="等线"/>'
             '</a:minorFont></a:fontScheme></a:themeElements></a:theme>')
    draft = read(p(r("字", '<w:rFonts w:eastAsia="等线"/>')), styles=themed, extra=[("word/theme/theme1.xml", theme)])
    assert draft.body_font == "等线" and draft.body_size is None and draft.paragraphs[0].direct == {}


# automatic numbering -------------------------------------------------------------------------------

def level(ilvl, fmt, text, start=1, extra=""):
    return (f'<w:lvl w:ilvl="{ilvl}"><w:start w:val="{start}"/><w:numFmt w:val="{fmt}"/>'
            f'<w:lvlText w:val="{text}"/>{extra}</w:lvl>')


NUMBERING = (
    '<w:abstractNum w:abstractNumId="0">' + level(0, "chineseCounting", "%1、") + level(1, "chineseCounting", "（%2）")
    + level(2, "decimal", "%3.") + level(3, "decimal", "（%4）") + '</w:abstractNum>'
    '<w:abstractNum w:abstractNumId="1">' + level(0, "bullet", "•") + level(1, "bullet", "\uf0b7")
    + level(2, "upperLetter", "%1.%3", extra="<w:isLgl/>") + '</w:abstractNum>'
    '<w:abstractNum w:abstractNumId="2">' + level(0, "decimal", "第%1部分") + level(1, "lowerRoman", "%2)", extra=
                                                                               '<w:lvlRestart w:val="0"/>')
    + '</w:abstractNum>'
    '<w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>'
    '<w:num w:numId="2"><w:abstractNumId w:val="0"/><w:lvlOverride w:ilvl="0"><w:startOverride w:val="10"/>'
    '</w:lvlOverride></w:num>'
    '<w:num w:numId="3"><w:abstractNumId w:val="0"/></w:num>'
    '<w:num w:numId="4"><w:abstractNumId w:val="1"/></w:num>'
    '<w:num w:numId="5"><w:abstractNumId w:val="2"/></w:num>')


def numbered(text, num, ilvl=None, style=""):
    ppr = f'<w:pStyle w:val="{style}"/>' if style else ""
    ilvl = f'<w:ilvl w:val="{ilvl}"/>' if ilvl is not None else ""
    num = f'<w:numId w:val="{num}"/>' if num is not None else ""
    return p(r(text), ppr + (f"<w:numPr>{ilvl}{num}</w:numPr>" if ilvl or num else ""))


def test_automatic_numbering_reads_as_word_shows_it():
    body = "".join([
        numbered("总体", 1, 0), numbered("分项", 1, 1), numbered("分项", 1, 1), numbered("要点", 1, 2),
        numbered("要点", 1, 2), numbered("细目", 1, 3), numbered("总体", 1, 0), numbered("分项", 1, 1),
        numbered("要点", 1, 2), p(r("无序号")), numbered("接着数", 3, 0),  # another num of the same list goes on
        numbered("另起", 2, 0), numbered("另起", 2, 0), numbered("分项", 2, 1),  # startOverride: a list of its own
        numbered("回到原表", 1, 0), numbered("样式给的序号", None, style="Part"),
        numbered("去掉样式的序号", 0, style="Part"), numbered("只写级别", None, 1, style="Part"),
        numbered("圆点", 4, 0), numbered("符号字体", 4, 1), numbered("法律式", 4, 2),
        numbered("部分", 5, 0), numbered("小项", 5, 1), numbered("部分", 5, 0), numbered("小项", 5, 1),
        numbered("", 1, 1),  # an empty numbered paragraph still shows its number
    ])
    draft = read(body, numbering=NUMBERING)
    assert [(x.label, x.text) for x in draft.paragraphs] == [
        ("一、", "总体"), ("（一）", "分项"), ("（二）", "分项"), ("1.", "要点"), ("2.", "要点"), ("（1）", "细目"),
        ("二、", "总体"), ("（一）", "分项"), ("1.", "要点"), ("", "无序号"), ("三、", "接着数"),
        ("十、", "另起"), ("十一、", "另起"), ("（一）", "分项"),
        ("四、", "回到原表"), ("五、", "样式给的序号"), ("", "去掉样式的序号"), ("（一）", "只写级别"),
        ("•", "圆点"), ("", "符号字体"), ("1.1", "法律式"),
        ("第1部分", "部分"), ("i)", "小项"), ("第2部分", "部分"), ("ii)", "小项"),  # lvlRestart 0: never restarts
        ("（二）", ""),
    ]
    assert draft.paragraphs[0].full_text == "一、总体"


@pytest.mark.parametrize("value, fmt, shown", [
    (1, "chineseCounting", "一"), (10, "chineseCounting", "十"), (11, "chineseCountingThousand", "十一"),
    (20, "chineseCounting", "二十"), (21, "japaneseCounting", "二十一"), (101, "chineseCounting", "一百零一"),
    (110, "chineseCounting", "一百一十"), (10010, "chineseCounting", "一万零一十"), (3, "ideographTraditional", "丙"),
    (12, "chineseLegalSimplified", "壹拾贰"), (2, "decimalEnclosedCircle", "②"), (3, "decimalEnclosedParen", "⑶"),
    (28, "lowerLetter", "bb"), (3, "upperLetter", "C"), (14, "lowerRoman", "xiv"), (1994, "upperRoman", "MCMXCIV"),
    (7, "decimalZero", "07"), (12, "decimalFullWidth", "１２"), (5, "none", ""), (4, "ordinal", "4"),
])
def test_number_formats(value, fmt, shown):
    assert format_number(value, fmt) == shown


# what is not a readable .docx ----------------------------------------------------------------------

def zipped(parts):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for name, text in parts.items():
            z.writestr(name, text)
    return out.getvalue()


@pytest.mark.parametrize("data, says", [
    (b"just text, not a zip", "不是 Word 文档（.docx）"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(100), ".doc"),
    (zipped({"word/styles.xml": "<w:styles/>"}), "没有 word/document.xml"),
    (zipped({"word/document.xml": f"<w:document {NS}><w:body><w:p>"}), "不是完好的 XML"),
    (package(p(r("x")), styles="<w:style"), "word/styles.xml"),
])
def test_what_is_not_a_docx_is_a_drafter_error(data, says):
    with pytest.raises(DrafterError) as raised:
        read_docx(data, name="x.docx")
    assert "读不了“x.docx”" in str(raised.value) and says in str(raised.value)


def test_entities_are_not_resolved(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("机密内容", encoding="utf-8")
    document = (f'<!DOCTYPE w:document [<!ENTITY x SYSTEM "{secret.as_uri()}">]>'
                f'<w:document {NS}><w:body>{p("<w:r><w:t>甲&x;乙</w:t></w:r>")}</w:body></w:document>')
    data = package("")
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as z:
        for info in source.infolist():
            z.writestr(info.filename, document if info.filename == "word/document.xml" else source.read(info))
    assert "机密" not in "".join(texts(read_docx(out.getvalue())))
