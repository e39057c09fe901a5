"""The kit's performance against floors measured in the same run (issue 13); writes docs/performance.md.

Every figure is a whole process (``subprocess``; the peak memory is that process's own maximum
resident set, from ``os.wait4``, and for the clean also the peak of its process tree's summed
proportional set size, sampled every 50 ms: the clean forks a child on two cores, and pages they
share count once) unless it says "in-process". Each step is the best of
``--repeat`` runs (one run at scales of 100 and more). What is measured, per scale of
``--scales`` (the 2022 sample written by ``zhaoshang sample --scale N`` into a temporary folder):

  calamine        floor: ``pandas.read_excel(sheet_name=None, header=None, engine="calamine")``
                  of every workbook of the year, and nothing else
  clean           ``zhaoshang clean --year 2022`` from a cold cache (read, clean, write the cache)
  in-process      the same two inside one warm interpreter: the read alone, and ``clean_year``
and, once: the openpyxl read at the smallest scale (for reference), the warm-cache annual
report at ``--report-scale`` against its floor (papermill executing a notebook that only
imports pandas, matplotlib, seaborn and helpers, and the kit's nbconvert rendering of it, in
one process, as the kit does; and the same floor without jsonschema's IRI grammars, which the
kit's report process skips), the report at the largest scale (time, HTML size), and
``report annual_review --all`` against one year after another on the shipped sample; then
``report county_profile --year 2022 --all-counties`` and ``report monthly_bulletin --all`` (the
2023 ledgers alone) against their reports one after another (one run each).

The exponent is the slope of log(clean seconds) against log(rows read) over the scales.
Usage: python benchmarks/benchmark.py [--scales 10 50 100 200 400] [--repeat 3] [--append]
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.metadata
import json
import math
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable
ZHAOSHANG = [PYTHON, "-m", "helpers"]
DOC = ROOT / "docs" / "performance.md"
START, END = "<!-- benchmark:start -->", "<!-- benchmark:end -->"
YEAR = 2022

CALAMINE_READ = """
import sys
from pathlib import Path
import pandas as pd
for path in sorted(Path(sys.argv[1]).rglob("*.xlsx")):
    pd.read_excel(path, sheet_name=None, header=None, engine=sys.argv[2])
"""

IN_PROCESS = """
import json, sys, time
from pathlib import Path
import pandas as pd
from helpers.ingest.clean import clean_year
from helpers.reference import load_reference
folder, repeat = Path(sys.argv[1]), int(sys.argv[2])
reference = load_reference()
paths = sorted(folder.rglob("*.xlsx"))
def best(action):
    timings = []
    for _ in range(repeat):
        start = time.perf_counter(); action(); timings.append(time.perf_counter() - start)
    return min(timings)
read = best(lambda: [pd.read_excel(p, sheet_name=None, header=None, engine="calamine") for p in paths])
clean = best(lambda: clean_year(folder, 2022, reference))
print(json.dumps({"read": read, "clean": clean}))
"""

FLOOR = """
import sys
from pathlib import Path
if sys.argv[3:] == ["lean"]:  # as the kit's report process: jsonschema's IRI grammars not compiled
    sys.modules["rfc3987_syntax"] = None
import papermill
from helpers.output.notebook import STABLE_KERNELSPEC, _kernel_manager_class, render_html
notebook, out = Path(sys.argv[1]), Path(sys.argv[2])
executed = papermill.execute_notebook(str(notebook), str(out), kernel_name=STABLE_KERNELSPEC["name"], progress_bar=False,
                                      request_save_on_cell_execute=False, cwd=str(notebook.parent),
                                      kernel_manager_class=_kernel_manager_class())
out.with_suffix(".html").write_text(render_html(executed, title="floor"), encoding="utf-8")
"""


INSTANCES = """
import json, sys
from pathlib import Path
from helpers.products.registry import report_spec
from helpers.reference import load_reference
spec, data_dir = report_spec(sys.argv[1]), Path(sys.argv[2])
instances = spec.instances(data_dir, load_reference().directory)
if sys.argv[1] == "county_profile":
    instances = [i for i in instances if i["year"] == 2022]
print(json.dumps(instances, ensure_ascii=False, default=str))
"""


def _tree_pss_kib(root: int) -> int:
    """Summed proportional set size (KiB) of ``root`` and its descendants (0 once gone)."""
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        try:
            with open(f"/proc/{pid}/smaps_rollup") as rollup:
                total += next((int(line.split()[1]) for line in rollup if line.startswith("Pss:")), 0)
            with open(f"/proc/{pid}/task/{pid}/children") as children:
                todo += [int(child) for child in children.read().split()]
        except (OSError, ValueError):
            continue
    return total


def run(command: list[str], *, env: dict[str, str] | None = None, tree: dict | None = None) -> tuple[float, int]:
    """(seconds, peak resident MiB) of one process; a failure stops the benchmark. With ``tree``,
    ``tree["mib"]`` is the peak summed PSS of the process and its children (sampled every 50 ms)."""
    import threading

    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env, cwd=ROOT)
    done, peak = threading.Event(), [0]

    def sample() -> None:
        while not done.wait(0.05):
            peak[0] = max(peak[0], _tree_pss_kib(process.pid))

    sampler = threading.Thread(target=sample, daemon=True)
    if tree is not None:
        sampler.start()
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - start
    done.set()
    if tree is not None:
        sampler.join()
        tree["mib"] = max(tree.get("mib", 0), peak[0] // 1024)
    process.returncode = os.waitstatus_to_exitcode(status)
    error = process.stderr.read().decode(errors="replace") if process.stderr else ""
    if process.returncode != 0:
        raise SystemExit(f"failed ({process.returncode}): {' '.join(command)}\n{error[-2000:]}")
    return seconds, usage.ru_maxrss // 1024


def best(repeat: int, command: list[str], before=None, tree: dict | None = None) -> tuple[float, int]:
    results = []
    for _ in range(repeat):
        if before is not None:
            before()
        results.append(run(command, tree=tree))
    return min(r[0] for r in results), max(r[1] for r in results)


def write_year(data_dir: Path, scale: int) -> tuple[Path, int, float]:
    """The 2022 sample at ``scale``: (year folder, workbooks, MB), and the generator's seconds."""
    seconds, _ = run([*ZHAOSHANG, "sample", "--years", str(YEAR), "--scale", str(scale), "--data-dir", str(data_dir)])
    folder = data_dir / "raw" / str(YEAR)
    return folder, seconds, sum(p.stat().st_size for p in folder.rglob("*.xlsx")) / 1e6


def rows_read(data_dir: Path) -> int:
    manifest = json.loads((data_dir / "processed" / str(YEAR) / "manifest.json").read_text(encoding="utf-8"))
    return sum(table["rows_read"] for table in manifest["counts"].values())


def floor_notebook(folder: Path) -> Path:
    import nbformat

    notebook = nbformat.v4.new_notebook()
    notebook.cells = [
        nbformat.v4.new_code_cell("import pandas\nimport matplotlib\nimport seaborn\nimport helpers", metadata={"tags": []}),
        nbformat.v4.new_markdown_cell("# 基准"),
    ]
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    path = folder / "floor.ipynb"
    nbformat.write(notebook, path)
    return path


def html_size(out: Path) -> float:
    return sum(p.stat().st_size for p in out.rglob("*.html")) / 1e6


def measure(args: argparse.Namespace, work: Path) -> dict:
    results: dict = {"scales": [], "report": {}, "all": {}}
    for scale in args.scales:
        data_dir = work / f"scale{scale}"
        folder, generate, megabytes = write_year(data_dir, scale)
        repeat = 1 if scale >= 100 else args.repeat

        def cold(data_dir: Path = data_dir) -> None:
            shutil.rmtree(data_dir / "processed", ignore_errors=True)

        calamine = best(repeat, [PYTHON, "-c", CALAMINE_READ, str(folder), "calamine"])
        tree: dict = {}
        clean = best(repeat, [*ZHAOSHANG, "clean", "--year", str(YEAR), "--data-dir", str(data_dir), "--json"], before=cold, tree=tree)
        row = {"scale": scale, "megabytes": megabytes, "generate": generate, "rows": rows_read(data_dir),
               "calamine": calamine[0], "calamine_mib": calamine[1], "clean": clean[0], "clean_mib": clean[1],
               "clean_tree_mib": tree.get("mib", 0)}
        if scale == min(args.scales):
            row["openpyxl"] = best(repeat, [PYTHON, "-c", CALAMINE_READ, str(folder), "openpyxl"])[0]
        if scale <= 100:
            output = subprocess.run([PYTHON, "-c", IN_PROCESS, str(folder), str(repeat)], capture_output=True, text=True, check=True)
            row["in_process"] = json.loads(output.stdout)
        results["scales"].append(row)
        print(json.dumps(row), flush=True)
        if scale == args.report_scale:
            floor = floor_notebook(work)
            results["report"]["floor"] = best(args.repeat, [PYTHON, "-c", FLOOR, str(floor), str(work / "floor_out.ipynb")])[0]
            results["report"]["lean_floor"] = best(args.repeat, [PYTHON, "-c", FLOOR, str(floor), str(work / "floor_out.ipynb"), "lean"])[0]
            out = work / "report_out"
            command = [*ZHAOSHANG, "report", "annual_review", "--year", str(YEAR), "--data-dir", str(data_dir), "--out", str(out)]
            run(command)  # the caches of both years filled
            results["report"]["warm"] = best(args.repeat, command)[0]
            results["report"]["html_mb"] = html_size(out)
            results["report"]["scale"] = scale
            print(json.dumps(results["report"]), flush=True)
        if scale == max(args.scales):
            out = work / "report_big"
            command = [*ZHAOSHANG, "report", "annual_review", "--year", str(YEAR), "--data-dir", str(data_dir), "--out", str(out)]
            seconds, mib = run(command)
            results["big_report"] = {"scale": scale, "seconds": seconds, "mib": mib, "html_mb": html_size(out)}
            print(json.dumps(results["big_report"]), flush=True)
        if scale >= 100:
            shutil.rmtree(data_dir, ignore_errors=True)  # several GB of disk at the largest scales
    # --all against one year after another, on the shipped sample (every year), caches warm
    data_dir = work / "shipped"
    shutil.copytree(ROOT / "data" / "raw", data_dir / "raw")
    years = sorted(int(p.name) for p in (data_dir / "raw").iterdir() if p.is_dir())
    for year in years:
        run([*ZHAOSHANG, "clean", "--year", str(year), "--data-dir", str(data_dir), "--json"])
    out = work / "all_out"
    every = [*ZHAOSHANG, "report", "annual_review", "--all", "--data-dir", str(data_dir), "--out", str(out)]
    run(every)
    parallel = best(args.repeat, every)[0]

    def one_by_one() -> None:
        for year in years:
            run([*ZHAOSHANG, "report", "annual_review", "--year", str(year), "--data-dir", str(data_dir), "--out", str(out / str(year))])

    timings = []
    for _ in range(args.repeat):
        start = time.perf_counter()
        one_by_one()
        timings.append(time.perf_counter() - start)
    results["all"] = {"years": len(years), "all": parallel, "one_by_one": min(timings)}
    print(json.dumps(results["all"]), flush=True)
    # the same for the counties of a year and the months of the bulletin (one run each: minutes);
    # the bulletins of one year (its own data folder: --all makes every month of every year)
    shipped, months_dir = data_dir, work / "months"
    shutil.copytree(ROOT / "data" / "raw" / "2023", months_dir / "raw" / "2023")
    run([*ZHAOSHANG, "clean", "--year", "2023", "--data-dir", str(months_dir), "--json"])  # caches warm, as above
    results["batches"] = []
    for name, batch, identity, folder in (
        ("county_profile", ["--year", str(YEAR), "--all-counties"], ("year", "county"), shipped),
        ("monthly_bulletin", ["--all"], ("year", "month"), months_dir),
    ):
        instances = json.loads(subprocess.run([PYTHON, "-c", INSTANCES, name, str(folder)], capture_output=True, text=True,
                                              check=True).stdout)
        out = work / f"{name}_out"
        parallel = run([*ZHAOSHANG, "report", name, *batch, "--data-dir", str(folder), "--out", str(out)])[0]
        start = time.perf_counter()
        for i, instance in enumerate(instances):
            options = [part for key in identity for part in (f"--{key}", str(instance[key]))]
            run([*ZHAOSHANG, "report", name, *options, "--data-dir", str(folder), "--out", str(work / f"{name}_one" / str(i))])
        row = {"report": name, "batch": " ".join(batch), "count": len(instances), "all": parallel,
               "one_by_one": time.perf_counter() - start}
        results["batches"].append(row)
        print(json.dumps(row), flush=True)
    return results


def exponent(rows: list[dict]) -> float:
    """Least-squares slope of log(clean seconds) on log(rows read)."""
    xs = [math.log(r["rows"]) for r in rows]
    ys = [math.log(r["clean"]) for r in rows]
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / sum((x - mx) ** 2 for x in xs)


def machine() -> str:
    model = "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
        memory = int(Path("/proc/meminfo").read_text().split()[1]) / 2**20
    except OSError:
        memory = float("nan")
    versions = ", ".join(
        f"{name} {importlib.metadata.version(name)}"
        for name in ("pandas", "python-calamine", "openpyxl", "pyarrow", "papermill", "nbconvert", "matplotlib")
    )
    return (f"{os.cpu_count()} cores ({model}), {memory:.0f} GiB RAM, {platform.system()} {platform.release()}; "
            f"Python {platform.python_version()}, {versions}; {dt.date.today().isoformat()}")


def table(results: dict) -> str:
    rows = results["scales"]
    lines = [
        f"Machine: {machine()}.",
        "",
        "| scale | workbooks (MB) | rows read | sample written (s) | calamine read (s) | cold clean (s) | clean × calamine "
        "| in-process read (s) | in-process clean (s) | in-process × | clean peak, one process (MiB) "
        "| clean peak, both processes (PSS, MiB) |",
        "|" + "---:|" * 12,
    ]
    for r in rows:
        inside = r.get("in_process")  # measured up to scale 100 ("—" above: not measured)
        read, clean, ratio = ("—",) * 3
        if inside:
            read, clean, ratio = f"{inside['read']:.2f}", f"{inside['clean']:.2f}", f"{inside['clean'] / inside['read']:.2f}"
        lines.append(
            f"| {r['scale']} | {r['megabytes']:.1f} | {r['rows']:,} | {r['generate']:.1f} | {r['calamine']:.2f} | {r['clean']:.2f} "
            f"| **{r['clean'] / r['calamine']:.2f}** | {read} | {clean} | {ratio} | {r['clean_mib']} | {r.get('clean_tree_mib', '—')} |"
        )
    first = rows[0]
    report, big, every = results["report"], results.get("big_report"), results["all"]
    lines += [
        "",
        f"- Clean time against rows read: exponent **{exponent(rows):.2f}** over {len(rows)} scales "
        f"({rows[0]['rows']:,} to {rows[-1]['rows']:,} rows).",
        f"- openpyxl read at scale {first['scale']}: {first['openpyxl']:.2f} s "
        f"({first['openpyxl'] / first['calamine']:.2f} × the calamine read).",
    ]
    if report:
        lines.append(
            f"- Warm-cache `report annual_review --year {YEAR}` at scale {report['scale']}: {report['warm']:.2f} s against a floor of "
            f"{report['floor']:.2f} s: **{report['warm'] / report['floor']:.2f} ×** (HTML {report['html_mb']:.2f} MB); against the "
            f"floor without jsonschema's IRI grammars (skipped by the kit too) {report['lean_floor']:.2f} s: "
            f"**{report['warm'] / report['lean_floor']:.2f} ×**."
        )
    if big:
        lines.append(
            f"- `report annual_review --year {YEAR}` at scale {big['scale']} (its cache filled by the clean step; no 2021 at that "
            f"scale): {big['seconds']:.1f} s, peak {big['mib']} MiB, "
            f"HTML {big['html_mb']:.2f} MB."
        )
    lines.append(
        f"- `report annual_review --all` ({every['years']} years, shipped sample, warm caches): {every['all']:.2f} s against "
        f"{every['one_by_one']:.2f} s one by one: **{every['one_by_one'] / every['all']:.2f} × faster**."
    )
    for batch in results.get("batches", []):
        lines.append(
            f"- `report {batch['report']} {batch['batch']}` ({batch['count']} reports of the shipped sample): {batch['all']:.1f} s against "
            f"{batch['one_by_one']:.1f} s one by one: **{batch['one_by_one'] / batch['all']:.2f} × faster**."
        )
    return "\n".join(lines) + "\n"


def write_doc(text: str, append: bool) -> None:
    page = DOC.read_text(encoding="utf-8")
    if START not in page:
        page = page.rstrip("\n") + f"\n\n## Latest run\n\n{START}\n{END}\n"
    head, rest = page.split(START, 1)
    old, tail = rest.split(END, 1)
    block = (old.strip("\n") + "\n\n" if append and old.strip() else "") + text
    DOC.write_text(f"{head}{START}\n{block}{END}{tail}", encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", type=int, nargs="+", default=[10, 50, 100, 200, 400])
    parser.add_argument("--report-scale", type=int, default=10)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--append", action="store_true", help="keep the runs already in docs/performance.md")
    args = parser.parse_args()
    args.scales = sorted(args.scales)
    with tempfile.TemporaryDirectory(prefix="zhaoshang-benchmark-") as folder:
        results = measure(args, Path(folder))
    text = table(results)
    print(text)
    write_doc(text, args.append)


if __name__ == "__main__":
    main()
