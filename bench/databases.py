"""Benchmark databases: reused when they hold the right N and seed, generated otherwise."""

import json
import sqlite3
import subprocess

from .procs import DATA, PG_HOST, PG_PREFIX, PG_USER, database_url, manage, psql


def _stamp_path(database: str, n) -> object:
    return DATA / f"{database}_{n}.json"


def _count(database: str, n) -> int | None:
    try:
        if database == "sqlite":
            path = DATA / f"bench_{n}.sqlite3"
            if not path.exists():
                return None
            with sqlite3.connect(path) as connection:
                query = "SELECT COUNT(*) FROM registry_organization"
                return connection.execute(query).fetchone()[0]
        return int(psql("SELECT COUNT(*) FROM registry_organization", f"{PG_PREFIX}{n}"))
    except (sqlite3.Error, subprocess.CalledProcessError, ValueError):
        return None


def recreate(database: str, name) -> str:
    """An empty, migrated database; returns its URL."""
    DATA.mkdir(parents=True, exist_ok=True)
    url = database_url(database, name)
    if database == "sqlite":
        path = DATA / f"bench_{name}.sqlite3"
        for suffix in ("", "-wal", "-shm", "-journal"):
            path.with_name(path.name + suffix).unlink(missing_ok=True)
    else:
        psql(f'DROP DATABASE IF EXISTS "{PG_PREFIX}{name}" WITH (FORCE)')
        subprocess.run(
            ["createdb", "-h", PG_HOST, "-U", PG_USER, f"{PG_PREFIX}{name}"], check=True
        )
    manage(["migrate", "--noinput", "-v", "0"], url)
    return url


def ensure(database: str, n: int, seed: int, log) -> tuple[str, dict]:
    """The URL of a database with N generated organizations, and how it was generated."""
    stamp_path = _stamp_path(database, n)
    stamp = json.loads(stamp_path.read_text()) if stamp_path.exists() else {}
    if _count(database, n) == n and stamp.get("seed", seed) == seed:
        log(f"{database} N={n:,}: reusing the generated database (migrating it first)")
        url = database_url(database, n)
        manage(["migrate", "--noinput", "-v", "0"], url)  # new indexes since it was made
        return url, stamp | {"reused": True}
    log(f"{database} N={n:,}: generating (seed {seed}) …")
    url = recreate(database, n)
    result = manage(
        ["generate_scale_data", "--organizations", str(n), "--seed", str(seed)], url
    )
    stamp = {"seed": seed, "seconds": result["seconds"], "peak_mib": result["peak_mib"]}
    stamp_path.write_text(json.dumps(stamp))
    log(result["stdout"].rstrip())
    return url, stamp | {"reused": False}
