"""No lost staff work (reference/audit-reliability.md, rows named in each test): lock files of Word,
WPS and LibreOffice; a fingerprint over the whole package; saves landing while drafter writes; what a
killed drafter leaves behind."""
import errno
import hashlib
import os
import re
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from drafter import files
from drafter.errors import DrafterError
from drafter.output import CUSTOM_PART, is_untouched, stamp, write_output
from drafter.pipeline import make_draft, render

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "facts" / "2024.yaml"
NAME = "2024-汇报发言.docx"
STAFF = "张三改过的稿子".encode("utf-8")
REAL = {name: getattr(os, name) for name in ("replace", "fsync", "rename", "link")}


@pytest.fixture(scope="module")
def speech():
    return render(make_draft("speech", SAMPLE, "report"), "docx")


@pytest.fixture(params=["unnamed", "named"])
def new_files(request, monkeypatch):
    """Both ways the new file reaches the disk: unnamed (Linux O_TMPFILE), or under a scratch name."""
    if request.param == "unnamed" and not files.UNNAMED:
        pytest.skip("no O_TMPFILE here")
    monkeypatch.setattr(files, "UNNAMED", request.param == "unnamed")


@pytest.fixture
def draft(tmp_path, speech):
    path = tmp_path / NAME
    write_output(path, speech)
    return path


def listing(folder):
    return sorted(p.name for p in folder.iterdir())


def scratch(folder):
    return [name for name in listing(folder) if name.startswith((".drafter-", ".~drafter-"))]


def staff_save(path, data=STAFF):
    """Word's way of saving: a temporary file beside the document, renamed over it."""
    temporary = path.with_name("~WRL0001.tmp")
    temporary.write_bytes(data)
    REAL["replace"](temporary, path)


def edit_part(path, name, change):
    """Change one part of the package (or add it), as a program touching only that part would."""
    with zipfile.ZipFile(path) as package:
        parts = {info.filename: (info, package.read(info)) for info in package.infolist()}
    info, data = parts.get(name, (name, b""))
    parts[name] = (info, change(data))
    assert parts[name][1] != data
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as package:
        for info, data in parts.values():
            package.writestr(info, data)


# Lock files ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("lock, program", [
    ("~$2024-汇报发言.docx", "Word/WPS"),  # row 1.8; WPS for Windows names it as Word does
    ("~$24-汇报发言.docx", "Word/WPS"),  # row 1.10
    ("~$024-汇报发言.docx", "Word/WPS"),  # row 1.11: only the first character replaced
    (".~lock.2024-汇报发言.docx#", "LibreOffice"),  # row 1.12
    (".~2024-汇报发言.docx", "WPS"),  # WPS for Linux
])
def test_rows_1_8_to_1_12_a_draft_open_in_word_wps_or_libreoffice_is_not_overwritten(draft, speech, lock, program):
    before = draft.read_bytes()
    (draft.parent / lock).write_bytes(b"")
    with pytest.raises(DrafterError, match=f"正在被 {re.escape(program)} 打开（有锁文件 {re.escape(lock)}）"):
        write_output(draft, speech)
    assert draft.read_bytes() == before
    inode = draft.stat().st_ino
    write_output(draft, speech, force=True)  # row 1.9: --force still overrides a lock
    assert draft.stat().st_ino != inode and is_untouched(draft)


def test_row_1_13_a_lock_file_blocks_even_a_first_draft(tmp_path, speech):
    (tmp_path / f".~lock.{NAME}#").write_bytes(b"")
    with pytest.raises(DrafterError, match="LibreOffice"):
        write_output(tmp_path / NAME, speech)
    assert listing(tmp_path) == [f".~lock.{NAME}#"]


# The fingerprint covers the whole package ------------------------------------------------------------

def _swap_footers(rels):
    return rels.replace(b"footer1.xml", b"@").replace(b"footer2.xml", b"footer1.xml").replace(b"@", b"footer2.xml")


EDITS = {
    "row 1.15: keywords and category": ("docProps/core.xml", lambda xml: xml.replace(
        b"</cp:coreProperties>", "<cp:keywords>统战</cp:keywords><cp:category>汇报</cp:category></cp:coreProperties>"
        .encode("utf-8"))),
    "row 1.15: custom property 文号": (CUSTOM_PART, lambda xml: xml.replace(
        b"</Properties>", '<property fmtid="{D5CDD505-2E9C-101B-9397-08002B2CF9AE}" pid="3" name="文号">'
        "<vt:lpwstr>青统〔2024〕5号</vt:lpwstr></property></Properties>".encode("utf-8"))),
    "row 1.15: docProps/app.xml": ("docProps/app.xml", lambda xml: (
        '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
        "<Company>青禾区委统战部</Company></Properties>").encode("utf-8")),
    "row 1.16: footers swapped in the relationships": ("word/_rels/document.xml.rels", _swap_footers),
    "row 1.16: content types": ("[Content_Types].xml", lambda xml: xml.replace(
        b"</Types>", b'<Default Extension="png" ContentType="image/png"/></Types>')),
}


@pytest.mark.parametrize("edit", EDITS)
def test_rows_1_15_and_1_16_edits_of_properties_or_relationships_count_as_edits(draft, speech, edit):
    edit_part(draft, *EDITS[edit])
    edited = draft.read_bytes()
    assert not is_untouched(draft)
    with pytest.raises(DrafterError, match="被修改过.*--force"):
        write_output(draft, speech)
    assert draft.read_bytes() == edited


def _older_fingerprint(package):
    """How drafters before the whole-package fingerprint took it: body parts only."""
    digest = hashlib.sha256()
    for name in sorted(package.namelist()):
        if not (name.startswith("docProps/") or name.endswith(".rels") or name == "[Content_Types].xml"):
            digest.update(name.encode("utf-8") + b"\0" + hashlib.sha256(package.read(name)).digest())
    return digest.hexdigest().encode()


def test_rows_1_15_and_1_16_a_draft_of_an_older_drafter_is_refused_with_its_own_message(draft, speech):
    """Its bare digest left out properties and relationships, so it cannot vouch for them."""
    with zipfile.ZipFile(draft) as package:
        older = _older_fingerprint(package)
    edit_part(draft, CUSTOM_PART, lambda xml: re.sub(rb"package-sha256:[0-9a-f]{64}", older, xml))
    with pytest.raises(DrafterError, match="旧版 drafter.*文档属性.*--force.*-o"):
        write_output(draft, speech)
    write_output(draft, speech, force=True)
    assert is_untouched(draft)


def test_the_stamped_package_checks_itself_and_its_value_names_the_scheme(draft):
    with zipfile.ZipFile(draft) as package:
        assert re.search(rb"<vt:lpwstr>package-sha256:[0-9a-f]{64}</vt:lpwstr>", package.read(CUSTOM_PART))
    assert is_untouched(draft)


# A save landing while drafter writes --------------------------------------------------------------

STEPS = {  # where the save lands: just before or after the first call of a function the writer makes
    "while the new file is written": ("fsync", "before"),
    "just before the old file is moved aside": ("rename", "before"),
    "while the name is free": ("rename", "after"),
    "just before the new file gets the name": ("link", "before"),
}


def land_a_save(monkeypatch, function, when, save):
    """Have ``save`` happen once, just before or just after the first call of os.<function>."""
    fired = []

    def wrapper(*args, **kwargs):
        if not fired and when == "before":
            fired.append(save())
        result = REAL[function](*args, **kwargs)
        if not fired and when == "after":
            fired.append(save())
        return result
    monkeypatch.setattr(os, function, wrapper)
    return fired


@pytest.mark.parametrize("force", [False, True], ids=["", "--force"])
@pytest.mark.parametrize("step", STEPS)
def test_row_1_21_a_save_landing_while_drafter_writes_survives(draft, speech, monkeypatch, new_files, step, force):
    """Rows 1.21 and 3.26; --force never overwrites a file saved during the write either."""
    fired = land_a_save(monkeypatch, *STEPS[step], lambda: staff_save(draft))
    with pytest.raises(DrafterError, match="在 drafter 写出期间被别的程序保存过，保存的内容仍在原处"):
        write_output(draft, speech, force=force)
    monkeypatch.undo()
    assert fired and draft.read_bytes() == STAFF
    assert listing(draft.parent) == [NAME]


def test_row_1_21_a_save_landing_while_the_name_is_free_on_a_file_system_without_hard_links(draft, speech, monkeypatch,
                                                                                            new_files):
    """FAT sticks, some shares: os.link fails, so drafter renames, and only into a name it saw free."""
    def no_hard_links(*args, **kwargs):
        raise OSError(errno.EPERM, "Operation not permitted")
    monkeypatch.setattr(os, "link", no_hard_links)
    write_output(draft, speech)
    assert is_untouched(draft) and listing(draft.parent) == [NAME]
    fired = land_a_save(monkeypatch, "rename", "after", lambda: staff_save(draft))
    with pytest.raises(DrafterError, match="保存过"):
        write_output(draft, speech)
    assert fired and draft.read_bytes() == STAFF and listing(draft.parent) == [NAME]


def test_row_1_21_a_second_save_taking_the_name_again_is_kept_too(draft, speech, monkeypatch):
    """A save lands while the name is free; drafter moves it aside to check it, and another save takes
    the name meanwhile: the newer stays at the name, the first under a visible one."""
    saves = ["张三的版本".encode("utf-8"), "李四的版本".encode("utf-8")]

    def rename(source, target):  # each move aside leaves the name free for the next save
        REAL["rename"](source, target)
        if saves:
            staff_save(draft, saves.pop(0))
    monkeypatch.setattr(os, "rename", rename)
    with pytest.raises(DrafterError, match="已另存为 2024-汇报发言（drafter 保留的副本）.docx（原名又被占用）"):
        write_output(draft, speech)
    monkeypatch.undo()
    assert not saves and draft.read_bytes() == "李四的版本".encode("utf-8")
    assert (draft.parent / "2024-汇报发言（drafter 保留的副本）.docx").read_bytes() == "张三的版本".encode("utf-8")
    assert scratch(draft.parent) == []


def test_row_1_21_a_write_into_the_old_file_while_it_is_replaced_is_kept(draft, speech, monkeypatch, new_files):
    """A program that holds the old file open writes into it after drafter moved it aside: the draft
    is written, and that write is kept beside it under a visible name."""
    handle = open(draft, "r+b")

    def write_in_place():
        handle.seek(0)
        handle.write(STAFF)
        handle.truncate()
        handle.close()
    fired = land_a_save(monkeypatch, "link", "after", write_in_place)
    with pytest.raises(DrafterError, match="已写出 .*另存为 2024-汇报发言（drafter 保留的副本）.docx"):
        write_output(draft, speech)
    monkeypatch.undo()
    assert fired and is_untouched(draft)
    assert (draft.parent / "2024-汇报发言（drafter 保留的副本）.docx").read_bytes() == STAFF
    assert scratch(draft.parent) == []


WRITER = """
import sys, time
from pathlib import Path
from drafter import files
from drafter.output import write_output
target, source, start, unnamed = sys.argv[1:]
files.UNNAMED = unnamed == "1"
data = Path(source).read_bytes()
time.sleep(max(0.0, float(start) - time.time()))
for _ in range(8):
    write_output(Path(target), data)
"""


@pytest.mark.parametrize("unnamed", [True, False], ids=["unnamed", "named"])
def test_rows_3_19_to_3_22_drafters_writing_one_name_at_once_all_succeed(tmp_path, speech, unnamed):
    """Six processes, two different drafts, eight writes each over an existing draft: every write
    succeeds and the file is always one whole, checkable draft."""
    if unnamed and not files.UNNAMED:
        pytest.skip("no O_TMPFILE here")
    sources = tmp_path / "sources"
    sources.mkdir()
    drafts = {"a.docx": speech, "b.docx": render(make_draft("report", SAMPLE, "summary"), "docx")}
    for name, data in drafts.items():
        (sources / name).write_bytes(data)
    out = tmp_path / "out"
    out.mkdir()
    target = out / NAME
    write_output(target, speech)
    start = time.time() + 2
    writers = [subprocess.Popen([sys.executable, "-c", WRITER, str(target), str(sources / name), str(start),
                                 "1" if unnamed else "0"], stderr=subprocess.PIPE, cwd=ROOT)
               for name in list(drafts) * 3]
    for writer in writers:
        assert writer.wait(timeout=120) == 0, writer.stderr.read().decode()
        writer.stderr.close()
    assert is_untouched(target) and listing(out) == [NAME]
    with zipfile.ZipFile(target) as package:
        assert package.testzip() is None
        body = package.read("word/document.xml")
    assert body in [zipfile.ZipFile(sources / name).read("word/document.xml") for name in drafts]


# What a killed drafter leaves behind --------------------------------------------------------------

def finished_process_id():
    return int(subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True,
                              text=True, check=True).stdout)


@pytest.mark.skipif(os.name != "posix", reason="process ids are asked only on POSIX")
def test_row_3_23_leftovers_of_dead_drafters_are_tidied_and_those_of_live_ones_kept(tmp_path, speech):
    dead, alive = finished_process_id(), os.getpid()
    write_output(tmp_path / "旧稿.docx", speech)
    write_output(tmp_path / "改稿.docx", speech)
    leftovers = {
        files.scratch_name("new", ".docx", dead): b"half a draft",  # goes
        files.scratch_name("old", "-笔记.docx", dead): STAFF,  # its name is free: back there
        files.scratch_name("old", "-旧稿.docx", dead): stamp(speech),  # name taken, a draft: goes
        files.scratch_name("old", "-改稿.docx", dead): STAFF,  # name taken, someone's work: kept visibly
        files.scratch_name("old", ".docx", dead): STAFF,  # its name was too long to keep: kept visibly
    }
    live = {files.scratch_name("new", ".docx", alive): b"being written",
            files.scratch_name("old", "-别人.docx", alive): STAFF}
    for name, data in {**leftovers, **live}.items():
        (tmp_path / name).write_bytes(data)
    write_output(tmp_path / NAME, speech)
    assert (tmp_path / "笔记.docx").read_bytes() == STAFF
    assert (tmp_path / "改稿（drafter 保留的副本）.docx").read_bytes() == STAFF
    assert (tmp_path / "（drafter 保留的副本）.docx").read_bytes() == STAFF
    assert is_untouched(tmp_path / "旧稿.docx") and is_untouched(tmp_path / "改稿.docx")
    assert scratch(tmp_path) == sorted(live)
    assert len(listing(tmp_path)) == 6 + len(live)


def test_row_3_23_leftovers_of_older_drafters_and_other_computers_go_after_an_hour(tmp_path, monkeypatch):
    """No process to ask: mkstemp names of drafters before this one, a shared folder's other computers,
    and Windows, where os.kill(pid, 0) would end the process it asks about."""
    other = "000000" if files._HOST != "000000" else "ffffff"
    now, earlier = int(time.time()), int(time.time()) - 7200
    stale = [".~drafter-abc_1234.docx", f".drafter-new-{other}-{os.getpid()}-{earlier:08x}abcdef.docx"]
    fresh = [".~drafter-zzz_9999.docx", f".drafter-new-{other}-{os.getpid()}-{now:08x}abcdef.docx",
             files.scratch_name("new", ".docx", finished_process_id())]
    for name in stale + fresh:
        (tmp_path / name).write_bytes(b"")
    os.utime(tmp_path / stale[0], (earlier, earlier))

    def no_kill(*args):
        raise AssertionError("os.kill on Windows")
    monkeypatch.setattr(os, "name", "nt")
    monkeypatch.setattr(os, "kill", no_kill)
    files.tidy(tmp_path, lambda path: False)
    monkeypatch.undo()
    assert scratch(tmp_path) == sorted(fresh)


KILLED = """
import os, sys, time
from pathlib import Path
from drafter import files
from drafter.output import write_output
files.UNNAMED = False  # so that a scratch file is left behind too


def stall(*args, **kwargs):  # the old file is aside, the new one not yet in place
    print("aside", flush=True)
    time.sleep(60)
os.link = stall
write_output(Path(sys.argv[1]), Path(sys.argv[2]).read_bytes(), force=True)
"""


@pytest.mark.skipif(os.name != "posix", reason="kill -9")
def test_row_3_23_a_drafter_killed_mid_write_leaves_the_old_file_whole_and_nothing_behind(tmp_path, speech):
    """kill -9 while drafter --force replaces staff's file: the next run puts the file back, then
    refuses it as edited; no scratch file stays."""
    folder, source = tmp_path / "out", tmp_path / "new.docx"
    folder.mkdir()
    source.write_bytes(speech)
    path = folder / NAME
    path.write_bytes(STAFF)
    process = subprocess.Popen([sys.executable, "-c", KILLED, str(path), str(source)], stdout=subprocess.PIPE,
                               cwd=ROOT)
    assert process.stdout.readline() == b"aside\n"
    process.send_signal(signal.SIGKILL)
    process.wait()
    process.stdout.close()
    assert not path.exists() and len(scratch(folder)) == 2
    with pytest.raises(DrafterError, match="被修改过"):
        write_output(path, speech)
    assert path.read_bytes() == STAFF and listing(folder) == [NAME]


@pytest.mark.parametrize("failure", [OSError(errno.ENOSPC, "No space left on device"), KeyboardInterrupt()])
def test_row_3_24_a_crash_mid_write_leaves_the_old_file_whole(draft, speech, monkeypatch, new_files, failure):
    before = draft.read_bytes()

    def crash(fd):
        raise failure
    monkeypatch.setattr(os, "fsync", crash)
    with pytest.raises((DrafterError, KeyboardInterrupt)):
        write_output(draft, speech, force=True)
    assert draft.read_bytes() == before and listing(draft.parent) == [NAME]
