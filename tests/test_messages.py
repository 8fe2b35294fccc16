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
from pathlib import Path

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

# Modules whose Chinese is data, not messages: the reference lists the bureau publishes (names
# of districts and streets, industries, the charter template and its clauses, the evaluation
# schemes' indicator names) and the demo app (invented organizations, people, opinions and
# remarks, and its commands' bilingual console output for developers). Text from these modules
# reaches users as records, the way a name typed by a clerk does; it is not translated.
DATA_PREFIXES = (
    "registry/reference_data.py",
    "registry/divisions.py",
    "evaluation/reference_data.py",
    "demo/",
)

# Single literals that are data inside modules of messages, each with its reason.
DATA_LITERALS = {
    # The words in a unit's name that make it the civil-affairs bureau's own (R-REG-5's
    # bureau-managed organizations): read from data, never shown.
    "registry/rules.py": {"民政", "民间组织管理局"},
    # The groups' names as stored in the database: the language shown must not rename them.
    "accounts/roles.py": {
        "登记管理机关",
        "业务主管单位",
        "非公和社会组织党工委",
        "社会组织",
        "登记申请人",
        "系统管理员",
        "安全管理员",
        "审计管理员",
    },
    # Words read from the bureau's own spreadsheet of supervisory units (its headers, its
    # yes, the names that mark the civil-affairs department).
    "registry/services/bureau.py": {
        "是",
        "名称",
        "业务主管单位",
        "业务主管单位名称",
        "单位名称",
        "是否民政部门",
        "民政部门",
        "局管",
    },
    # The bureau's charter template writes its fill-in instructions as （请…）.
    "registry/services/registration.py": {"[（(]请[^（）()]*[）)]"},
    # The first line of the bureau's charter or pledge text ends so when it is a title.
    "portal/print_views.py": {"章程", "承诺书"},
    # The ledger import's file format: the headers it reads from a sheet (the member sheet's,
    # and the address columns a clerk's sheet may add), the labels a clerk types in a cell
    # (organization types, member statuses, roles and relationships, sexes, the ways to write
    # "no supervisory unit"), the units typed after a number (12人) and the Chinese date
    # spellings (2014年4月15日). They are what a file says, in any language the page is shown in.
    "partybuilding/ledger_import/cells.py": {
        # headers
        "住所",
        "地址",
        "所在社会组织统一社会信用代码",
        "姓名",
        "身份证号",
        "党员类别",
        "人员类型",
        "组织关系",
        "证明信日期",
        "入党日期",
        "性别",
        "联系电话",
        "转正日期",
        # labels typed in cells
        "社会团体",
        "民办非企业单位",
        "社会服务机构",
        "民办非企业单位（社会服务机构）",
        "民非",
        "基金会",
        "正式党员",
        "正式",
        "预备党员",
        "预备",
        "专职",
        "专职人员",
        "专职工作人员",
        "兼职",
        "兼职人员",
        "兼职工作人员",
        "服务对象",
        "志愿者",
        "已转入",
        "组织关系已转入",
        "流动党员",
        "未转接",
        "在其他单位",
        "关系在外",
        "男",
        "女",
        "无",
        "直接登记",
        # units after a count, and the date patterns
        "人",
        "名",
        r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?"
        r"(?:\s*T?\s*\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?",
        r"(\d{4})\s*(?:年\s*(\d{1,2})\s*月?|[-/.]\s*(\d{1,2}))",
    },
    # The ledger workbook's sheet name and column headers: the import finds the sheet and reads
    # the columns back by them, so a ledger exported in one language imports in any other.
    "partybuilding/exports.py": {
        "党建工作台账",
        "序号",
        "社会组织名称",
        "统一社会信用代码",
        "组织类型",
        "行业类别",
        "业务主管单位",
        "法定代表人",
        "联系人",
        "联系电话",
        "所属区",
        "所属街道",
        "专职人员数",
        "成立日期",
        "登记日期",
        "正式党员数",
        "预备党员数",
        "计入党建条件党员数",
        "党组织名称",
        "组建方式",
        "党建指导员",
        "党建状态",
        "组织覆盖",
        "工作覆盖",
        "提示",
    },
    # Defaults of settings each bureau sets for itself (its name, its ledger's title).
    "config/settings/base.py": {"长春市民政局", "长春市民政局局管社会组织党建工作台账"},
    # English messages for the operator naming a section of the (Chinese) README.
    "config/settings/production.py": {
        "DJANGO_AUDIT_CHAIN_KEY must be set to a random string of 32+ characters, kept apart "
        "from the database's backups (README: 审计日志)",
        "DJANGO_ID_NUMBER_KEYS (Fernet keys, comma-separated) and DJANGO_ID_NUMBER_HASH_KEY (a "
        "random string of 32+ characters) must be set (README: 身份证号密钥轮换)",
    },
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


def _command_help(tree: ast.AST) -> set[int]:
    """A management command's help (`help = …`, `help=` of an argument): English for the
    operator, glossing a term with the Chinese it documents (台账, 年检结果)."""
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and any(
            isinstance(target, ast.Name) and target.id == "help" for target in node.targets
        ):
            found.add(id(node.value))
        elif isinstance(node, ast.keyword) and node.arg == "help":
            found.add(id(node.value))
    return found


def chinese_literals(source: str) -> list[tuple[int, str]]:
    """(line, text) of every Chinese string literal outside a gettext call, a docstring and a
    command's help."""
    tree = ast.parse(source)
    exempt = _docstrings(tree) | _command_help(tree)
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


def test_a_command_help_is_not_counted():
    source = (
        'class C:\n    help = "台账"\n\nparser.add_argument("p", help="台账.xlsx")\nx = "台账"\n'
    )
    assert chinese_literals(source) == [(5, "台账")]


def test_an_f_string_in_chinese_is_counted():
    assert chinese_literals('x = f"第{n}步"\n') == [(1, "第"), (1, "步")]


def _messages_modules():
    for _app, relative, path in project_modules():
        if relative.startswith(DATA_PREFIXES):
            continue
        yield relative, path


def test_no_chinese_literal_outside_gettext():
    found = [
        f"{relative}:{line} {text!r}"
        for relative, path in _messages_modules()
        for line, text in chinese_literals(path.read_text(encoding="utf-8"))
        if text not in DATA_LITERALS.get(relative, ())
    ]
    assert found == [], "Chinese outside gettext: an English msgid and a .po entry, please"


def test_the_allowlists_name_what_is_there():
    modules = {relative for _app, relative, _path in project_modules()}
    for prefix in DATA_PREFIXES:
        assert any(module.startswith(prefix) for module in modules), prefix
    for relative, literals in DATA_LITERALS.items():
        path = next(path for _app, module, path in project_modules() if module == relative)
        present = {text for _line, text in chinese_literals(path.read_text(encoding="utf-8"))}
        assert literals <= present, f"{relative}: {sorted(literals - present)} no longer there"


# Templates --------------------------------------------------------------------------------

TEMPLATE_ROOT = Path(__file__).resolve().parent.parent / "templates"
TRANSLATED_IN_TEMPLATE = re.compile(
    r"\{%\s*comment\b.*?%\}.*?\{%\s*endcomment\s*%\}"
    r"|\{#.*?#\}"
    r"|\{%\s*blocktrans(?:late)?\b.*?%\}.*?\{%\s*endblocktrans(?:late)?\s*%\}"
    r"|\{%\s*trans(?:late)?\b.*?%\}"
    r"|\b_\(\s*(?:\"[^\"]*\"|'[^']*')\s*\)",
    re.DOTALL,
)

# Printed official documents: they reproduce forms whose wording the bureau fixes (like the
# charter template, which is data), so their Chinese is the form's own text (titles, field
# names, the form's notes, the stamp and signature lines), the same in any language the portal
# is shown in. The chrome around the sheet (the print button, the hint about A4 paper) goes
# through translate like any page. Each is named with the document it prints.
DATA_TEMPLATES = {
    # 社会组织年度检查报告书, the annual-check report the organization prints, signs and stamps.
    # (Its on-screen summary, portal/annual_check/_report.html, is a page and is translated.)
    "portal/annual_check/print.html",
    # 新建社会组织党员情况表, the member form of a registration application.
    "portal/print/member_form.html",
    # 注销登记通知书 / 撤销登记决定书, the notice the registration authority stamps (R-DEREG-6/9).
    "registry/print/deregistration_notice.html",
    # 社会组织党建工作承诺书, the pledge signed with a registration application.
    "portal/print/pledge.html",
    # 社会组织变更登记申请表 / 社会组织章程核准表, with the new legal representative's pledge or the
    # amended charter (R-CHG-1..7).
    "portal/print/change.html",
    # 社会团体/民办非企业单位/基金会法人登记证书, the certificate itself (R-CERT-2): the state's
    # wording of the printed certificate, whatever language the clerk's browser asks for.
    "registry/certificate/print.html",
}


def chinese_in_template(text: str) -> list[tuple[int, str]]:
    """(line, text) of every run of Chinese outside translate, blocktranslate, _("…") and
    comments."""
    blanked = TRANSLATED_IN_TEMPLATE.sub(lambda m: re.sub(r"[^\n]", " ", m.group()), text)
    return [
        (blanked.count("\n", 0, run.start()) + 1, run.group())
        for run in re.finditer(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]+", blanked)
        if CJK.search(run.group())
    ]


def test_translated_template_text_is_not_counted():
    text = (
        '{% translate "x" %}{# 注释 #}{% comment %}\n说明{% endcomment %}'
        '{% blocktranslate %}中文{% endblocktranslate %}{{ v|default:_("空") }}\n直接'
    )
    assert chinese_in_template(text) == [(3, "直接")]


def test_no_chinese_in_a_template_outside_translate():
    found = [
        f"{relative}:{line} {run}"
        for path in sorted(TEMPLATE_ROOT.rglob("*.html"))
        if (relative := path.relative_to(TEMPLATE_ROOT).as_posix()) not in DATA_TEMPLATES
        for line, run in chinese_in_template(path.read_text(encoding="utf-8"))
    ]
    assert found == [], "Chinese outside translate: an English msgid and a .po entry, please"


def test_the_data_templates_are_there():
    for relative in DATA_TEMPLATES:
        assert (TEMPLATE_ROOT / relative).is_file(), relative
