"""Output safety: fingerprints, refusing to overwrite edited drafts, atomic writes."""
import os
import zipfile
from pathlib import Path

import docx
import pytest

from drafter.errors import DrafterError
from drafter.output import PROPERTY, is_untouched_draft, refuse_reason, stamp, write_output
from drafter.pipeline import make_draft, render

SAMPLE = Path(__file__).resolve().parent.parent / "facts" / "2024.yaml"


@pytest.fixture(scope="module")
def speech_bytes():
    return render(make_draft("speech", SAMPLE, "report"), "docx")


def test_a_fresh_draft_is_recognised_and_opens(tmp_path, speech_bytes):
    path = tmp_path / "a.docx"
    write_output(path, speech_bytes)
    assert is_untouched_draft(path) and refuse_reason(path) is None
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
    assert not is_untouched_draft(path)
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
    assert is_untouched_draft(path)


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


def test_new_files_follow_the_umask_and_replaced_ones_keep_their_mode(tmp_path, speech_bytes):
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


@pytest.mark.parametrize("failure", [OSError(28, "No space left on device"), KeyboardInterrupt()])
def test_a_crash_mid_write_leaves_the_old_file_whole(tmp_path, monkeypatch, speech_bytes, failure):
    path = tmp_path / "a.docx"
    write_output(path, speech_bytes)
    before = path.read_bytes()

    def crash(fd):
        raise failure
    monkeypatch.setattr(os, "fsync", crash)
    with pytest.raises((DrafterError, KeyboardInterrupt)):
        write_output(path, speech_bytes, force=True)
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.docx"]


def test_output_path_that_is_a_folder(tmp_path):
    with pytest.raises(DrafterError, match="是一个文件夹"):
        write_output(tmp_path, b"x")
