"""Cleaning benchmark: the kit's ledger cleaning against a plain pandas read, in the same run.

Writes the 2022 sample at ``--scale`` N (N times the projects, trips and leads) into a
temporary folder, then times, best of ``--repeat`` runs each:
  baseline   pandas.read_excel of every sheet of every workbook (openpyxl engine, no cleaning)
  clean      helpers.ingest.clean.clean_year (layout detection, parsing, quarantine, duplicates)
  cached     helpers.ingest.cache.load_year on an unchanged year (parquet cache hit)
  metrics    helpers.indicators.metrics.compute_metrics on the clean tables
and prints seconds, rows per second and ratios to the baseline. Results are recorded in
docs/performance.md. Usage: python benchmarks/bench_cleaning.py [--scale 10] [--repeat 3]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import pandas as pd

from helpers.indicators.metrics import compute_metrics
from helpers.ingest.cache import load_year
from helpers.ingest.clean import clean_year
from helpers.reference import load_reference
from helpers.sample.generate import write_sample


def best_of(repeat: int, action: Callable[[], object]) -> float:
    timings = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        timings.append(time.perf_counter() - start)
    return min(timings)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, default=10)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    reference = load_reference()
    with tempfile.TemporaryDirectory() as folder:
        data_dir = Path(folder) / "data"
        write_sample(data_dir, years=(2022,), scale=args.scale)
        raw = data_dir / "raw" / "2022"
        workbooks = sorted(raw.glob("*.xlsx"))
        megabytes = sum(p.stat().st_size for p in workbooks) / 1e6

        baseline = best_of(args.repeat, lambda: [pd.read_excel(p, sheet_name=None, header=None) for p in workbooks])
        result = clean_year(raw, 2022, reference)
        rows = sum(c["rows_read"] for c in result.counts().values())
        clean = best_of(args.repeat, lambda: clean_year(raw, 2022, reference))
        load_year(2022, data_dir, reference)  # fill the cache
        cached = best_of(args.repeat, lambda: load_year(2022, data_dir, reference))
        metrics = best_of(args.repeat, lambda: compute_metrics(result, None, reference))

    print(f"scale {args.scale}: {len(workbooks)} workbooks, {megabytes:.1f} MB, {rows:,} rows read")
    print(f"{'step':<10}{'seconds':>10}{'rows/s':>12}{'× baseline':>12}")
    for name, seconds in [("baseline", baseline), ("clean", clean), ("cached", cached), ("metrics", metrics)]:
        print(f"{name:<10}{seconds:>10.3f}{rows / seconds:>12,.0f}{seconds / baseline:>12.2f}")


if __name__ == "__main__":
    main()
