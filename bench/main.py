"""bench/run: generate (or reuse) the databases, measure, write bench/results/latest.md."""

import argparse
import json
import re
import sys

from . import report
from .databases import ensure, recreate
from .procs import DATA, ROOT, child, manage

MEASURES = ("export", "coverage", "pages", "public", "import")
IMPORT_ROWS = 100_000


def _parse(argv):
    parser = argparse.ArgumentParser(prog="bench/run", description=__doc__)
    parser.add_argument("--sizes", default="10000,100000,1000000", help="N, comma-separated")
    parser.add_argument(
        "--databases", default="sqlite,postgresql", help="sqlite and/or postgresql"
    )
    parser.add_argument("--measures", default=",".join(MEASURES), help=", ".join(MEASURES))
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--requests", type=int, default=20, help="timed requests per page")
    parser.add_argument(
        "--import-rows",
        type=int,
        default=IMPORT_ROWS,
        help=f"rows of the ledger the import measure reads (default {IMPORT_ROWS:,})",
    )
    parser.add_argument(
        "--output", default=str(ROOT / "bench" / "results" / "latest.md"), help="the report"
    )
    options = parser.parse_args(argv)
    options.sizes = [int(size) for size in options.sizes.split(",") if size]
    options.databases = [d for d in options.databases.split(",") if d]
    options.measures = [m for m in options.measures.split(",") if m]
    unknown = set(options.databases) - {"sqlite", "postgresql"} | set(options.measures) - set(
        MEASURES
    )
    if unknown:
        parser.error(f"unknown: {', '.join(sorted(unknown))}")
    return options


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def measure_export(url: str, database: str, n: int) -> dict:
    rows = child("rows_to_export", url)["rows"]
    path = DATA / f"ledger_{database}_{n}.xlsx"
    log(f"  export_ledger ({rows:,} rows) …")
    export = manage(["export_ledger", str(path)], url)
    reported = re.search(r"用时 ([0-9.]+) 秒", export["stdout"])
    result = {
        "rows": rows,
        "seconds": export["seconds"],
        "command_seconds": float(reported.group(1)) if reported else None,
        "peak_mib": export["peak_mib"],
        "path": str(path),
    }
    for floor in ("xlsxwriter", "openpyxl"):
        log(f"  floor: {floor} …")
        result[floor] = child(f"floor_{floor}", url, str(DATA / f"floor_{floor}.xlsx"), str(rows))
    log("  floor: SQL fetch …")
    result["sql"] = child("floor_sql", url)
    return result


def measure_import(database: str, seed: int, sources: dict, size: int = IMPORT_ROWS) -> dict:
    """A ledger of `size` rows (100k by default, exported from the database of that size)
    into an empty migrated database: every row is a create."""
    source = sources.get(database)
    if source is None:
        url, _stamp = ensure(database, size, seed, log)
        source = DATA / f"ledger_{database}_{size}.xlsx"
        log(f"  exporting {size:,} organizations for the import …")
        manage(["export_ledger", str(source)], url)
    target = recreate(database, "import")
    child("prepare_import_target", target)
    log(f"  import_ledger into an empty {database} database …")
    result = manage(["import_ledger", str(source)], target, check=False)
    rows = child("rows_to_export", target)["rows"]
    return {
        "rows": rows,
        "seconds": result["seconds"],
        "cpu_seconds": result["cpu_seconds"],
        "peak_mib": result["peak_mib"],
        "returncode": result["returncode"],
        "message": (result["stdout"] + result["stderr"]).strip()[-500:],
    }


def main(argv=None) -> int:
    options = _parse(argv if argv is not None else sys.argv[1:])
    DATA.mkdir(parents=True, exist_ok=True)
    runs, generation, imports, sources = [], [], [], {}
    for database in options.databases:
        for n in options.sizes:
            url, stamp = ensure(database, n, options.seed, log)
            generation.append({"database": database, "n": n, **stamp})
            run = {"database": database, "n": n}
            if "export" in options.measures:
                run["export"] = measure_export(url, database, n)
                if n == options.import_rows:
                    sources[database] = run["export"]["path"]
            if "coverage" in options.measures:
                log("  coverage_report --json …")
                run["coverage"] = child("coverage", url)
            if "pages" in options.measures:
                log("  pages …")
                run["pages"] = child("pages", url, str(options.requests))["pages"]
            if "public" in options.measures:
                log("  public pages …")
                run["public"] = child("public", url, str(options.requests))["pages"]
            runs.append(run)
    if "import" in options.measures:
        for database in options.databases:
            result = measure_import(database, options.seed, sources, options.import_rows)
            imports.append({"database": database, **result})
    results = {"facts": report.machine_facts(), "generation": generation, "runs": runs,
               "imports": imports}  # fmt: skip
    text = report.render(results)
    output = ROOT / options.output if not options.output.startswith("/") else options.output
    with open(output, "w", encoding="utf-8") as handle:
        handle.write(text)
    with open(str(output).removesuffix(".md") + ".json", "w", encoding="utf-8") as handle:
        json.dump(results, handle, ensure_ascii=False, indent=1, default=str)
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
