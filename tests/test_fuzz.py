"""Mutated fact sheets: drafter writes a .docx python-docx can reopen, or exits 1 with a message — never a traceback."""
import copy
import io
from pathlib import Path

import docx
import yaml
from click.testing import CliRunner
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from drafter.cli import cli

SAMPLE = Path(__file__).resolve().parent.parent / "facts" / "2024.yaml"
BASE = yaml.safe_load(SAMPLE.read_text(encoding="utf-8"))


def paths(value, prefix=()):
    yield prefix
    if isinstance(value, dict):
        for key, child in value.items():
            yield from paths(child, prefix + (key,))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            yield from paths(child, prefix + (index,))


ALL_PATHS = [p for p in paths(BASE) if p]
TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=30)
VALUES = st.one_of(
    TEXT,
    st.sampled_from(["1. 建立台账", "# 重点", "[地点]{.待补}", "{{ 7*7 }}", "{% raw %}", "2024-13-40", "2024-02-29",
                     "~", "", "是", "yes", "0x1F", "4.50", "\\", "\u3000", "\x85", "a\r\nb"]),
    st.integers(), st.floats(allow_nan=True), st.booleans(), st.none(), st.dates(),
    st.lists(TEXT, max_size=3), st.dictionaries(TEXT, TEXT, max_size=2),
    st.builds(lambda n: "长" * n, st.integers(min_value=1000, max_value=200_000)),
)


def mutate(data, draw):
    sheet = copy.deepcopy(data)
    for _ in range(draw(st.integers(min_value=1, max_value=4))):
        path = draw(st.sampled_from(ALL_PATHS))
        parent = sheet
        try:
            for step in path[:-1]:
                parent = parent[step]
            last = path[-1]
            action = draw(st.sampled_from(["replace", "delete", "rename", "duplicate"]))
            if action == "replace":
                parent[last] = draw(VALUES)
            elif action == "delete":
                del parent[last]
            elif action == "rename" and isinstance(parent, dict):
                parent[draw(TEXT)] = parent.pop(last)
            elif action == "duplicate" and isinstance(parent, list):
                parent.append(copy.deepcopy(parent[last]))
        except (KeyError, IndexError, TypeError):
            continue  # an earlier mutation removed or reshaped this path
    return sheet


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(st.data())
def test_mutated_sheets_never_crash(tmp_path_factory, data):
    folder = tmp_path_factory.mktemp("fuzz")
    sheet = mutate(BASE, data.draw)
    path = folder / "2024.yaml"
    path.write_text(yaml.safe_dump(sheet, allow_unicode=True, sort_keys=False), encoding="utf-8")
    out = folder / "out.docx"
    result = CliRunner().invoke(cli, ["speech", str(path), "-o", str(out)])
    event(f"exit {result.exit_code}")
    if result.exit_code == 0:
        reopened = docx.Document(io.BytesIO(out.read_bytes()))
        assert reopened.paragraphs, "an empty document"
    else:
        assert result.exit_code == 1, (result.exit_code, result.output, result.exception)
        assert isinstance(result.exception, SystemExit), repr(result.exception)
        assert str(path) in result.output or "事实表" in result.output, result.output
        assert not out.exists()


OTHER_KINDS = [["report"], ["report", "--style", "experience"], ["news", "--event", "meeting"],
               ["news", "--event", "training"], ["news", "--style", "feature"], ["speech", "--style", "leader"],
               ["speech", "--style", "host", "--event", "2024-01"]]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(st.data(), st.sampled_from(OTHER_KINDS))
def test_mutated_sheets_never_crash_any_kind(tmp_path_factory, data, kind):
    folder = tmp_path_factory.mktemp("fuzz")
    path = folder / "2024.yaml"
    path.write_text(yaml.safe_dump(mutate(BASE, data.draw), allow_unicode=True, sort_keys=False), encoding="utf-8")
    out = folder / "out.docx"
    result = CliRunner().invoke(cli, kind[:1] + [str(path)] + kind[1:] + ["-o", str(out)])
    if result.exit_code == 0:
        assert docx.Document(io.BytesIO(out.read_bytes())).paragraphs
    else:
        assert result.exit_code == 1 and isinstance(result.exception, SystemExit), (kind, result.output)
        assert not out.exists()
