"""The registry writer against Annex 2's writer, for the same people.

    python -m benchmarks.registry [--rows 10000] [--repeat 3]

Issue 19's goal: the registry export (入库专家名册) within 1.3x of Annex 2's
writer for the same rows. Both writers get the same people
(`benchmarks.annex2.make_rows`: ~2,000 units, every group, every 工作单位
long enough to wrap); the registry's rows add a certificate number, a
district, the term's two dates and a standing, and drop the ID number, so
it writes 13 columns where Annex 2 writes 9.

Writers:

- registry: `exports.registry.write_registry` from `RegistryRow`s.
- annex2: `exports.annex2.write_annex2` from the same people's `Annex2Row`s.
- openpyxl: the registry's 13 styled cells a row appended by hand from rows
  already sorted and numbered (`benchmarks.annex2.write_openpyxl`): the floor
  for the registry's output with openpyxl, as Annex 2's own benchmark has it.

Each (writer, size) runs in a fresh interpreter, --repeat times, and the
fastest CPU time counts, since other load on the machine only adds time.
"ratio" is CPU time over Annex 2's; "per cell" divides each writer's CPU time
by the cells it writes first, which tells the writer's cost from the
registry's extra columns.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from datetime import date, timedelta

from benchmarks.annex2 import DAY, make_rows, write_openpyxl
from bot.domain.registry import Standing, term_end
from exports.annex2 import write_annex2
from exports.registry import STANDING_LABELS, build_registry_table, write_registry
from exports.registry_rows import RegistryRow
from exports.rows import Annex2Row

WRITERS = ("registry", "annex2", "openpyxl")
CELLS = {"registry": 13, "annex2": 9, "openpyxl": 13}
"""Cells a row, by writer."""
DISTRICTS = ("渝中区", "江北区", "沙坪坝区", "九龙坡区", "南岸区", "北碚区", "渝北区", "巴南区")
STANDINGS = tuple(STANDING_LABELS.values())


def registry_rows(people: list[Annex2Row]) -> list[RegistryRow]:
    """The same people as appointed experts: numbered, in a district, with a term."""
    first = date(2022, 11, 10)
    rows = []
    for i, p in enumerate(people):
        start = first + timedelta(days=365 * (i % 4))
        rows.append(
            RegistryRow(
                certificate_number=f"CQGSYF-{start.year}-{i + 1:06d}",
                name=p.name,
                gender=p.gender,
                unit=p.unit,
                position=p.position,
                title=p.title,
                group=p.group,
                district=DISTRICTS[i % len(DISTRICTS)],
                term_start=start,
                term_end=term_end(start),
                status=STANDINGS[0] if i % 10 else STANDING_LABELS[Standing.DUE],
                contact=p.contact,
            )
        )
    return rows


def child(writer: str, n: int) -> dict:
    people = make_rows(n)
    if writer == "registry":
        rows = registry_rows(people)

        def run() -> bytes:
            return write_registry(rows, filled_on=DAY)
    elif writer == "openpyxl":
        values = list(build_registry_table(registry_rows(people), DAY).rows)

        def run() -> bytes:
            return write_openpyxl(values, styled=True)
    else:

        def run() -> bytes:
            return write_annex2(people, "全市", DAY)

    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start, cpu_start = time.perf_counter(), time.process_time()
    data = run()
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu_start
    after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {
        "seconds": seconds,
        "cpu": cpu,
        "rss_delta_mb": (after - before) / 1024,
        "bytes": len(data),
    }


def measure(writer: str, n: int) -> dict:
    args = [sys.executable, "-m", "benchmarks.registry", "--child", writer, "--rows", str(n)]
    return json.loads(subprocess.run(args, capture_output=True, text=True, check=True).stdout)


def best_of(repeat: int, writer: str, n: int) -> dict:
    """The fastest of `repeat` fresh runs: other load on the machine only adds time."""
    runs = [measure(writer, n) for _ in range(repeat)]
    best = min(runs, key=lambda r: r["cpu"])
    best["rss_delta_mb"] = max(r["rss_delta_mb"] for r in runs)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, nargs="+", default=[10_000])
    parser.add_argument("--repeat", type=int, default=3, help="runs per case; the fastest counts")
    parser.add_argument("--child", choices=WRITERS, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.child, args.rows[0])))
        return

    print(f"python {sys.version.split()[0]}; goal: registry within 1.3x of annex2")
    print(
        f"{'rows':>8} {'writer':>9} {'wall s':>7} {'CPU s':>6} {'ratio':>6} {'per cell':>8} "
        f"{'RSS Δ MB':>9} {'file MB':>8}"
    )
    for n in args.rows:
        results = {w: best_of(args.repeat, w, n) for w in WRITERS}
        base = results["annex2"]["cpu"]
        base_cell = base / CELLS["annex2"]
        for w, r in results.items():
            print(
                f"{n:>8} {w:>9} {r['seconds']:>7.2f} {r['cpu']:>6.2f} {r['cpu'] / base:>6.2f} "
                f"{r['cpu'] / CELLS[w] / base_cell:>8.2f} {r['rss_delta_mb']:>9.1f} "
                f"{r['bytes'] / 2**20:>8.1f}"
            )


if __name__ == "__main__":
    main()
