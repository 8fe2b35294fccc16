"""Messages through gettext everywhere (issue 14 point 5).

Every Chinese word a user reads comes from the translation catalogue
(locale/zh_Hans/LC_MESSAGES/django.po), with an English msgid in the code: a Chinese string
literal in a module is either the argument of a gettext call or a module of data and prose
named in the allowlist below. Docstrings are exempt (no user reads them); comments are not
in the syntax tree.

Read from the source (an AST walk of every module but the migrations), like
test_architecture.py, so a literal in a rarely run branch is caught as surely as a common one."""

import ast
import re

from tests.test_architecture import project_modules

GETTEXT_CALLS = {
    "_",
    "gettext",
    "gettext_lazy",
    "gettext_noop",
    "ngettext",
    "ngettext_lazy",
    "pgettext",
    "pgettext_lazy",
    "npgettext",
    "npgettext_lazy",
}
CJK = re.compile(r"[\u3400-\u9fff]")

# Modules whose Chinese is data, not messages: the reference lists and model text the bureau
# publishes (names of districts, industries, the charter template and its clauses), the demo
# and scale data generators (invented organizations and people), whose Chinese is the data
# itself. Text from these modules reaches users as records, the way a name typed by a clerk
# does; translating it would make no sense.
DATA_MODULES = {
    "registry/reference_data.py",
    "registry/divisions.py",
    "evaluation/reference_data.py",
    "demo/orgdata.py",
    "demo/scale/vocabulary.py",
}

# TEMPORARY (issue 14): modules other engineers are moving on their own branches; their
# Chinese literals go through gettext when the move lands. Do not add to this list.
BEING_MOVED = {
    "partybuilding/selectors.py",
    "partybuilding/admin.py",
    "partybuilding/imports.py",
}


def _call_name(node: ast.Call) -> str:
    func = node.func
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return ""


def _docstrings(tree: ast.AST) -> set[int]:
    found = set()
    for node in ast.walk(tree):
        if (
            isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef))
            and node.body
        ):
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                found.add(id(first.value))
    return found


def chinese_literals(source: str) -> list[tuple[int, str]]:
    """(line, text) of every Chinese string literal outside a gettext call and a docstring."""
    tree = ast.parse(source)
    exempt = _docstrings(tree)
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and _call_name(node) in GETTEXT_CALLS:
            for argument in [*node.args, *(k.value for k in node.keywords)]:
                exempt.update(id(inner) for inner in ast.walk(argument))
    return [
        (node.lineno, node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and CJK.search(node.value)
        and id(node) not in exempt
    ]


def test_a_gettext_argument_and_a_docstring_are_not_counted():
    source = 'def f():\n    "说明。"\n    return _("x") + gettext("中文") + "直接"\n'
    assert chinese_literals(source) == [(3, "直接")]


def test_an_f_string_in_chinese_is_counted():
    assert chinese_literals('x = f"第{n}步"\n') == [(1, "第"), (1, "步")]


def test_no_chinese_literal_outside_gettext():
    allowed = DATA_MODULES | BEING_MOVED
    found = [
        f"{relative}:{line} {text!r}"
        for _app, relative, path in project_modules()
        if relative not in allowed
        for line, text in chinese_literals(path.read_text(encoding="utf-8"))
    ]
    assert found == [], "Chinese outside gettext: an English msgid and a .po entry, please"


def test_the_allowlists_name_existing_modules():
    modules = {relative for _app, relative, _path in project_modules()}
    assert (DATA_MODULES | BEING_MOVED) - modules == set()
