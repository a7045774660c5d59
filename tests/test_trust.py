"""The template sandbox and the fact guarantee (issue 11, audit rows 4.12–4.23).

A pack from a colleague can arrange facts and nothing else: it runs on a Jinja2 without the known
sandbox escapes, cannot change the facts it is given, prints no number the sheet does not give, and
stops within seconds whatever it does. Every fact it prints reaches the Document with its source.
"""
import configparser
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import jinja2
import pytest
from click.testing import CliRunner
from jinja2.sandbox import ImmutableSandboxedEnvironment

from drafter import limits, sandbox
from drafter.cli import cli
from drafter.document import Fact, Generated, Text
from drafter.errors import DrafterError
from drafter.pipeline import make_draft
from drafter.render import new_environment, render_template

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "facts" / "2024.yaml"
SAMPLE_TEXT = SAMPLE.read_text(encoding="utf-8")


@pytest.fixture
def attack(tmp_path, monkeypatch):
    """A pack copied from the built-in speech/report with its outline replaced; runs a draft of it
    and gives (exit code, output)."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "2024.yaml").write_text(SAMPLE_TEXT, encoding="utf-8")
    assert CliRunner().invoke(cli, ["templates", "new", "speech/atk", "--from", "speech/report"]).exit_code == 0
    outline = tmp_path / "templates" / "speech" / "atk" / "outline.md.j2"

    def run(body, replace=None):
        if replace:
            text = (ROOT / "templates" / "speech" / "report" / "outline.md.j2").read_text(encoding="utf-8")
            assert replace[0] in text
            outline.write_text(text.replace(*replace), encoding="utf-8")
        else:
            outline.write_text("# 标题\n\n" + body + "\n", encoding="utf-8")
        result = CliRunner().invoke(cli, ["speech", "2024.yaml", "--style", "atk", "--format", "txt",
                                          "-o", "out.txt", "--force"])
        return result.exit_code, result.output
    return run


# --------------------------------------------------------------------------- the security floor (4.12, 4.13)


def test_setup_cfg_asks_for_the_jinja_release_without_sandbox_escapes():
    """Lowering the floor below 3.1.6 (CVE-2024-56201, CVE-2024-56326, CVE-2025-27516) fails here."""
    config = configparser.ConfigParser()
    config.read(ROOT / "setup.cfg", encoding="utf-8")
    requirements = config["options"]["install_requires"].split()
    floors = dict(re.match(r"([A-Za-z0-9_.-]+)>=([\d.]+)$", line).groups() for line in requirements)
    assert tuple(int(n) for n in floors["Jinja2"].split(".")) >= (3, 1, 6)
    assert tuple(int(n) for n in floors["Jinja2"].split(".")) == sandbox.JINJA_FLOOR
    assert tuple(int(n) for n in floors["lxml"].split(".")) >= (4, 9, 1)  # CVE-2022-2309


@pytest.mark.parametrize("version", ["3.1.4", "3.1.5", "3.0.3", "2.11.3"])
def test_an_older_jinja_refuses_to_render_packs(version):
    with pytest.raises(DrafterError) as caught:
        sandbox.check_jinja_version(version)
    assert f"已安装的 Jinja2 是 {version}" in str(caught.value) and "Jinja2>=3.1.6" in str(caught.value)


def test_the_installed_jinja_is_accepted_and_an_old_one_gets_no_sandbox(monkeypatch, tmp_path):
    sandbox.check_jinja_version("3.1.6")
    sandbox.check_jinja_version("3.2.0rc1")
    new_environment([str(tmp_path)])
    monkeypatch.setattr(jinja2, "__version__", "3.1.5")
    with pytest.raises(DrafterError) as caught:
        new_environment([str(tmp_path)])
    assert "3.1.5" in str(caught.value)


def test_the_sandbox_is_the_immutable_one():
    assert issubclass(sandbox.PackEnvironment, ImmutableSandboxedEnvironment)


def test_row_4_12_a_format_string_reaching_for_globals_is_stopped_before_rendering(attack, monkeypatch):
    monkeypatch.setenv("SECRET_TOKEN", "s3cr3t-value")
    code, output = attack("{{ ('{0.__init__.__globals__[os].environ[SECRET_TOKEN]}'|attr('format'))(cycler) }}")
    assert code == 1 and "程序内部" in output and "s3cr3t-value" not in output


def test_row_4_13_a_fragment_named_like_code_runs_nothing(attack, tmp_path):
    folder = tmp_path / "templates" / "speech" / "atk"
    name = "{__import__(chr(111)+chr(115)).system(chr(116)+chr(111)+chr(117)+chr(99)+chr(104)+chr(32)+chr(80))}"
    (folder / f"{name}.j2").write_text("{% from 'lib' import nothing %}\n", encoding="utf-8")
    code, output = attack("{% include '" + name + ".j2' %}")
    assert code == 1 and not (tmp_path / "P").exists()


# --------------------------------------------------------------------------- numbers only from the sheet (4.15, 4.16)


SPELLINGS = [
    "{{ '全年新建阵地21个' }}", "{{ 21|string }}", "{{ '%d个'|format(21) }}", "{{ (year + 1)|string }}",
    "{% set y = year + 1 %}{{ y }}年工作计划", "{{ areas|length }}",
    "{% for area in areas %}{{ loop.index|string }}{% endfor %}", "{{ range(2025, 2026)|first }}",
    "{{ (10 ** 9)|string }}", "{{ [20, 1]|sum }}", "{{ {'n': 21}.n }}", "{{ cycler('21个').next() }}",
    "全年新建阵地二十一个", "服务群众约三万人次", "下面，我讲三点意见。", "{{ '二十一个' }}",
    "全年新建阵地21个", "全年新建阵地２１个", "{{ year + 1 }}",
    "{% for i in range(21) %}{% if loop.last %}{{ loop.index|zh_numeral }}{% endif %}{% endfor %}个",
    "{% for area in areas + areas %}{% if loop.last %}{{ loop.length|zh_numeral }}{% endif %}{% endfor %}个领域",
    "{{ [1, 2, 3]|length|zh_numeral }}点意见", "{{ 21|zh_numeral }}个",
    "{% filter replace('区', '2') %}{{ unit.short_name }}{% endfilter %}",
    "{% filter replace('x', '21') %}x{% endfilter %}",
]


@pytest.mark.parametrize("payload", SPELLINGS)
def test_rows_4_15_and_4_16_no_spelling_of_a_made_up_number_gets_through(attack, payload):
    code, output = attack(payload)
    assert code == 1, output
    assert re.search(r"outline\.md\.j2(:3)?: ", output), output  # named at the template (and its line)
    assert not Path("out.txt").exists()


# --------------------------------------------------------------------------- facts are not altered (4.17, 4.18)


def test_row_4_17_a_fact_changed_by_the_template_is_altered_not_unused(attack):
    code, output = attack(None, replace=("{{ point.text|zh_sentence }}",
                                         "{{ point.text.replace('5次', '50次')|zh_sentence }}"))
    assert code == 1
    assert "模板改动了事实（.replace()）：工作领域[1].要点[1].内容（事实表第 71 行）印成了“……" in output
    assert "50次" in output and "未使用" not in output


@pytest.mark.parametrize("payload, how", [
    ("{{ areas[0].points[0].text[:6] }}", "切片"),
    ("{{ areas[0].points[0].text|truncate(12) }}", "|truncate"),
    ("{{ unit.short_name|replace('区', '市') }}", "|replace"),
    ("{% for part in areas[0].summary.split('，') %}{{ part }}{% endfor %}", ".split()"),
    ("{% filter replace('5次', '50次') %}{{ areas[0].points[0].text }}{% endfilter %}", "印出后又被改成"),
    ("{% set text %}{{ areas[0].points[0].text }}{% endset %}{{ text|replace('5次', '6次') }}", "改动了"),
    ("{% set o %}{% endset %}{{ o ~ unit.full_name.replace('统战部', '组织部') }}", "改动了事实"),
    ("{% set o %}{{ unit.full_name }}{% endset %}{{ o.replace('\\ufdd0', '') }}", "非字符"),
    ("{{ '{:.4}'.format(unit.full_name) }}", "改动了事实"),
    ("{{ '%.3s'|format(unit.full_name) }}", "改动了事实"),
    ("{{ '{0[2]}{0[3]}{0[4]}'.format(unit.full_name) }}", "改动了事实"),
    ("{{ unit.full_name.source }}", "不允许"),
    ("{% for c in unit.full_name %}{% if loop.index > 2 %}{{ c }}{% endif %}{% endfor %}", "逐字"),
    ("{{ unit.full_name|reject('in', '中共')|join }}", "改动了事实"),
    ("{{ unit.full_name.encode().decode() }}", "字节"),
    ("{{ speech.guidance }}", "列表"),
    ("{{ areas[0].points[0].text|zh_after('将') }}", "zh_after"),
    ("{{ [unit.full_name, unit.short_name, unit.region]|length|zh_numeral }}", "zh_numeral"),
    ("{{ (areas + plans)|length|zh_numeral }}", "zh_numeral"),
    ("{{ []|length|zh_numeral }}个", "zh_numeral"),
    ("{% for a in areas %}{{ loop.index0|zh_numeral }}{% endfor %}", "zh_numeral"),
    ("全年接待群众{% filter format(30000) %}[%d人次]{.待补}{% endfilter %}", "30000"),
    ("抓好一个重点", "一个"), ("叁点意见", "叁点"), ("三\u200b点意见", "U+200B"), ("²¹个", "²¹"),
    ("{% include ['report/outline.md.j2'] %}", "找不到"), ("{% include ['template.yaml'] %}", "找不到"),
    ("{{ unit.short_name|zh_sentnce }}", "是否想写“zh_sentence”"),
])
def test_every_way_of_changing_a_fact_or_printing_a_number_is_caught(attack, payload, how):
    """Each way found by a hostile review of the sandbox, and the plain ones."""
    code, output = attack(payload)
    assert code == 1 and how in output, output


@pytest.mark.parametrize("payload, shown", [
    ("共{{ areas|length|zh_numeral }}个领域", "共四个领域"),
    ("{% for area in areas %}{{ loop.index|zh_numeral }}是{{ area.heading }}；{% endfor %}",
     "一是织密网络；二是织牢制度；三是织紧纽带；四是织亮品牌；"),
    ("{% for area in areas if area.heading %}{% if loop.last %}{{ loop.index|zh_numeral }}{% endif %}{% endfor %}", "四"),
    ("{{ year }}年，进一步统一思想", "2024年，进一步统一思想"),
    ("{{ year|string }}年", "2024年"),
    ("{% set lead %}压紧领导责任。{% endset %}{{ lead ~ unit.region }}", "压紧领导责任。枫岭市青禾区"),
    ("{% macro m(x) %}【{{ x }}】{% endmacro %}{{ [m(unit.short_name), unit.region]|join('，') }}", "【区委统战部】，枫岭市青禾区"),
    ("{{ unit.short_name + '的' }}", "区委统战部的"),
    ("{% macro para(x) %}{{ x }}。{% endmacro %}{{ para(unit.region)|zh_sentence }}", "枫岭市青禾区。"),
    ("{% set o %} {{ unit.short_name }} {% endset %}{{ o|trim }}", "区委统战部"),
])
def test_what_a_real_author_writes_still_works(attack, payload, shown):
    """Counts drafter makes from the sheet, the sheet's own numbers, facts joined and rendered markup."""
    code, output = attack(payload)
    assert code == 0, output
    assert Path("out.txt").read_text(encoding="utf-8").splitlines()[1].strip() == shown


@pytest.mark.parametrize("payload", ["{% set _ = areas.pop() %}", "{% set _ = areas.append({'heading': '织新网络'}) %}",
                                     "{% set _ = unit.update({'short_name': '别处'}) %}"])
def test_row_4_18_facts_cannot_be_removed_or_added(attack, payload):
    code, output = attack(payload + "{{ unit.short_name }}")
    assert code == 1 and "不能改动事实" in output, output


def test_the_immutable_sandbox_refuses_a_change_the_check_cannot_see(tmp_path):
    env = new_environment([str(tmp_path)])
    with pytest.raises(DrafterError) as caught:
        render_template(env, "x", {"areas": [1, 2]}, source="{% set f = areas['pop'] %}{{ f() }}")
    assert "不允许" in str(caught.value)


def test_joining_and_composing_facts_keeps_them_facts(attack):
    code, output = attack("{{ unit.short_name ~ '的' ~ unit.region }}｜{{ '%s和%s'|format(unit.short_name, unit.region) }}"
                          "｜{{ [unit.short_name, unit.region]|join('、') }}"
                          "{% macro m(x) %}【{{ x }}】{% endmacro %}｜{{ m(unit.short_name) }}")
    assert code == 0, output
    assert Path("out.txt").read_text(encoding="utf-8").splitlines()[1].strip() == (
        "区委统战部的枫岭市青禾区｜区委统战部和枫岭市青禾区｜区委统战部、枫岭市青禾区｜【区委统战部】")


# --------------------------------------------------------------------------- facts carry their source


def test_every_fact_of_the_sample_speech_knows_its_sheet_line_and_field():
    draft = make_draft("speech", SAMPLE, "report")
    lines = SAMPLE_TEXT.splitlines()
    facts = list(draft.document.facts())
    assert len(facts) > 40
    for fact in facts:
        source = fact.source
        assert source.file == str(SAMPLE) and source.line and source.column, fact
        written = lines[source.line - 1][source.column - 1:]
        if not re.match(r"\d{4}-\d\d-\d\d", written):  # a date is printed the Chinese way
            core = re.sub(r"[，。；：、\s]+$", "", fact.text)[:8]
            assert core and core.replace("\u3000", "，")[:4] in written.replace("\u3000", "，"), (fact, written)
    found = {(f.source.path, f.text) for f in facts}
    assert ("汇报.会议.会议全称", "全市基层统一战线工作现场推进会") in found
    assert ("汇报.会议.日期", "2024年12月17日") in found
    assert any(path == "工作领域[1].要点[1].内容" and "区委常委会5次" in text for path, text in found)


def test_framing_text_of_every_sample_draft_holds_no_number():
    """What is not a fact is the template's own words: not a digit in it, in any kind."""
    for kind, style, event in (("speech", "report", None), ("speech", "leader", None), ("speech", "host", "2024-01"),
                               ("report", "summary", None), ("report", "experience", None),
                               ("news", "meeting", "2024-01"), ("news", "training", "2024-02"),
                               ("news", "feature", None)):
        document = make_draft(kind, SAMPLE, style, event=event).document
        framing = "".join(i.text for i in document.inlines() if isinstance(i, Text))
        assert not re.search(r"[0-9０-９]", framing), (style, re.findall(r".{5}[0-9].{5}", framing)[:3])
        kinds = {type(i) for i in document.inlines()}
        assert Fact in kinds, style


def test_enumerators_and_counts_are_generated_not_typed():
    leader = make_draft("speech", SAMPLE, "leader").document
    generated = [i for i in leader.inlines() if isinstance(i, Generated)]
    # 三点意见; then the whole enumerator, made by the form from position: 一、 of the part, 一是…四是 of its areas
    assert [g.text for g in generated][:7] == ["三", "一、", "一是", "二是", "三是", "四是", "二、"]
    assert generated[0].kind == "计数" and {g.kind for g in generated[1:]} == {"序号"}
    host = make_draft("speech", SAMPLE, "host", event="2024-01").document
    assert any(g.kind == "计数" and g.text == "六" for g in host.inlines() if isinstance(g, Generated))


# --------------------------------------------------------------------------- resource limits (4.19–4.24)


@pytest.mark.parametrize("payload, message", [
    ("{% for i in range(99999) %}{% for j in range(99999) %}{% endfor %}{% endfor %}", "已停止"),
    ("{% set r = range(99999)|list %}{% for i in r %}{% for j in r %}{{ '' }}{% endfor %}{% endfor %}", "已停止"),
    ("{% set a = 10**60 %}{% set b = a**60 %}{% set c = b**60 %}{% set d = c**60 %}{% set e = d**60 %}x", "太大"),
    ("{% set a = 10**600 %}{% set b = a*a*a*a*a*a*a*a %}x", "太大"),
    ("{{ '统'|center(10**8) }}", "center"),
    ("{{ '统'.center(10**8) }}", "太大"),
    ("{{ '{0:>1000000000}'.format('x') }}", "格式字符串"),
    ("{{ '%1000000000s'|format('x') }}", "格式字符串"),
    ("{% set s = '%1000000000s' % 'x' %}x", "格式字符串"),
    ("{{ lipsum(100000) }}", "lipsum"),
    ("{% set ns = namespace(s='统') %}{% for i in range(40) %}{% set ns.s = ns.s ~ ns.s %}{% endfor %}x", "字"),
    ("{% set s = '统' * 99999 %}{{ s.replace('统', s) }}", "字"),
    ("{% set s = ['统' * 99999] * 99999 %}{{ s|join }}", "字"),
    ("{% for i in range(99999) %}{% for j in range(99) %}一段很长的框架文字，反复印出。一段很长的框架文字，"
     "反复印出。{% endfor %}{% endfor %}", "已停止"),
    ("{% for x in [1] recursive %}{% if loop.depth < 3 %}{{ loop(range(99999)) }}{% endif %}{% endfor %}", "已停止"),
    ("{% set d = 0 %}{% include 'fan' %}", "已停止"),
    ("{{ ([[1] * 1000] * 100) | sum(start=[]) | length > 0 }}", "sum"),
    ("{{ ('x' * 99999)|replace('', 'y' * 99999) }}", "replace"),
    ("{{ ('\t' * 99999).expandtabs(99999) }}", "expandtabs"),
    ("{{ ('y' * 99999).join(range(99999)|map('string')) }}", "join"),
    ("{{ ('{0}' * 33333).format('x' * 99999) }}", "格式"),
    ("{% set s = 'x' * 99999 %}{{ ([s] * 99999)|string|length }}", "太"),
])
def test_rows_4_19_to_4_24_a_render_stops_within_seconds_naming_the_template(tmp_path, payload, message):
    """In a process of its own, with a generous guard: a regression would hang, not pass."""
    folder = tmp_path / "templates" / "speech" / "atk"
    folder.mkdir(parents=True)
    (folder / "template.yaml").write_text("title: 试\n", encoding="utf-8")
    (folder / "fan.j2").write_text("{%- set d = [d] -%}{%- if d|string|length < 64 %}{% include ['fan'] %}"
                                   "{% include ['fan'] %}{% endif -%}", encoding="utf-8")
    (folder / "outline.md.j2").write_text("# 标题\n\n" + payload + "\n", encoding="utf-8")
    (tmp_path / "2024.yaml").write_text(SAMPLE_TEXT, encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "drafter", "speech", "2024.yaml", "--style", "atk", "--format",
                             "txt", "-o", "out.txt"], cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert result.returncode == 1, result.stderr[-500:]
    assert re.search(r"atk/(outline\.md|fan)\.j2:\d+: ", result.stderr) and message in result.stderr, result.stderr[-500:]
    assert not (tmp_path / "out.txt").exists()


def test_the_budget_counts_loops_inside_macros_and_the_output_they_make(tmp_path):
    env = new_environment([str(tmp_path)])
    source = textwrap.dedent("""\
        {% macro big() %}{% for i in range(99999) %}很长的一段框架文字{% endfor %}{% endmacro %}
        {% for i in range(99999) %}{{ big() }}{% endfor %}""")
    with pytest.raises(DrafterError) as caught:
        render_template(env, "x", {}, source=source)
    assert "已停止" in str(caught.value) or "太" in str(caught.value)


def test_an_ordinary_long_outline_is_not_limited(tmp_path):
    """Row 4.26: 100,000 paragraphs still render (in-process, the outline only)."""
    env = new_environment([str(tmp_path)])
    rendered = render_template(env, "x", {"name": "会议"}, source="{% for i in range(100000) %}{{ name }}召开。\n\n{% endfor %}")
    assert rendered.plain.count("会议召开。") == 100000


def test_the_guide_states_the_limits_drafter_applies():
    """docs/authoring.md tells template authors what the sandbox guarantees; the numbers are drafter's."""
    guide = (ROOT / "docs" / "authoring.md").read_text(encoding="utf-8")
    stated = {"一千万步": limits.MAX_STEPS == 10_000_000, "5 秒": limits.MAX_SECONDS == 5,
              "五千万字": limits.MAX_OUTPUT == 50_000_000, "四百万字": limits.MAX_TEXT == 4_000_000,
              "十万项": limits.MAX_ITEMS == 100_000, "最多十万": limits.MAX_ARGUMENT == 100_000,
              "一千二百位": 1100 < limits.MAX_INT_BITS * 0.30103 < 1300, "Jinja2 3.1.6": sandbox.JINJA_FLOOR == (3, 1, 6)}
    for phrase, true in stated.items():
        assert phrase in guide and true, phrase
