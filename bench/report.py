"""The Markdown report: machine facts, one table per measure, ratios, growth, targets."""

import datetime
import os
import platform
import sqlite3
import subprocess

from .procs import ROOT, psql

PASS, FAIL = "✅", "❌"


def machine_facts() -> dict:
    memory = ""
    try:
        with open("/proc/meminfo") as handle:
            kib = int(handle.readline().split()[1])
        memory = f"{kib / 1024 / 1024:.1f} GiB"
    except (OSError, ValueError, IndexError):
        pass
    try:
        postgres = psql("SHOW server_version")
    except (OSError, subprocess.CalledProcessError):
        postgres = "unavailable"
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
        ).stdout.strip()
    except OSError:
        commit = ""
    return {
        "date": datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "cpus": os.cpu_count(),
        "cpu": _cpu_model(),
        "memory": memory,
        "python": platform.python_version(),
        "postgresql": postgres,
        "sqlite": sqlite3.sqlite_version,
        "commit": commit,
    }


def _cpu_model() -> str:
    try:
        with open("/proc/cpuinfo") as handle:
            for line in handle:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor()


def _rate(part: dict | None) -> float | None:
    if not part or not part.get("seconds"):
        return None
    return part["rows"] / part["seconds"]


def _n(value, digits: int = 0) -> str:
    if value is None:
        return "–"
    return f"{value:,.{digits}f}"


def _ratio(a, b) -> str:
    return f"{a / b:.2f}" if a and b else "–"


def _mark(ok) -> str:
    return "" if ok is None else PASS if ok else FAIL


def _table(headers: list[str], rows: list[list]) -> list[str]:
    lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return lines + [""]


def render(results: dict) -> str:
    facts = results["facts"]
    lines = [
        "# Benchmarks (issue 7)",
        "",
        f"{facts['date']} · {facts['cpus']} CPUs ({facts['cpu']}) · RAM {facts['memory']} · "
        f"Python {facts['python']} · PostgreSQL {facts['postgresql']} · "
        f"SQLite {facts['sqlite']} · commit {facts['commit']}",
        "",
        "Produced by `bench/run` (see bench/README.md). ✅/❌: the issue's targets.",
        "",
    ]
    lines += _generation(results["generation"])
    runs = results["runs"]
    if any("export" in run for run in runs):
        lines += _export(runs)
    if any("coverage" in run for run in runs):
        lines += _coverage(runs)
    if any("pages" in run for run in runs):
        lines += _pages(runs)
    if any("public" in run for run in runs):
        lines += _pages(runs, "public", PUBLIC_TITLE)
    lines += _scaling(runs)
    if results["imports"]:
        lines += _imports(results["imports"])
    return "\n".join(lines)


def _generation(generation: list[dict]) -> list[str]:
    rows = [
        [g["database"], _n(g["n"]), _n(g.get("seconds"), 1), _n(g.get("peak_mib")),
         "reused" if g.get("reused") else "generated in this run"]
        for g in generation
    ]  # fmt: skip
    return ["## Data (`generate_scale_data`)", ""] + _table(
        ["database", "N", "generation s", "peak MiB", ""], rows
    )


def _export(runs: list[dict]) -> list[str]:
    rows = []
    for run in runs:
        export = run.get("export")
        if not export:
            continue
        rate = _rate(export)
        floors = {key: _rate(export.get(key)) for key in ("xlsxwriter", "openpyxl", "sql")}
        ok = rate >= 0.8 * floors["xlsxwriter"] if rate and floors["xlsxwriter"] else None
        # The same rows over the command's own time: without the interpreter's and Django's
        # start-up, which the floors (timed inside one process) do not pay either.
        in_command = (
            export["rows"] / export["command_seconds"] if export.get("command_seconds") else None
        )
        rows.append(
            [run["database"], _n(run["n"]), _n(export["rows"]), _n(export["seconds"], 2),
             _n(export.get("command_seconds"), 2), _n(rate), _n(export["peak_mib"]),
             _n(floors["xlsxwriter"]), _ratio(rate, floors["xlsxwriter"]) + " " + _mark(ok),
             _ratio(in_command, floors["xlsxwriter"]),
             _n(floors["openpyxl"]), _ratio(rate, floors["openpyxl"]),
             _n(floors["sql"]), _ratio(rate, floors["sql"]),
             _n(export["xlsxwriter"].get("peak_mib")), _n(export["sql"].get("peak_mib"))]
        )  # fmt: skip
    lines = ["## 1. Ledger export (`export_ledger PATH`, end to end)", ""]
    lines += _table(
        ["database", "N", "rows", "s", "s in command", "rows/s", "peak MiB",
         "XlsxWriter floor rows/s", "÷ XlsxWriter (≥ 0.8)", "÷ XlsxWriter in command",
         "openpyxl floor rows/s",
         "÷ openpyxl", "SQL fetch rows/s", "÷ SQL", "XlsxWriter floor peak MiB",
         "SQL floor peak MiB"],
        rows,
    )  # fmt: skip
    lines += [
        "",
        "- End to end includes starting Python and Django (about 0.5 s), which the floors do not "
        "pay: it weighs at 10k; \"in command\" is the same rows over the command's own time.",
    ]
    lines += _growth(runs, "export", lambda e: e["peak_mib"], lambda e: e["seconds"])
    return lines


def _growth(runs, key, memory, seconds) -> list[str]:
    """Memory 100k → 1M (target ≤ 1.5×) and time 10k → 1M, per database."""
    lines = []
    for database in sorted({run["database"] for run in runs}):
        by_n = {run["n"]: run[key] for run in runs if run["database"] == database and key in run}
        if 100_000 in by_n and 1_000_000 in by_n:
            growth = memory(by_n[1_000_000]) / memory(by_n[100_000])
            lines.append(
                f"- {database}: peak memory 100k → 1M ×{growth:.2f} "
                f"(target ≤ 1.5) {_mark(growth <= 1.5)}"
            )
        smallest, largest = min(by_n, default=None), max(by_n, default=None)
        if smallest and largest and largest > smallest:
            growth = seconds(by_n[largest]) / seconds(by_n[smallest])
            lines.append(
                f"- {database}: time {smallest:,} → {largest:,} ×{growth:.1f} "
                f"(N ×{largest / smallest:.0f})"
            )
    return lines + [""] if lines else []


def _coverage(runs: list[dict]) -> list[str]:
    counts = {}
    for run in runs:
        if "coverage" in run:
            counts.setdefault(run["database"], set()).add(run["coverage"]["queries"])
    rows = [
        [run["database"], _n(run["n"]), _n(run["coverage"]["median"] * 1000),
         run["coverage"]["queries"], _mark(len(counts[run["database"]]) == 1)]
        for run in runs
        if "coverage" in run
    ]  # fmt: skip
    lines = ["## 2. Coverage figures (`coverage_report --json`, in process)", ""]
    lines += _table(["database", "N", "median ms", "queries", "same count at every N"], rows)
    growth = _growth(runs, "coverage", lambda c: 1, lambda c: c["median"])
    return lines + [line for line in growth if "memory" not in line]


PAGES_TITLE = "## 3. Pages (test Client, superuser, DEBUG off; 2 warm-ups, then timed requests)"
PUBLIC_TITLE = (
    "## 3b. Public pages (信息公开: anonymous test Client, DEBUG off; 2 warm-ups, then timed "
    "requests; \"not cached\" clears the cache before each)"
)


def _pages(runs: list[dict], key: str = "pages", title: str = PAGES_TITLE) -> list[str]:
    counts = {}
    for run in runs:
        for label, page in run.get(key, {}).items():
            counts.setdefault((run["database"], label), set()).add(page["queries"])
    rows = []
    for run in runs:
        for label, page in run.get(key, {}).items():
            target = ""
            if label == "dashboard" and run["database"] == "postgresql" and run["n"] >= 1_000_000:
                target = f"p95 < 150 ms {_mark(page['p95'] < DASHBOARD_P95)}"
            rows.append(
                [run["database"], _n(run["n"]), label,
                 f"{page['status']}" + ("" if page["status"] == 200 else " ❌ not the page")
                 + ("" if page.get("found", True) else " (not found)"),
                 _n(page["median"] * 1000), _n(page["p95"] * 1000), page["queries"],
                 _mark(len(counts[(run["database"], label)]) == 1), target]
            )  # fmt: skip
    lines = [title]
    return lines + [""] + _table(
        ["database", "N", "page", "status", "median ms", "p95 ms", "queries",
         "same count at every N", "target"],
        rows,
    )  # fmt: skip


# Issue 16: these take the same time at a province's size as at a city's.
SCALING_LIMIT = 1.5  # × the time at the smallest N, at 1,000,000
DASHBOARD_P95 = 0.150  # s, PostgreSQL, 1,000,000 organizations
SCALED = (
    ("coverage figures", lambda run: (run.get("coverage") or {}).get("median")),
    ("dashboard", lambda run: run.get("pages", {}).get("dashboard", {}).get("median")),
    ("ledger page", lambda run: run.get("pages", {}).get("ledger page", {}).get("median")),
)


def _scaling(runs: list[dict]) -> list[str]:
    """Issue 16's targets: the median at 1,000,000 within 1.5× of the smallest N's, per
    database, for the coverage figures, the dashboard and the ledger page."""
    rows = []
    for database in sorted({run["database"] for run in runs}):
        mine = [run for run in runs if run["database"] == database]
        smallest = min((run["n"] for run in mine), default=None)
        for label, median in SCALED:
            by_n = {run["n"]: median(run) for run in mine if median(run)}
            if smallest not in by_n or 1_000_000 not in by_n or smallest == 1_000_000:
                continue
            growth = by_n[1_000_000] / by_n[smallest]
            rows.append(
                [database, label, _n(smallest), _n(by_n[smallest] * 1000),
                 _n(by_n[1_000_000] * 1000), f"×{growth:.2f}",
                 _mark(growth <= SCALING_LIMIT)]
            )  # fmt: skip
    if not rows:
        return []
    lines = ["## 5. Time at 1,000,000 organizations against the smallest N (issue 16)", ""]
    return lines + _table(
        ["database", "measure", "smallest N", "median ms there", "median ms at 1M",
         "growth", f"≤ {SCALING_LIMIT}×"],
        rows,
    )  # fmt: skip


def _imports(imports: list[dict]) -> list[str]:
    rows = []
    for result in imports:
        rate = result["rows"] / result["seconds"] if result["returncode"] == 0 else None
        rows.append(
            [result["database"], _n(result["rows"]), _n(result["seconds"], 1),
             _n(result.get("cpu_seconds"), 1), _n(rate), _n(result["peak_mib"]),
             _mark(rate >= 2000 if rate else False),
             "" if result["returncode"] == 0 else result["message"].replace("\n", " ")[:200]]
        )  # fmt: skip
    lines = ["## 4. Import of a ledger (`import_ledger PATH` into an empty database; 100k rows "
             "unless `--import-rows`)"]  # fmt: skip
    return lines + [""] + _table(
        ["database", "rows created", "s", "CPU s", "rows/s", "peak MiB", "≥ 2,000 rows/s",
         "error"],
        rows,
    )
