"""The shape of the code (issue 14, docs/architecture.md): the apps in layers, each importing
only from its own app and the apps below it, and no module too long to read.

Imports are read from the source (an AST walk of every module but the migrations), so an
import inside a function counts as much as one at the top: both are arrows between apps."""

import ast
from pathlib import Path

from django.conf import settings

# Lowest first. A module may import from its own app and from the apps before it, never from
# one after it; `core` imports no app at all. An upward call goes through a signal the lower
# app defines, connected in the upper app's AppConfig.ready().
LAYERS = (
    "core",
    "audit",
    "accounts",
    "notifications",
    "registry",
    "exports",
    "partybuilding",
    "annualcheck",
    "credit",
    "evaluation",
    "disclosure",
    "sharing",
    "portal",
    "demo",
    "config",
)

MAX_MODULE_LINES = 500

def project_modules():
    base = Path(settings.BASE_DIR)
    for app in LAYERS:
        for path in sorted((base / app).rglob("*.py")):
            if "migrations" not in path.relative_to(base).parts:
                yield app, path.relative_to(base).as_posix(), path


def imported_apps(path: Path):
    """(line, module) of every absolute import of a project app in the module at `path`."""
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module]
        elif isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        else:
            continue
        for name in names:
            if name.split(".")[0] in LAYERS:
                yield node.lineno, name


def arrows() -> list[tuple[str, str, str]]:
    """(importing app, imported app, where) for every import of one app by another."""
    found = []
    for app, relative, path in project_modules():
        for line, name in imported_apps(path):
            target = name.split(".")[0]
            if target != app:
                found.append((app, target, f"{relative}:{line} {name}"))
    return found


def test_no_app_imports_an_app_above_it():
    upward = [
        where
        for app, target, where in arrows()
        if app == "core" or LAYERS.index(target) > LAYERS.index(app)
    ]
    assert upward == [], "imports running up the layers (docs/architecture.md)"


def test_the_layers_name_every_app_of_the_project():
    """A new app must take its place in LAYERS, or the test above would not read it."""
    project = {
        app.split(".")[0]
        for app in settings.INSTALLED_APPS
        if (Path(settings.BASE_DIR) / app.split(".")[0]).is_dir()
    }
    assert project == set(LAYERS)


def test_no_module_is_over_500_lines():
    long = {
        relative
        for _app, relative, path in project_modules()
        if len(path.read_text(encoding="utf-8").splitlines()) > MAX_MODULE_LINES
    }
    assert sorted(long) == []
