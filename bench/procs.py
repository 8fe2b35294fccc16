"""Child processes: each measurement runs in its own, so its peak memory is its own."""

import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "bench" / ".data"
PYTHON = sys.executable
PG_HOST, PG_USER = "127.0.0.1", "postgres"
# The PostgreSQL databases' prefix: another checkout benchmarking on the same server at the same
# time sets its own (BENCH_PG_PREFIX=bench_mine_) so that neither drops the other's databases.
PG_PREFIX = os.environ.get("BENCH_PG_PREFIX", "bench_")


def database_url(database: str, n: int | str) -> str:
    if database == "sqlite":
        return f"sqlite:///{DATA / f'bench_{n}.sqlite3'}"
    return f"postgres://{PG_USER}@{PG_HOST}:5432/{PG_PREFIX}{n}"


def env_for(url: str) -> dict:
    env = dict(os.environ)
    env["DATABASE_URL"] = url
    env["DJANGO_SETTINGS_MODULE"] = "bench.settings"
    env["PYTHONPATH"] = str(ROOT)
    return env


def run(args: list[str], url: str, *, check: bool = True) -> dict:
    """Run a child; return wall seconds, peak RSS (MiB, from wait4's rusage) and its output."""
    started = time.perf_counter()
    process = subprocess.Popen(
        args, cwd=ROOT, env=env_for(url), stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    # communicate() would reap the child; read the pipes first, then wait4 for its rusage.
    stdout, stderr = process.stdout.read(), process.stderr.read()
    _pid, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    seconds = time.perf_counter() - started
    out, err = stdout.decode(errors="replace"), stderr.decode(errors="replace")
    if check and process.returncode:
        raise RuntimeError(f"{' '.join(args)} failed ({process.returncode}):\n{err[-3000:]}")
    return {
        "seconds": seconds,
        "peak_mib": usage.ru_maxrss / 1024,  # kilobytes on Linux
        # On a shared machine the wall time says how busy it was; the CPU time does not.
        "cpu_seconds": usage.ru_utime + usage.ru_stime,
        "stdout": out,
        "stderr": err,
        "returncode": process.returncode,
    }


def manage(args: list[str], url: str, **kwargs) -> dict:
    return run([PYTHON, "manage.py", *args], url, **kwargs)


def child(measure: str, url: str, *args: str) -> dict:
    """A measurement of bench/child.py; its JSON result, plus the process's wall and peak."""
    result = run([PYTHON, "-m", "bench.child", measure, *args], url)
    data = json.loads(result["stdout"].strip().splitlines()[-1])
    data.setdefault("peak_mib", result["peak_mib"])
    data["process_seconds"] = result["seconds"]
    return data


def psql(sql: str, database: str = "postgres") -> str:
    return subprocess.run(
        ["psql", "-h", PG_HOST, "-U", PG_USER, "-d", database, "-tAc", sql],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
