"""drafter's benchmark: where a draft's time goes, measured against the brief's targets (issue 7, 11).

    pip install '.[bench]' && python bench/run.py [--runs 5] [--quick]

Prints one table. Whole-process rows call this environment's `drafter` script directly (a pyenv
shim in front would add ~0.1 s of its own); the machine is noisy, so read the ratios taken in the
same run rather than absolute times.
"""
from __future__ import annotations

import argparse
import io
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Callable, Dict, List, Optional

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "facts" / "2024.yaml"
SIZES = (50, 500, 5_000, 20_000)

# Run in a child process per size, so each peak RSS is that size's own.
LONG_REPORT = """
import json, resource, sys, time
from drafter.document import Document, Heading, Paragraph, Text
from drafter.layout import load_layout
from drafter.templates import builtin_templates
from drafter.writers.docx import render_docx
size = int(sys.argv[1])
layout = load_layout("gbt9704", [builtin_templates() / "layouts"])
sentence = "坚持党对统战工作的全面领导，建立各级示范点29个，投入资金15万余元，认定党外代表人士865名。" * 3
blocks = []
for i in range(size):
    blocks.append(Heading(level=1 + i % 3, inlines=[Text("第%d部分" % i)]) if i % 10 == 0
                  else Paragraph([Text(sentence)]))
start = time.perf_counter()
data = render_docx(Document(blocks), layout)
seconds = time.perf_counter() - start
print(json.dumps({"seconds": seconds, "rss_kib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
                  "bytes": len(data)}))
"""


# The brief's yardstick for `drafter --help`: a click group with one command, nothing else imported.
BARE_CLICK_APP = """
import click
@click.group()
def app():
    "A bare click app."
@app.command()
def draft():
    "One command."
app()
"""


# Python's default: compiled modules are cached in __pycache__. An environment that sets
# PYTHONDONTWRITEBYTECODE (some sandboxes do) would make every run recompile drafter's own source
# while the libraries, compiled by pip at install time, load from bytecode.
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def process(command: List[str], env: dict, cwd: Path) -> Callable[[], object]:
    """One whole-process run of a command, as a call to time."""
    return lambda: subprocess.run(command, cwd=cwd, env=env, check=True, stdout=subprocess.DEVNULL,
                                  stderr=subprocess.DEVNULL)


def warm_variants() -> Dict[str, Callable[[], object]]:
    """One warm draft of each kind, as calls to time in one process (imports and caches done, as a
    batch run has them): the whole pipeline from the sheet's file, two of its stages alone, and the
    document part alone (outline render → Document → .docx from facts already validated)."""
    from drafter.facts import load_sheet
    from drafter.form_scheme import scheme_for
    from drafter.pipeline import make_draft, normalise_sheet, render
    from drafter.render import render_outline
    from drafter.validate import load_schema, validate
    from drafter.writers.docx import render_docx

    draft = make_draft("speech", SAMPLE, "report")
    schema = load_schema(draft.pack.schema_files)
    facts = validate(draft.sheet, schema)
    scheme = scheme_for(draft.pack, draft.sheet)  # the style's form, as make_draft lays the outline out
    variants = {
        "whole": lambda: render(make_draft("speech", SAMPLE, "report"), "docx"),
        "load the YAML + punctuation": lambda: normalise_sheet(load_sheet(SAMPLE)),
        "validate with Cerberus": lambda: validate(draft.sheet, schema),
        "document": lambda: render_docx(_parsed(render_outline(draft.pack, facts), scheme), draft.layout),
    }
    docxtpl = docxtpl_speech(draft)
    if docxtpl is not None:
        variants["docxtpl"] = docxtpl
    for variant in variants.values():
        variant()
    return variants


def _parsed(rendered, scheme):
    """The Document of a rendered outline under the style's form, as the pipeline makes it."""
    from drafter.document import parse_outline

    return parse_outline(rendered.text, "outline", rendered.prints, scheme)


def time_rounds(variants: Dict[str, Callable[[], object]], rounds: int, calls: int) -> Dict[str, List[float]]:
    """Seconds per call of each variant, ``calls`` calls a round. The variants take turns, round
    after round: this machine drifts up to 2× within minutes, and a ratio taken within one round
    cancels it."""
    times: Dict[str, List[float]] = {name: [] for name in variants}
    for _ in range(rounds):
        for name, variant in variants.items():
            start = time.perf_counter()
            for _ in range(calls):
                variant()
            times[name].append((time.perf_counter() - start) / calls)
    return times


def docxtpl_speech(draft) -> Optional[Callable[[], object]]:
    """The same speech through docxtpl from an equivalent .docx template (same styles, same facts)."""
    try:
        import docxtpl
    except ImportError:
        return None
    import docx

    from drafter.facts import load_sheet
    from drafter.pipeline import render
    from drafter.validate import load_schema, validate

    template = docx.Document(io.BytesIO(render(draft, "docx")))
    body = template.element.body
    for paragraph in list(body.iterchildren(tag="{http://schemas.openxmlformats.org/wordprocessingml/2006/main}p")):
        body.remove(paragraph)
    lines = [
        ("GwTitle", "在{{ speech.meeting.full_name }}上的汇报发言"),
        ("GwByline", "{{ speech.speaker.unit }}{{ speech.speaker.title }} {{ speech.speaker.name }}"),
        ("GwDate", "（{{ date }}）"),
        ("GwSalutation", "{{ speech.salutation }}"),
        (None, "{{ speech.period }}，我区全面贯彻落实{{ guidance }}，围绕{{ speech.slogan }}，{{ slogan_items }}，"
               "{{ speech.overall_effect }}。根据会议安排，现将有关工作情况汇报如下："),
        (None, "{%p for area in areas %}"),
        (None, "{{ area.heading }}，{{ area.heading_tail }}。{{ area.summary }}，{{ area.effect }}。"
               "{% for point in area.points %}{{ point.lead }}。{{ point.text }}{% endfor %}"),
        (None, "{%p endfor %}"),
        ("GwClosing", "汇报完毕，谢谢大家！"),
    ]
    for style, text in lines:
        template.add_paragraph(text, style=template.styles.get_by_id(style, 1) if style else None)
    template_bytes = io.BytesIO()
    template.save(template_bytes)

    pack_schema = draft.pack.schema_files

    def speech() -> None:
        facts = validate(load_sheet(SAMPLE), load_schema(pack_schema))
        context = dict(facts, date=f"{facts['speech']['meeting']['date']:%Y年%-m月%-d日}",
                       guidance="、".join(facts["speech"]["guidance"]),
                       slogan_items="，".join(facts["speech"]["slogan_items"]))
        document = docxtpl.DocxTemplate(io.BytesIO(template_bytes.getvalue()))
        document.render(context)
        document.save(io.BytesIO())
    return speech


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15, help="process rounds per median (at least 5)")
    parser.add_argument("--quick", action="store_true", help="fewer drafts and no 20,000-paragraph report")
    args = parser.parse_args()
    runs = max(5, args.runs)
    script = Path(sys.executable).with_name("drafter")
    drafter = [str(script)] if script.exists() else [sys.executable, "-m", "drafter"]
    rows = []

    with tempfile.TemporaryDirectory() as work:
        work_dir = Path(work)
        shutil.copy(SAMPLE, work_dir / "2024.yaml")
        env = dict(ENV, DRAFTER_CACHE_DIR=str(work_dir / "cache"))  # filled by the warm-up run
        uncached = dict(env, DRAFTER_NO_CACHE="1")
        speech = drafter + ["speech", "2024.yaml"]  # replaces its own untouched draft, as a re-run does
        processes = {
            "pass": process([sys.executable, "-c", "pass"], env, work_dir),
            "bare": process([sys.executable, "-c", "import docx, jinja2, yaml, cerberus"], env, work_dir),
            "click": process([sys.executable, "-c", BARE_CLICK_APP, "--help"], env, work_dir),
            "help": process(drafter + ["--help"], env, work_dir),
            "speech": process(speech, env, work_dir),
            "uncached": process(speech, uncached, work_dir),
        }
        for run in processes.values():
            run()  # warm-up: the OS file cache, and drafter's own cache (filled by the first speech)
        times = time_rounds(processes, runs, 1)
    medians = {name: statistics.median(values) for name, values in times.items()}

    def ratio(name: str, to: str = "bare") -> float:  # to the bare imports (or app) of the same round
        return statistics.median(a / b for a, b in zip(times[name], times[to]))

    help_ratio, speech_ratio = ratio("help", "click"), ratio("speech")
    rows += [
        ("python -c pass", f"{medians['pass'] * 1000:.0f} ms", ""),
        ("bare imports: docx, jinja2, yaml, cerberus", f"{medians['bare'] * 1000:.0f} ms", ""),
        ("bare click app --help", f"{medians['click'] * 1000:.0f} ms", ""),
        ("drafter --help", f"{medians['help'] * 1000:.0f} ms",
         f"{help_ratio:.2f}× the bare click app; target ≤ 1.5×: {_ok(help_ratio <= 1.5)}"),
        ("drafter speech 2024.yaml (one process)", f"{medians['speech'] * 1000:.0f} ms",
         f"{speech_ratio:.2f}× bare imports; target ≤ 1.3×: {_ok(speech_ratio <= 1.3)}"),
        ("  the same without drafter's cache", f"{medians['uncached'] * 1000:.0f} ms",
         f"{ratio('uncached'):.2f}× bare imports (DRAFTER_NO_CACHE=1: as after editing a template)"),
    ]

    rounds, calls = (4, 10) if args.quick else (10, 20)
    warm = time_rounds(warm_variants(), rounds, calls)
    per_draft = statistics.median(warm["whole"])
    document_only = statistics.median(warm["document"])
    rows.append((f"warm, per draft ({rounds * calls} drafts, one process)", f"{per_draft * 1000:.1f} ms",
                 "load + punctuation + validate (Cerberus) + render + .docx"))
    for name in ("load the YAML + punctuation", "validate with Cerberus"):
        rows.append((f"  of which: {name}", f"{statistics.median(warm[name]) * 1000:.1f} ms", ""))
    rows.append(("warm, per draft: outline → Document → .docx", f"{document_only * 1000:.1f} ms",
                 f"target ≤ 3 ms: {_ok(document_only <= 0.003)}"))
    if "docxtpl" not in warm:
        rows.append(("docxtpl, same speech", "not installed", "pip install '.[bench]'"))
    else:
        faster = statistics.median(a / b for a, b in zip(warm["docxtpl"], warm["whole"]))
        rows.append(("docxtpl, same speech from a .docx template", f"{statistics.median(warm['docxtpl']) * 1000:.1f} ms",
                     f"drafter is {faster:.1f}× faster; target > 1×: {_ok(faster > 1)}"))

    per_paragraph = {}
    for size in SIZES[:-1] if args.quick else SIZES:
        out = subprocess.run([sys.executable, "-c", LONG_REPORT, str(size)], env=ENV, check=True,
                             capture_output=True, text=True).stdout
        result = json.loads(out)
        per_paragraph[size] = result["seconds"] / size
        note = f"{per_paragraph[size] * 1e6:.0f} µs/paragraph, peak RSS {result['rss_kib'] / 1024:.0f} MiB"
        if size == 5_000:
            note += f"; target < 200 ms: {_ok(result['seconds'] < 0.2)}"
        rows.append((f"{size:,}-paragraph report, write", f"{result['seconds'] * 1000:.0f} ms", note))
    if 20_000 in per_paragraph:
        ratio = per_paragraph[20_000] / per_paragraph[500]
        rows.append(("per-paragraph cost 20,000 vs 500", f"{ratio:.2f}×", f"flat (< 1.5×): {_ok(ratio < 1.5)}"))

    width = max(len(name) for name, _, _ in rows)
    print(f"drafter benchmark — Python {sys.version.split()[0]}, medians of {runs} rounds of processes; "
          "ratios are medians of the ratios within each round")
    for name, value, note in rows:
        print(f"{name:<{width}}  {value:>12}  {note}")


def _ok(passed: bool) -> str:
    return "met" if passed else "NOT met"


if __name__ == "__main__":
    main()
