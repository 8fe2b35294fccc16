"""The seeded scoring schemes (R-EV-2): Party building worth 20 points before 2017, 50 from 2017
(the article: "将党建分值由20分大幅提高到50分"). Each organization type's tree sums to 1000."""

# Indicators are matched by these codes, never by their names (which a clerk may reword).
PARTY_BUILDING = "party_building"
PARTY_ORGANIZATION = "party_organization"  # coverage by a Party organization
CHARTER_CLAUSE = "charter_clause"  # the Party-building clause in the charter
PARTY_ACTIVITIES = "party_activities"
# (The codes are evaluation.choices.IndicatorCode's values, spelled out here because the
# migrations import this module and must not depend on the choices changing.)

# (code, name, max points, only for type, children (code, name, max points)) — the
# Party-building indicator is last.
SCHEMES = {
    2014: (
        "社会组织评估指标（2014版）",
        [
            ("basic_conditions", "基础条件", 80, "", []),
            ("internal_governance", "内部治理", 380, "", []),
            ("performance", "工作绩效", 370, "social_group", []),
            ("performance", "工作绩效", 370, "foundation", []),
            ("activities_and_integrity", "业务活动和诚信建设", 370, "private_non_enterprise", []),
            ("social_evaluation", "社会评价", 150, "", []),
            (
                PARTY_BUILDING,
                "党建工作",
                20,
                "",
                [
                    (PARTY_ORGANIZATION, "党组织建设", 8),
                    (CHARTER_CLAUSE, "党建工作写入章程", 4),
                    (PARTY_ACTIVITIES, "党组织活动", 8),
                ],
            ),
        ],
    ),
    2017: (
        "社会组织评估指标（2017版）",
        [
            ("basic_conditions", "基础条件", 80, "", []),
            ("internal_governance", "内部治理", 360, "", []),
            ("performance", "工作绩效", 360, "social_group", []),
            ("performance", "工作绩效", 360, "foundation", []),
            ("activities_and_integrity", "业务活动和诚信建设", 360, "private_non_enterprise", []),
            ("social_evaluation", "社会评价", 150, "", []),
            (
                PARTY_BUILDING,
                "党建工作",
                50,
                "",
                [
                    (PARTY_ORGANIZATION, "党组织建设", 20),
                    (CHARTER_CLAUSE, "党建工作写入章程", 10),
                    (PARTY_ACTIVITIES, "党组织活动", 20),
                ],
            ),
        ],
    ),
}


def codes_by_name() -> dict[str, str]:
    """The seeded indicators' codes by name, for migration 0004 (schemes seeded before codes)."""
    found = {}
    for _scheme_name, indicators in SCHEMES.values():
        for code, name, _points, _only_for, children in indicators:
            found[name] = code
            found.update((child_name, child_code) for child_code, child_name, _p in children)
    return found


def create_schemes(apps) -> None:
    """Idempotent."""
    Scheme = apps.get_model("evaluation", "Scheme")
    Indicator = apps.get_model("evaluation", "Indicator")
    # Migration 0002 runs this before Indicator had a code (0004 adds and fills it).
    has_code = any(field.name == "code" for field in Indicator._meta.fields)

    def coded(code: str) -> dict:
        return {"code": code} if has_code else {}

    for year, (name, indicators) in SCHEMES.items():
        scheme, created = Scheme.objects.get_or_create(year=year, defaults={"name": name})
        if not created:
            continue
        for position, (code, label, points, only_for, children) in enumerate(indicators):
            parent = Indicator.objects.create(
                scheme=scheme,
                name=label,
                max_points=points,
                organization_type=only_for,
                is_party_building=code == PARTY_BUILDING,
                position=position,
                **coded(code),
            )
            for child_position, (child_code, child, child_points) in enumerate(children):
                Indicator.objects.create(
                    scheme=scheme,
                    parent=parent,
                    name=child,
                    max_points=child_points,
                    is_party_building=True,
                    position=child_position,
                    **coded(child_code),
                )
