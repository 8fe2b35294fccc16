"""The bureau's first day: `setup_bureau --authority-name 长春市民政局 --region-code 220100
--code-prefix MJ --ledger-title … --supervisory-units 单位.xlsx --industry 养老 …`.
Without options it prints the current set-up."""

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from registry.bureau import bureau
from registry.models import District, Division, Industry, Street, SupervisoryUnit
from registry.services.bureau import bureau_profile_save, industries_add, supervisory_units_import


class Command(BaseCommand):
    help = (
        "Set the bureau's name, region code, credit-code series and ledger title, import its "
        "supervisory units and add industries; prints the set-up."
    )

    def add_arguments(self, parser):
        parser.add_argument("--authority-name", help="登记管理机关名称，如 长春市民政局")
        parser.add_argument("--region-code", help="行政区划代码，市局如 220100，省厅如 220000")
        parser.add_argument("--code-prefix", help="本局发放的组织机构代码前缀（R-REG-5），如 MJ")
        parser.add_argument("--ledger-title", help="党建工作台账的标题")
        parser.add_argument(
            "--supervisory-units",
            type=Path,
            help="业务主管单位表（.xlsx 或 .csv，一列“名称”，可选“是否民政部门”）",
        )
        parser.add_argument(
            "--industry", action="append", default=[], help="增加一个行业（可重复）"
        )

    def handle(self, *args, **options):
        changes = {
            field: options[option]
            for option, field in (
                ("authority_name", "authority_name"),
                ("region_code", "region_code"),
                ("code_prefix", "organization_code_prefix"),
                ("ledger_title", "ledger_title"),
            )
            if options[option] is not None
        }
        try:
            if changes:
                _profile, synced = bureau_profile_save(by=None, **changes)
                if synced is not None:
                    self.stdout.write(
                        f"已按新的行政区划代码载入区县 {synced.districts_created} 个、"
                        f"街道（乡镇）{synced.streets_created} 个。"
                    )
            if options["supervisory_units"]:
                units = supervisory_units_import(path=options["supervisory_units"], by=None)
                self.stdout.write(
                    f"业务主管单位：新增 {len(units.created)} 个，已有 {len(units.existing)} 个。"
                )
            if options["industry"]:
                added = industries_add(names=options["industry"], by=None)
                self.stdout.write(f"行业：新增 {len(added)} 个。")
        except ValidationError as error:
            raise CommandError("；".join(_messages(error))) from error
        except OSError as error:
            raise CommandError(f"无法读取 {error.filename}：{error.strerror}。") from error
        self._show()

    def _show(self):
        profile = bureau()
        region = Division.objects.filter(code=profile.region_code).first()
        write = self.stdout.write
        write(f"登记管理机关：{profile.authority_name}")
        write(f"行政区划：{profile.region_code} {region.name if region else '（代码表中没有）'}")
        write(
            f"信用代码号段：5 + 类型 + {profile.region_code} + "
            f"{profile.organization_code_prefix or '（无前缀）'} + 顺序号 + 校验码"
        )
        write(f"台账标题：{profile.ledger_title}")
        write(
            f"区县 {District.objects.count()} 个，街道（乡镇）{Street.objects.count()} 个，"
            f"业务主管单位 {SupervisoryUnit.objects.count()} 个，"
            f"行业 {Industry.objects.count()} 个。"
        )
        if profile.pk is None:
            write("（尚未保存，以上为配置文件中的默认值）")


def _messages(error: ValidationError) -> list[str]:
    if hasattr(error, "message_dict"):
        return [message for messages in error.message_dict.values() for message in messages]
    return list(error.messages)
