"""Backup and restore of the whole database (MLPS 2.0 data safety), for both supported vendors.

A backup is two files: the database copy at PATH (an SQLite database, or a ``pg_dump`` custom
archive) and PATH.manifest.json beside it. The manifest records what restore must check before
it overwrites anything: the vendor, the migrations the copy was made under and the copy's
SHA-256, so a truncated off-site copy or a backup from a newer release is refused, not loaded.
"""

import hashlib
import json
import os
import re
import shutil
import sqlite3
import subprocess
from pathlib import Path

from django.db import connection, connections
from django.db.migrations.loader import MigrationLoader
from django.dispatch import Signal
from django.utils import timezone
from django.utils.translation import gettext, pgettext

MANIFEST_FORMAT = "sanlian-backup/1"
SQLITE_MAGIC = b"SQLite format 3\x00"
PG_DUMP_MAGIC = b"PGDMP"
VENDOR_NAMES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}


# Sent after a restore of a backup made under the program's own migrations (`manifest`): the
# apps recount what they derive from the restored rows (the coverage aggregates).
database_restored = Signal()


class BackupError(Exception):
    """A backup or restore refused or failed; the message is for the operator."""


def manifest_path(path) -> Path:
    return Path(f"{path}.manifest.json")


def backup_kind(path) -> str | None:
    """The vendor whose backup `path` is, judged by its first bytes, or None."""
    with open(path, "rb") as file:
        head = file.read(len(SQLITE_MAGIC))
    if head == SQLITE_MAGIC:
        return "sqlite"
    if head.startswith(PG_DUMP_MAGIC):
        return "postgresql"
    return None


def database_backup(path, *, overwrite=False) -> dict:
    """Copy the configured database to `path` and write its manifest; returns the manifest."""
    path = Path(path)
    if path.exists() and not overwrite:
        raise BackupError(
            gettext(
                "The file %(path)s exists already: choose another name, or add --force to "
                "overwrite it."
            )
            % {"path": path}
        )
    path.parent.mkdir(parents=True, exist_ok=True)
    vendor = connection.vendor
    partial = path.with_name(f".{path.name}.partial")
    try:
        # The migrations are read from the copy itself, not the live database, so the manifest
        # describes the copy even if someone migrates while it is made.
        if vendor == "sqlite":
            _sqlite_backup(partial)
            migrations = _sqlite_migrations(partial)
        else:
            _pg_dump(partial)
            migrations = _pg_migrations(partial)
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)
    manifest = {
        "format": MANIFEST_FORMAT,
        "created_at": timezone.localtime().isoformat(timespec="seconds"),
        "vendor": vendor,
        "database": str(connection.settings_dict["NAME"]),
        "file": path.name,
        "size": path.stat().st_size,
        "sha256": _sha256(path),
        "migrations": migrations,
    }
    manifest_path(path).write_text(
        json.dumps(manifest, ensure_ascii=False, indent=2), encoding="utf-8"
    )
    return manifest


def backup_check(path) -> dict:
    """Everything restore checks before touching the database; returns the manifest.

    Returns the manifest with ``pending`` added: the code's migrations the backup predates
    (the operator runs ``migrate`` after restoring).
    """
    path = Path(path)
    if not path.is_file():
        raise BackupError(gettext("No backup file at %(path)s.") % {"path": path})
    kind = backup_kind(path)
    if kind is None:
        raise BackupError(
            gettext(
                "%(path)s is not a database backup of this system (neither an SQLite database "
                "nor a pg_dump custom-format file)."
            )
            % {"path": path}
        )
    current = connection.vendor
    if kind != current:
        raise BackupError(
            gettext(
                "%(path)s is a backup of a %(kind)s database and the configured database is "
                "%(current)s: it cannot be restored."
            )
            % {"path": path, "kind": VENDOR_NAMES[kind], "current": VENDOR_NAMES[current]}
        )
    manifest = _manifest_read(path)
    if manifest.get("vendor") != kind:
        raise BackupError(
            gettext(
                "The backup manifest %(manifest)s names another database vendor than the "
                "backup file."
            )
            % {"manifest": manifest_path(path)}
        )
    if manifest.get("sha256") != _sha256(path):
        raise BackupError(
            gettext(
                "The backup file %(path)s does not match the checksum in its manifest: it is "
                "damaged, incomplete or altered, and cannot be restored."
            )
            % {"path": path}
        )
    known = _code_migrations()
    unknown = sorted(set(manifest.get("migrations", [])) - known)
    if unknown:
        listed = pgettext("list separator", ", ").join(unknown[:5])
        if len(unknown) > 5:
            listed = pgettext("a list cut short", "%(list)s and more") % {"list": listed}
        raise BackupError(
            gettext(
                "This backup comes from a newer release of the program: it holds database "
                "migrations this one lacks (%(migrations)s). Upgrade the program to the "
                "release of the backup or a newer one, then restore."
            )
            % {"migrations": listed}
        )
    manifest["pending"] = sorted(known - set(manifest.get("migrations", [])))
    return manifest


def database_restore(path) -> dict:
    """Replace the configured database's contents with the backup at `path`.

    Checks first (backup_check) and changes nothing when a check fails. Returns the manifest.
    """
    manifest = backup_check(path)
    # Django's own connections must not hold locks or an open transaction while the database
    # is replaced; the site's processes are the operator's to stop (the command says so).
    connections.close_all()
    if connection.vendor == "sqlite":
        _sqlite_restore(Path(path))
        _restored(manifest)
        return manifest
    try:
        _pg_restore(Path(path))
    except BackupError as error:
        if not manifest["pending"]:
            raise
        # Tables of the newer migrations stay, and their foreign keys stop --clean dropping
        # the tables the backup replaces; the single transaction left everything as it was.
        raise BackupError(
            gettext(
                "%(error)s\nThis backup is older than the program's database structure; the "
                "database is unchanged. Restore into a new empty database (createdb), then run "
                "python manage.py migrate."
            )
            % {"error": error}
        ) from error
    _restored(manifest)
    return manifest


def _restored(manifest: dict) -> None:
    if not manifest["pending"]:  # an older backup is migrated first, then recounted
        database_restored.send(sender=database_restore, manifest=manifest)


# --- SQLite ---------------------------------------------------------------------------------


def _sqlite_backup(target: Path):
    # The online backup API copies a consistent snapshot even while the site writes, and works
    # from an in-memory database (the test suite's) as well as from a file.
    connection.ensure_connection()
    destination = sqlite3.connect(target)
    try:
        connection.connection.backup(destination)
        ok = _sqlite_quick_check(destination)
    finally:
        destination.close()
    if ok != "ok":
        raise BackupError(
            gettext("The copy failed its integrity check: %(result)s") % {"result": ok}
        )


def _sqlite_restore(source_path: Path):
    source = sqlite3.connect(f"{source_path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        ok = _sqlite_quick_check(source)
        if ok != "ok":
            raise BackupError(
                gettext("The backup file failed its integrity check: %(result)s") % {"result": ok}
            )
        connection.ensure_connection()
        # One step (pages=-1) under one lock: readers see the old database or the new one,
        # never a mix, and a failure leaves the old one in place.
        source.backup(connection.connection)
    finally:
        source.close()


def _sqlite_migrations(path: Path) -> list[str]:
    database = sqlite3.connect(path)
    try:
        rows = database.execute("SELECT app, name FROM django_migrations").fetchall()
    finally:
        database.close()
    return sorted(f"{app}.{name}" for app, name in rows)


def _sqlite_quick_check(database: sqlite3.Connection) -> str:
    # The schema's CHECK constraints use REGEXP, which Django registers on its own connections
    # only; quick_check evaluates them, so a plain connection needs it too.
    database.create_function("REGEXP", 2, _regexp, deterministic=True)
    return database.execute("PRAGMA quick_check").fetchone()[0]


def _regexp(pattern, value):
    return value is not None and re.search(pattern, str(value)) is not None


# --- PostgreSQL -----------------------------------------------------------------------------


def _pg_environment() -> dict:
    """libpq variables for pg_dump/pg_restore; the password never goes on a command line,
    where any local user could read it in the process list."""
    settings = connection.settings_dict
    environment = dict(os.environ)
    values = {
        "PGHOST": settings.get("HOST"),
        "PGPORT": settings.get("PORT"),
        "PGUSER": settings.get("USER"),
        "PGPASSWORD": settings.get("PASSWORD"),
        "PGDATABASE": settings.get("NAME"),
        "PGSSLMODE": settings.get("OPTIONS", {}).get("sslmode"),
    }
    # A restore waits for no lock held by a running site: it fails (and rolls back) instead.
    values["PGOPTIONS"] = f"{os.environ.get('PGOPTIONS', '')} -c lock_timeout=30s".strip()
    for name, value in values.items():
        environment.pop(name, None)
        if value not in (None, ""):
            environment[name] = str(value)
    return environment


def _pg_tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise BackupError(
            gettext(
                "%(tool)s was not found: install the PostgreSQL client programs "
                "(postgresql-client)."
            )
            % {"tool": name}
        )
    return found


def _pg_run(arguments: list[str]) -> str:
    result = subprocess.run(
        arguments, env=_pg_environment(), capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        tool = Path(arguments[0]).name
        raise BackupError(
            gettext("%(tool)s failed (exit code %(code)s): %(error)s")
            % {"tool": tool, "code": result.returncode, "error": result.stderr.strip()}
        )
    return result.stdout


def _pg_dump(target: Path):
    # pg_dump reads one snapshot, so the copy is consistent while the site writes.
    _pg_run([_pg_tool("pg_dump"), "--format=custom", f"--file={target}"])


def _pg_migrations(path: Path) -> list[str]:
    # pg_restore without --dbname prints the archive as SQL: the table's COPY block holds
    # one tab-separated row (id, app, name, applied) a line.
    output = _pg_run(
        [
            _pg_tool("pg_restore"),
            "--data-only",
            "--table=django_migrations",
            "--file=-",
            str(path),
        ]
    )
    migrations, inside = [], False
    for line in output.splitlines():
        if line.startswith("COPY ") and "django_migrations" in line:
            inside = True
        elif inside and line == "\\.":
            break
        elif inside:
            _id, app, name, *_rest = line.split("\t")
            migrations.append(f"{app}.{name}")
    return sorted(migrations)


def _pg_restore(source: Path):
    # --dbname is needed for pg_restore to restore into a database rather than print SQL; the
    # name alone carries no secret, libpq takes the rest from the environment.
    _pg_run(
        [
            _pg_tool("pg_restore"),
            "--clean",
            "--if-exists",
            "--no-owner",
            "--single-transaction",
            "--exit-on-error",
            f"--dbname={connection.settings_dict['NAME']}",
            str(source),
        ]
    )


# --- Helpers --------------------------------------------------------------------------------


def _code_migrations() -> set[str]:
    loader = MigrationLoader(None, ignore_no_migrations=True)
    return {f"{app}.{name}" for app, name in loader.disk_migrations}


def _manifest_read(path: Path) -> dict:
    location = manifest_path(path)
    if not location.is_file():
        raise BackupError(
            gettext(
                "No backup manifest at %(manifest)s: a manifest stays beside its backup file; "
                "a backup without one cannot be checked and is not restored."
            )
            % {"manifest": location}
        )
    try:
        manifest = json.loads(location.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise BackupError(
            gettext("The backup manifest %(manifest)s cannot be read: %(error)s")
            % {"manifest": location, "error": error}
        ) from error
    if not isinstance(manifest, dict) or manifest.get("format") != MANIFEST_FORMAT:
        raise BackupError(
            gettext("%(manifest)s is not a backup manifest of this system.")
            % {"manifest": location}
        )
    return manifest


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as file:
        for block in iter(lambda: file.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
