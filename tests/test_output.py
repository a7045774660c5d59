"""Output safety: fingerprints, refusing to overwrite edited drafts, file modes, names too long,
-o - (saves racing a write, lock files, leftovers: test_output_safety.py)."""
import errno
import io
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner

from drafter import files
from drafter.cli import cli
from drafter.errors import DrafterError
from drafter.output import PROPERTY, is_untouched, refuse_reason, stamp, write_output
from drafter.pipeline import make_draft, render

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "facts" / "2024.yaml"


@pytest.fixture(scope="module")
def speech_bytes():
    return render(make_draft("speech", SAMPLE, "report"), "docx")


def test_a_fresh_draft_is_recognised_and_opens(tmp_path, speech_bytes):
    path = tmp_path / "a.docx"
    write_output(path, speech_bytes)
    assert is_untouched(path) and refuse_reason(path) is None
    with zipfile.ZipFile(path) as z:
        assert PROPERTY.encode() in z.read("docProps/custom.xml")
        assert b"custom-properties" in z.read("[Content_Types].xml") and b"custom.xml" in z.read("_rels/.rels")
    assert docx.Document(str(path)).paragraphs[0].text.startswith("在全市")


def test_any_content_change_is_detected(tmp_path, speech_bytes):
    path = tmp_path / "a.docx"
    path.write_bytes(stamp(speech_bytes))
    with zipfile.ZipFile(path) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    parts["word/styles.xml"] = parts["word/styles.xml"].replace(b"\xe4\xbb\xbf\xe5\xae\x8b_GB2312", "宋体".encode())
    with zipfile.ZipFile(path, "w") as z:
        for name, data in parts.items():
            z.writestr(name, data)
    assert not is_untouched(path)
    assert "被修改过" in refuse_reason(path)


@pytest.mark.parametrize("content", [b"not a zip", b""])
def test_foreign_files_are_not_overwritten(tmp_path, content):
    path = tmp_path / "a.docx"
    path.write_bytes(content)
    with pytest.raises(DrafterError, match="--force"):
        write_output(path, b"new")
    assert path.read_bytes() == content


def test_force_overwrites(tmp_path, speech_bytes):
    path = tmp_path / "a.docx"
    path.write_bytes(b"someone's work")
    write_output(path, speech_bytes, force=True)
    assert is_untouched(path)


def test_previews_carry_a_fingerprint_and_edited_ones_are_kept(tmp_path):
    path = tmp_path / "a.md"
    write_output(path, "旧\n".encode("utf-8"), "md")
    assert path.read_text(encoding="utf-8").startswith("旧\n<!-- drafter-fingerprint: ")
    write_output(path, "新\n".encode("utf-8"), "md")  # an untouched preview is simply replaced
    assert path.read_text(encoding="utf-8").startswith("新\n")
    path.write_text(path.read_text(encoding="utf-8").replace("新", "我改的"), encoding="utf-8")
    with pytest.raises(DrafterError, match="被修改过"):
        write_output(path, "再新\n".encode("utf-8"), "md")
    notes = tmp_path / "notes.txt"
    notes.write_text("我自己的笔记\n", encoding="utf-8")
    with pytest.raises(DrafterError, match="--force"):
        write_output(notes, "预览\n".encode("utf-8"), "txt")
    assert notes.read_text(encoding="utf-8") == "我自己的笔记\n"


@pytest.mark.parametrize("unnamed", [True, False], ids=["unnamed", "named"])
def test_new_files_follow_the_umask_and_replaced_ones_keep_their_mode(tmp_path, speech_bytes, monkeypatch, unnamed):
    monkeypatch.setattr(files, "UNNAMED", unnamed and files.UNNAMED)  # both ways a new file reaches the disk
    old = os.umask(0o022)
    try:
        path = tmp_path / "a.docx"
        write_output(path, speech_bytes)
        assert path.stat().st_mode & 0o777 == 0o644
        path.chmod(0o640)
        write_output(path, speech_bytes)
        assert path.stat().st_mode & 0o777 == 0o640
    finally:
        os.umask(old)


def test_output_path_that_is_a_folder(tmp_path):
    with pytest.raises(DrafterError, match="是一个文件夹"):
        write_output(tmp_path, b"x")


def listing(folder):
    return sorted(p.name for p in folder.iterdir())


# Names too long for the file system ---------------------------------------------------------------

@pytest.fixture
def run(tmp_path, monkeypatch):
    """The command as staff run it, in an empty folder, stdout and stderr apart; a traceback fails
    the test."""
    monkeypatch.chdir(tmp_path)
    try:
        runner = CliRunner(mix_stderr=False)  # click before 8.2 (Python 3.9) mixes them unless told
    except TypeError:
        runner = CliRunner()  # click 8.2 and later keep them apart and have no such argument
    return lambda *args: runner.invoke(cli, [str(a) for a in args], catch_exceptions=False)


@pytest.mark.parametrize("output", ["长" * 90, "长" * 84 + ".docx", "长" * 90 + "/", "稿件/" + "长" * 90 + ".txt"])
def test_row_3_17_an_output_name_too_long_is_a_message(run, tmp_path, output):
    result = run("speech", SAMPLE, "-o", output)
    assert result.exit_code == 1 and "文件名太长" in result.stderr and "255 字节" in result.stderr
    assert listing(tmp_path) == []


def test_row_3_17_a_default_name_too_long_is_the_same_message(run, tmp_path):
    sheet = tmp_path / ("长" * 80 + ".yaml")
    sheet.write_bytes(SAMPLE.read_bytes())
    result = run("speech", sheet)
    assert result.exit_code == 1 and "文件名太长" in result.stderr and "-o" in result.stderr
    assert listing(tmp_path) == [sheet.name]


def test_row_3_17_other_errors_asking_about_the_output_path_are_messages(run, tmp_path, monkeypatch, speech_bytes):
    def broken(self):
        raise OSError(errno.EIO, "Input/output error")
    monkeypatch.setattr(Path, "is_dir", broken)
    result = run("speech", SAMPLE, "-o", "发言.docx")
    assert result.exit_code == 1 and "Input/output error" in result.stderr
    with pytest.raises(DrafterError, match="无法访问"):
        write_output(tmp_path / "a.docx", speech_bytes)


# -o - ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("fmt", [None, "txt", "md"])
def test_dash_writes_the_text_to_stdout_and_says_so_on_stderr(run, tmp_path, fmt):
    result = run("speech", SAMPLE, "-o", "-", *(["--format", fmt] if fmt else []))
    assert result.exit_code == 0, result.output
    assert result.stdout_bytes == render(make_draft("speech", SAMPLE, "report"), fmt or "txt")
    assert "drafter-fingerprint" not in result.stdout and "已写到标准输出" in result.stderr
    assert listing(tmp_path) == []


def test_dash_writes_a_checkable_docx_into_a_pipe(run, tmp_path, speech_bytes):
    result = run("speech", SAMPLE, "-o", "-", "--format", "docx")
    assert result.exit_code == 0 and "已写到标准输出" in result.stderr
    saved = tmp_path / "piped.docx"
    saved.write_bytes(result.stdout_bytes)
    assert is_untouched(saved)
    with zipfile.ZipFile(saved) as package, zipfile.ZipFile(io.BytesIO(speech_bytes)) as expected:
        assert package.read("word/document.xml") == expected.read("word/document.xml")


def test_dash_takes_one_sheet_only(run, tmp_path):
    result = run("speech", SAMPLE, SAMPLE, "-o", "-")
    assert result.exit_code == 2 and "只能写一张事实表" in result.stderr and result.stdout == ""


@pytest.mark.skipif(not hasattr(os, "openpty"), reason="needs a pseudo-terminal")
def test_dash_refuses_to_print_a_docx_on_a_terminal(tmp_path):
    leader, follower = os.openpty()
    try:
        result = subprocess.run([sys.executable, "-m", "drafter", "speech", str(SAMPLE), "--format", "docx", "-o", "-"],
                                stdout=follower, stderr=subprocess.PIPE, cwd=tmp_path, timeout=60)
    finally:
        os.close(follower)
        os.close(leader)
    assert result.returncode == 2 and "终端" in result.stderr.decode("utf-8")
    assert listing(tmp_path) == []


def test_dash_in_a_real_process():
    result = subprocess.run([sys.executable, "-m", "drafter", "speech", "facts/2024.yaml", "-o", "-"],
                            capture_output=True, cwd=ROOT, timeout=120)
    assert result.returncode == 0, result.stderr.decode("utf-8")
    assert result.stdout == render(make_draft("speech", SAMPLE, "report"), "txt")
    assert "已写到标准输出" in result.stderr.decode("utf-8")
    assert not [name for name in ("-", "-.txt", "-.md", "-.docx") if (ROOT / name).exists()]
