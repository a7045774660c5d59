"""The gallery of forms, facts/examples/: every sheet drafts cleanly with the command on its first line.

Each sheet's first line is a comment holding the command that drafts it (from the repo root), its
second line says which form it shows. Here each command runs in-process with --strict and an output
file in tmp_path: exit code 0, nothing on stderr but the note of the event chosen (no 未使用, no 对仗 hint,
no punctuation note), and the document holds no 【待补】 and no outline markup. Together the sheets' 形式 use every
enumerator, placement and paragraphing there is, 分号, and a 标签.
"""
import re
import shlex
import zipfile
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from drafter.cli import cli
from drafter.form_scheme import read_scheme, vocabulary

ROOT = Path(__file__).resolve().parent.parent
GALLERY = ROOT / "facts" / "examples"
SHEETS = sorted(GALLERY.glob("*.yaml"))


def command_of(sheet):
    """The drafter arguments on the sheet's first line, with the sheet's own path made absolute."""
    first, second = sheet.read_text(encoding="utf-8").splitlines()[:2]
    assert first.startswith("# drafter "), f"{sheet.name}: the first line must be “# drafter …”"
    assert second.startswith("# ") and len(second) > 4, f"{sheet.name}: the second line says which form it shows"
    words = shlex.split(first[2:])
    relative = sheet.relative_to(ROOT).as_posix()
    assert relative in words, f"{sheet.name}: the command on its first line drafts {words}, not {relative}"
    return [str(sheet) if word == relative else word for word in words[1:]]


def document_text(path):
    with zipfile.ZipFile(path) as package:
        xml = package.read("word/document.xml").decode("utf-8")
    return "".join(re.findall(r"<w:t(?:\s[^>]*)?>([^<]*)</w:t>", xml))


@pytest.fixture
def runner():
    try:
        return CliRunner(mix_stderr=False)  # click before 8.2 (Python 3.9) mixes them unless told
    except TypeError:
        return CliRunner()  # click 8.2 and later keep them apart


def test_the_gallery_has_at_least_six_sheets():
    assert len(SHEETS) >= 6, [s.name for s in SHEETS]


@pytest.mark.parametrize("sheet", SHEETS, ids=[s.stem for s in SHEETS])
def test_each_sheet_drafts_cleanly_with_its_first_line(sheet, runner, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    out = tmp_path / f"{sheet.stem}.docx"
    result = runner.invoke(cli, command_of(sheet) + ["--strict", "-o", str(out)], catch_exceptions=False)
    assert result.exit_code == 0, result.stderr
    hints = [line for line in result.stderr.splitlines() if line.strip() and not line.startswith("使用活动 ")]
    assert hints == [], result.stderr  # no hint of any kind (which event --event chose is a note, not a hint)
    text = document_text(out)
    assert "待补" not in text
    assert "#" not in text, "outline markup printed in the document"
    assert len(text) > 300


def test_the_gallery_shows_every_form():
    vocab = vocabulary()
    used, labelled = set(), False
    for sheet in SHEETS:
        data = yaml.safe_load(sheet.read_text(encoding="utf-8"))
        labelled |= any(item.get("标签") for area in data.get("工作领域", [])
                        for item in [area] + list(area.get("要点", [])))
        for style, forms in data.get("形式", {}).items():
            scheme = read_scheme(forms, lambda path: (str(sheet), None, None), ("形式", style), vocab)
            for levels in (layer.levels for layer in scheme.layers):
                for spec in levels.values():
                    used.update({spec.enumerator, spec.placement, spec.paragraphing, spec.separator})
    wanted = set(vocab.enumerators) | set(vocab.placements.values()) | set(vocab.paragraphings.values()) | {"；"}
    assert wanted <= used, f"no sheet shows {sorted(wanted - used)}"
    assert labelled, "no sheet gives a 标签"
