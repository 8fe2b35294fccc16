from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand
from django.db import transaction

from accounts import roles
from accounts.models import User
from accounts.services import organization_user_ensure, password_generate, user_ensure
from demo import orgdata
from demo.annualcheck_demo import seed_annual_checks
from demo.certificates_demo import seed_certificates
from demo.changes_demo import seed_changes
from demo.credit_demo import seed_credit
from demo.deregistration_demo import seed_deregistration
from demo.evaluation_demo import seed_evaluations
from demo.partybuilding_demo import seed_party_building
from demo.registration_demo import APPROVED_KEY, applicant_usernames, seed_registration
from demo.registry_demo import seed_registry
from partybuilding.coverage.selectors import coverage_figures
from partybuilding.standings.services import standings_refresh
from registry.models import Organization, SupervisoryUnit

STAFF_USERS = [
    # username, role, display name, supervisory unit (by orgdata key)
    ("clerk", roles.CLERK, "民间组织管理局 登记科 王丽", None),
    ("supervisor", roles.SUPERVISORY_UNIT, "养老服务处 张强", "elderly_services"),
    ("supervisor_sw", roles.SUPERVISORY_UNIT, "社会工作处 刘敏", "social_work"),
    ("supervisor_community", roles.SUPERVISORY_UNIT, "基层政权和社区建设处 李军", "community"),
    ("supervisor_affairs", roles.SUPERVISORY_UNIT, "社会事务处 周红", "affairs"),
    ("supervisor_civil_org", roles.SUPERVISORY_UNIT, "民间组织管理局 业务科 孙涛", "civil_org"),
    ("committee", roles.COMMITTEE, "非公和社会组织党工委 陈静", None),
    # 三员分立: the three administrators who replace the superuser after installation.
    ("sysadmin", roles.SYSTEM_ADMIN, "信息中心 系统管理员 赵磊", None),
    ("secadmin", roles.SECURITY_ADMIN, "信息中心 安全管理员 钱芳", None),
    ("auditadmin", roles.AUDIT_ADMIN, "机关纪委 审计管理员 吴刚", None),
]


def mark_demo_accounts(organizations: dict) -> None:
    """Everyone seeded shares a printed password: each must change it at the next login, except
    while the site runs in demo mode (accounts.policy.demo_exempt), which is what demo_account
    is for."""
    usernames = [
        *(username for username, _role, _name, _unit in STAFF_USERS),
        *applicant_usernames(),
        *(organization.credit_code for organization in organizations.values()),
    ]
    User.objects.filter(username__in=usernames).update(
        demo_account=True, password_change_required=True
    )


class Command(BaseCommand):
    help = "Load the Changchun demo (domain.md §5) and its users. Safe to run again."

    def add_arguments(self, parser):
        parser.add_argument(
            "--password",
            help="Password for every demo user; without it one is generated and printed.",
        )

    def handle(self, *args, password=None, **options):
        password = password or password_generate()
        encoded = make_password(password)  # hashed once: 75 accounts share it
        with transaction.atomic():
            staff = {}
            for username, role, display_name, unit_key in STAFF_USERS:
                unit = None
                if unit_key:
                    unit_name = next(
                        u["name"] for u in orgdata.SUPERVISORY_UNITS if u["key"] == unit_key
                    )
                    unit = SupervisoryUnit.objects.get_or_create(
                        name=unit_name, defaults={"is_civil_affairs": True}
                    )[0]
                staff[username], _created = user_ensure(
                    username=username,
                    role=role,
                    encoded_password=encoded,
                    display_name=display_name,
                    supervisory_unit=unit,
                    how="seed_demo",
                )
            organizations = seed_registry(by=staff["clerk"], skip={APPROVED_KEY})
            organizations = seed_registration(
                organizations=organizations, staff=staff, encoded_password=encoded
            )
            seed_certificates(organizations=organizations, by=staff["clerk"])
            seed_party_building(organizations=organizations, by=staff["clerk"])
            reporters = {
                key: organization_user_ensure(
                    organization=organization, encoded_password=encoded, how="seed_demo"
                )[0]
                for key, organization in organizations.items()
            }
            staff["units"] = {
                user.supervisory_unit_id: user
                for user in staff.values()
                if getattr(user, "supervisory_unit_id", None)
            }
            seed_annual_checks(organizations=organizations, staff=staff, reporters=reporters)
            seed_evaluations(organizations=organizations, staff=staff, reporters=reporters)
            changes = seed_changes(organizations=organizations, staff=staff, reporters=reporters)
            deregistered, made = seed_deregistration(staff=staff, encoded_password=encoded)
            # The changes and the deregistration were written "on" their days of 2018: their
            # organizations' stored figures are put back to today's (R-DEREG-8 keeps the
            # deregistered one out of them).
            touched = [change.organization_id for change in changes]
            if made:
                touched.append(deregistered.pk)
            if touched:
                standings_refresh(touched)
            seed_credit(staff=staff, reporters=reporters)
            # Not one of the article's 71: its account is a demo account all the same.
            mark_demo_accounts({**organizations, "deregistered": deregistered})

        self._print_logins(password, organizations)

    def _print_logins(self, password, organizations):
        write = self.stdout.write
        write(self.style.SUCCESS(f"演示数据已就绪：{len(organizations)} 家局管社会组织。"))
        write("工作人员登录 http://127.0.0.1:8000/admin/")
        for username, _role, display_name, _unit in STAFF_USERS:
            write(f"  {username:<15} {display_name}")
        example = organizations[orgdata.ZHIAI_HOME_CARE]
        write("社会组织登录 http://127.0.0.1:8000/portal/ （用户名为统一社会信用代码）")
        write(f"  {example.credit_code}  {example.name}")
        write("登记申请人登录 http://127.0.0.1:8000/portal/ （用户名 applicant，申请已被退回修改）")
        write(f"所有演示账号的密码：{password}")
        write(
            "演示模式（make run）下演示账号无须修改密码、无须设置双因素认证；"
            "其他环境中首次登录须先修改密码，工作人员还须设置双因素认证。"
        )
        pb = coverage_figures(Organization.objects.filter(bureau_managed=True))
        modes = pb["by_formation_mode"]
        write(
            f"党建：符合党建条件 {pb['eligible']} 家，党组织 {pb['party_organizations']} 个"
            f"（单独组建 {modes['standalone']}、联合组建 {modes['joint']}、"
            f"派驻帮建后组建 {modes['dispatched']}），应建未建 {pb['should_build_not_built']} 家，"
            f"派驻帮建 {pb['open_dispatches']} 家。"
        )
