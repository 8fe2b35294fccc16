"""The bureau's first day: `setup_bureau --authority-name 长春市民政局 --region-code 220100
--code-prefix MJ --ledger-title … --supervisory-units 单位.xlsx --industry 养老 …`.
Without options it prints the current set-up."""

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext

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
                        gettext(
                            "Loaded %(districts)s districts and %(streets)s streets (townships) "
                            "of the new region code."
                        )
                        % {
                            "districts": synced.districts_created,
                            "streets": synced.streets_created,
                        }
                    )
            if options["supervisory_units"]:
                units = supervisory_units_import(path=options["supervisory_units"], by=None)
                self.stdout.write(
                    gettext("Supervisory units: %(created)s added, %(existing)s there already.")
                    % {"created": len(units.created), "existing": len(units.existing)}
                )
            if options["industry"]:
                added = industries_add(names=options["industry"], by=None)
                self.stdout.write(gettext("Industries: %(count)s added.") % {"count": len(added)})
        except ValidationError as error:
            raise CommandError("；".join(_messages(error))) from error
        except OSError as error:
            raise CommandError(
                gettext("Cannot read %(file)s: %(error)s.")
                % {"file": error.filename, "error": error.strerror}
            ) from error
        self._show()

    def _show(self):
        profile = bureau()
        region = Division.objects.filter(code=profile.region_code).first()
        write = self.stdout.write
        region_name = region.name if region else gettext("(not in the code table)")
        prefix = profile.organization_code_prefix or gettext("(no prefix)")
        write(gettext("Registration authority: %(name)s") % {"name": profile.authority_name})
        write(
            gettext("Region: %(code)s %(name)s")
            % {"code": profile.region_code, "name": region_name}
        )
        write(
            gettext(
                "Credit code series: 5 + type + %(region)s + %(prefix)s + sequence + check "
                "character"
            )
            % {"region": profile.region_code, "prefix": prefix}
        )
        write(gettext("Ledger title: %(title)s") % {"title": profile.ledger_title})
        write(
            gettext(
                "%(districts)s districts, %(streets)s streets (townships), %(units)s supervisory "
                "units, %(industries)s industries."
            )
            % {
                "districts": District.objects.count(),
                "streets": Street.objects.count(),
                "units": SupervisoryUnit.objects.count(),
                "industries": Industry.objects.count(),
            }
        )
        if profile.pk is None:
            write(gettext("(Not saved yet: the above are the defaults of the settings.)"))


def _messages(error: ValidationError) -> list[str]:
    if hasattr(error, "message_dict"):
        return [message for messages in error.message_dict.values() for message in messages]
    return list(error.messages)
