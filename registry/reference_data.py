"""Reference data every bureau starts with: the article's lines of civil-affairs work and the
default Party-building body. Used by the data migration and by tests that flush the database."""

INDUSTRIES = [
    ("elderly_care", "养老", 10),
    ("social_work", "社工", 20),
    ("community", "社区", 30),
    ("affairs", "事务", 40),
    ("civil_org_management", "民管", 50),
    ("hub", "枢纽型", 60),
    ("other", "其他", 90),
]
DEFAULT_BODY = "非公和社会组织党工委"


def create_reference_data(apps) -> None:
    """Idempotent. `apps` is the migration's app registry, or django.apps.apps."""
    Industry = apps.get_model("registry", "Industry")
    PartyBuildingBody = apps.get_model("registry", "PartyBuildingBody")
    for code, name, sort_order in INDUSTRIES:
        Industry.objects.get_or_create(code=code, defaults={"name": name, "sort_order": sort_order})
    if not PartyBuildingBody.objects.filter(is_default=True).exists():
        PartyBuildingBody.objects.get_or_create(name=DEFAULT_BODY, defaults={"is_default": True})
