"""drafter's cache across processes: it makes drafts faster and must never make them different.

Every run here is a new process, as a staff member's runs are: in-process caches play no part.
"""
import os
import pickle
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from drafter.templates import builtin_templates

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "facts" / "2024.yaml"
KINDS = ("schema", "outline-check", "jinja", "layout", "docx-package", "entry-points")


def draft(tmp_path, cache, *args, name="out.docx", no_cache=False):
    env = {k: v for k, v in os.environ.items() if k not in ("DRAFTER_CACHE_DIR", "DRAFTER_NO_CACHE")}
    env["DRAFTER_CACHE_DIR"] = str(cache)
    if no_cache:
        env["DRAFTER_NO_CACHE"] = "1"
    out = tmp_path / name
    result = subprocess.run([sys.executable, "-m", "drafter", "speech", str(SAMPLE), "-o", str(out), "--force",
                             *map(str, args)], capture_output=True, text=True, cwd=tmp_path, env=env)
    return result, out


def content(path):
    """Every part of the package but docProps/core.xml, which carries the time it was written, and
    the fingerprint in docProps/custom.xml, which covers that time too."""
    with zipfile.ZipFile(path) as package:
        return {name: package.read(name) for name in package.namelist()
                if name not in ("docProps/core.xml", "docProps/custom.xml")}


def entries(cache):
    """Each entry with its inode and time stamp: an entry rewritten since shows a change."""
    return {kind: sorted((p.name, p.stat().st_ino, p.stat().st_mtime_ns) for p in cache.glob(f"*/{kind}/*"))
            for kind in KINDS}


def test_a_cached_draft_is_the_same_draft(tmp_path):
    cache = tmp_path / "cache"
    plain, plain_out = draft(tmp_path, cache, name="plain.docx", no_cache=True)
    assert plain.returncode == 0, plain.stderr
    assert not cache.exists()  # DRAFTER_NO_CACHE writes nothing
    filling, _ = draft(tmp_path, cache, name="filling.docx")
    filled = entries(cache)
    assert all(filled[kind] for kind in KINDS), filled
    cached, cached_out = draft(tmp_path, cache, name="cached.docx")
    assert cached.returncode == 0 and cached.stdout == plain.stdout.replace("plain", "cached")
    assert entries(cache) == filled  # read, not rebuilt (an entry is replaced whole when written)
    assert content(cached_out) == content(plain_out)


def test_edited_templates_are_never_served_from_the_cache(tmp_path):
    cache, templates = tmp_path / "cache", tmp_path / "templates"
    shutil.copytree(builtin_templates() / "speech", templates / "speech")
    first, _ = draft(tmp_path, cache, "--templates", templates)
    assert first.returncode == 0, first.stderr

    outline = templates / "speech" / "report" / "outline.md.j2"
    stat = outline.stat()
    outline.write_text(outline.read_text(encoding="utf-8").replace("上的汇报发言", "上的汇报材料"), encoding="utf-8")
    os.utime(outline, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # even with the old time stamp
    changed, out = draft(tmp_path, cache, "--templates", templates)
    assert changed.returncode == 0, changed.stderr
    text = zipfile.ZipFile(out).read("word/document.xml").decode("utf-8")
    assert "上的汇报材料" in text and "上的汇报发言" not in text

    schema = templates / "speech" / "report" / "schema.yaml"
    schema.write_text("secretary_note:\n  label: 秘书备注\n  required: true\n", encoding="utf-8")
    required, _ = draft(tmp_path, cache, "--templates", templates)
    assert required.returncode == 1 and "秘书备注" in required.stderr

    schema.write_text(schema.read_text(encoding="utf-8").replace("  required: true\n", ""), encoding="utf-8")
    fragment = outline.with_name("part.j2")
    fragment.write_text("", encoding="utf-8")
    outline.write_text(outline.read_text(encoding="utf-8") + '{% include "part.j2" %}', encoding="utf-8")
    assert draft(tmp_path, cache, "--templates", templates)[0].returncode == 0
    fragment.write_text("{{ undeclared_name }}", encoding="utf-8")  # only the included file changes
    checked, _ = draft(tmp_path, cache, "--templates", templates)
    assert checked.returncode == 1 and "undeclared_name" in checked.stderr and fragment.name in checked.stderr


def test_an_edited_layout_is_never_served_from_the_cache(tmp_path):
    cache, templates = tmp_path / "cache", tmp_path / "templates"
    shutil.copytree(builtin_templates() / "layouts", templates / "layouts")
    assert draft(tmp_path, cache, "--templates", templates)[0].returncode == 0
    profile = templates / "layouts" / "gbt9704.yaml"
    stat = profile.stat()
    profile.write_text(profile.read_text(encoding="utf-8").replace("margin_top: 2098", "margin_top: 2099"),
                       encoding="utf-8")
    os.utime(profile, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    result, out = draft(tmp_path, cache, "--templates", templates)
    assert result.returncode == 0, result.stderr
    assert 'w:top="2099"' in zipfile.ZipFile(out).read("word/document.xml").decode("utf-8")


@pytest.mark.parametrize("damage", ["garbage", "empty", "tuple", "list", "bytes", "unwritable"])
def test_a_damaged_or_unusable_cache_is_passed_over(tmp_path, damage):
    cache = tmp_path / "cache"
    expected, expected_out = draft(tmp_path, cache, name="expected.docx", no_cache=True)
    if damage == "unwritable":
        cache.write_text("a file where the cache folder should be")
    else:
        draft(tmp_path, cache, name="filling.docx")
        damaged = {"garbage": b"\x80\x04not a pickle", "empty": b"", "tuple": pickle.dumps((1, 2, 3)),
                   "list": pickle.dumps(["xy"]), "bytes": pickle.dumps(b"PK\x03\x04 not a package")}
        for entry in cache.glob("*/*/*"):
            entry.write_bytes(damaged[damage])
    result, out = draft(tmp_path, cache)
    assert result.returncode == 0 and not result.stderr.strip(), result.stderr
    assert content(out) == content(expected_out)


def test_the_next_process_reads_what_the_cache_holds(tmp_path):
    """Proof the entries are used at all: a planted outline-check result is what the next run reports."""
    from drafter.errors import Problem

    cache = tmp_path / "cache"
    draft(tmp_path, cache)
    (entry,) = cache.glob("*/outline-check/*")
    stamps, _, reads = pickle.loads(entry.read_bytes())
    entry.write_bytes(pickle.dumps((stamps, [Problem("缓存里的检查结果")], reads)))
    result, _ = draft(tmp_path, cache)
    assert result.returncode == 1 and "缓存里的检查结果" in result.stderr


def test_only_drafters_own_folders_left_for_a_month_are_removed(tmp_path):
    """DRAFTER_CACHE_DIR may name any folder: nothing drafter did not make there is ever touched."""
    cache = tmp_path / "cache"
    stale, recent, lookalike, project = (cache / "0123456789abcdef", cache / "fedcba9876543210",
                                         cache / "00112233445566aa", cache / "old-project")
    for folder in (stale, recent, lookalike, project):
        (folder / "schema").mkdir(parents=True)
        (folder / "schema" / "entry").write_bytes(b"old")
    for folder in (stale, recent):
        (folder / "drafter-cache").write_text("drafter", encoding="utf-8")
    for path in (stale / "drafter-cache", lookalike, project):
        os.utime(path, (1, 1))
    result, _ = draft(tmp_path, cache)
    assert result.returncode == 0, result.stderr
    assert not stale.exists()
    assert all((folder / "schema" / "entry").exists() for folder in (recent, lookalike, project))


def test_an_included_fragment_added_later_in_a_subfolder_is_checked(tmp_path):
    cache, templates = tmp_path / "cache", tmp_path / "templates"
    shutil.copytree(builtin_templates() / "speech", templates / "speech")
    outline = templates / "speech" / "report" / "outline.md.j2"
    (outline.parent / "parts").mkdir()
    outline.write_text(outline.read_text(encoding="utf-8") + '{% include "parts/extra.j2" ignore missing %}',
                       encoding="utf-8")
    assert draft(tmp_path, cache, "--templates", templates)[0].returncode == 0
    (outline.parent / "parts" / "extra.j2").write_text("全年共办理了99件事。", encoding="utf-8")
    result, _ = draft(tmp_path, cache, "--templates", templates)
    assert result.returncode == 1 and "“99”" in result.stderr, result.stderr


@pytest.mark.parametrize("trouble", ["no home folder", "no permission"])
def test_an_unusable_cache_place_means_no_cache(monkeypatch, trouble):
    from drafter import cache

    def refuse(*args, **kwargs):
        raise RuntimeError("Could not determine home directory.") if trouble == "no home folder" \
            else PermissionError(13, "Permission denied")

    for name in ("DRAFTER_CACHE_DIR", "XDG_CACHE_HOME", "LOCALAPPDATA", "HOME"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr(Path, "home", refuse)
    if trouble == "no permission":
        monkeypatch.setenv("DRAFTER_CACHE_DIR", "/somewhere")
        monkeypatch.setattr(Path, "exists", refuse)
    cache._namespace.cache_clear()
    try:
        assert cache.folder("schema") is None and cache.load("schema", "key") is None
        cache.store("schema", "key", "value")  # quietly nothing
    finally:
        cache._namespace.cache_clear()


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_a_cache_folder_others_may_write_to_is_not_used(tmp_path):
    cache = tmp_path / "cache"
    draft(tmp_path, cache)
    (namespace,) = cache.iterdir()
    (planted,) = namespace.glob("outline-check/*")
    planted.write_bytes(b"")  # what another user could have put there
    namespace.chmod(0o777)
    result, _ = draft(tmp_path, cache)
    assert result.returncode == 0 and planted.read_bytes() == b""  # neither read nor rewritten
