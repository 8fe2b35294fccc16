"""The backup and restore drill (issue 8, data safety) on whichever database the suite runs."""

import json
import shutil
import sqlite3

import pytest
from django.apps import apps
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from core.backups import manifest_path
from partybuilding.models import PartyMember
from registry.models import Organization
from tests.factories import OrganizationFactory, add_members, found_party_organization

# Transactional: pg_dump and pg_restore are other processes and see only committed rows.
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def fresh_install(reference_data):
    """Each drill starts like a fresh install (see tests/conftest.py)."""


@pytest.fixture(autouse=True)
def postgresql_tools():
    if connection.vendor == "postgresql":
        for tool in ("pg_dump", "pg_restore"):
            if shutil.which(tool) is None:
                pytest.skip(f"{tool} is not on PATH; install postgresql-client to run the drill")


def every_row():
    """Every row of every table the project's models map, by table, in primary-key order."""
    rows = {}
    for model in apps.get_models(include_auto_created=True):
        if model._meta.managed and not model._meta.proxy:
            rows[model._meta.db_table] = list(model.objects.order_by("pk").values_list())
    return rows


def backup(path):
    call_command("backup", str(path), verbosity=0)


def restore(path, **options):
    call_command("restore", str(path), "--noinput", **{"verbosity": 0, **options})


@pytest.fixture
def registry_data():
    first, second = OrganizationFactory.create_batch(2)
    add_members(first, 3)
    add_members(second, 2)
    found_party_organization(first)
    return first, second


def test_drill_restores_every_record_as_it_was(registry_data, tmp_path, capsys):
    first, second = registry_data
    before = every_row()
    assert len(before[Organization._meta.db_table]) == 2
    assert len(before[PartyMember._meta.db_table]) == 5

    call_command("backup", str(tmp_path / "nightly.backup"))
    assert "已备份" in capsys.readouterr().out

    Organization.objects.filter(pk=first.pk).update(name="改名后的社会组织")
    PartyMember.objects.filter(organization=second).first().delete()
    added = OrganizationFactory(name="备份之后新增的社会组织")
    assert every_row() != before

    call_command("restore", str(tmp_path / "nightly.backup"), "--noinput")
    assert "已从" in capsys.readouterr().out

    assert every_row() == before
    assert Organization.objects.get(pk=first.pk).name == first.name
    assert not Organization.objects.filter(pk=added.pk).exists()
    # The restored database stays usable for whatever runs next.
    OrganizationFactory(name="恢复之后新增的社会组织")
    assert Organization.objects.count() == 3


def test_manifest_records_time_vendor_and_migrations(tmp_path):
    backup(tmp_path / "db.backup")
    manifest = json.loads(manifest_path(tmp_path / "db.backup").read_text(encoding="utf-8"))
    assert manifest["vendor"] == connection.vendor
    assert manifest["created_at"]
    assert "registry.0001_initial" in manifest["migrations"]


def test_backup_does_not_overwrite_without_force(tmp_path):
    backup(tmp_path / "db.backup")
    with pytest.raises(CommandError, match="已存在"):
        backup(tmp_path / "db.backup")
    call_command("backup", str(tmp_path / "db.backup"), "--force", verbosity=0)


@pytest.fixture
def backed_up(tmp_path):
    """A real backup, then a row added after it: a refused restore must leave that row."""
    path = tmp_path / "db.backup"
    backup(path)
    later = OrganizationFactory(name="备份之后新增的社会组织")
    return path, later


def assert_untouched(later):
    assert Organization.objects.filter(pk=later.pk).exists()


def test_restore_refuses_a_file_that_is_not_a_backup(backed_up, tmp_path):
    _path, later = backed_up
    other = tmp_path / "notes.txt"
    other.write_text("这不是备份", encoding="utf-8")
    with pytest.raises(CommandError, match="不是本系统的数据库备份"):
        restore(other)
    assert_untouched(later)


def test_restore_refuses_a_backup_of_the_other_database_kind(backed_up, tmp_path):
    _path, later = backed_up
    other = tmp_path / "other.backup"
    if connection.vendor == "sqlite":
        other.write_bytes(b"PGDMP\x01\x0e\x00" + bytes(64))
        expected = "是 PostgreSQL 数据库的备份，当前配置的是 SQLite"
    else:
        database = sqlite3.connect(other)
        database.execute("CREATE TABLE t (x)")
        database.commit()
        database.close()
        expected = "是 SQLite 数据库的备份，当前配置的是 PostgreSQL"
    with pytest.raises(CommandError, match=expected):
        restore(other)
    assert_untouched(later)


def test_restore_refuses_a_backup_newer_than_the_code(backed_up):
    path, later = backed_up
    location = manifest_path(path)
    manifest = json.loads(location.read_text(encoding="utf-8"))
    manifest["migrations"].append("registry.9999_from_a_later_release")
    location.write_text(json.dumps(manifest), encoding="utf-8")
    with pytest.raises(CommandError, match="更新版本.*registry.9999_from_a_later_release"):
        restore(path)
    assert_untouched(later)


def test_restore_of_an_older_backup_says_to_migrate(backed_up, capsys):
    path, later = backed_up
    location = manifest_path(path)
    manifest = json.loads(location.read_text(encoding="utf-8"))
    manifest["migrations"].remove("registry.0001_initial")
    location.write_text(json.dumps(manifest), encoding="utf-8")
    restore(path, verbosity=1)
    assert "python manage.py migrate" in capsys.readouterr().out
    assert not Organization.objects.filter(pk=later.pk).exists()


def test_restore_refuses_a_damaged_backup(backed_up):
    path, later = backed_up
    with open(path, "ab") as file:
        file.write(b"\x00")
    with pytest.raises(CommandError, match="校验值不符"):
        restore(path)
    assert_untouched(later)


def test_restore_refuses_a_backup_without_its_manifest(backed_up):
    path, later = backed_up
    manifest_path(path).unlink()
    with pytest.raises(CommandError, match="找不到备份清单"):
        restore(path)
    assert_untouched(later)


def test_restore_asks_first_and_stops_unless_told_yes(backed_up, monkeypatch):
    path, later = backed_up
    monkeypatch.setattr("builtins.input", lambda prompt: "no")
    with pytest.raises(CommandError, match="已取消"):
        call_command("restore", str(path), verbosity=0)
    assert_untouched(later)

    monkeypatch.setattr("builtins.input", lambda prompt: "yes")
    call_command("restore", str(path), verbosity=0)
    assert not Organization.objects.filter(pk=later.pk).exists()
