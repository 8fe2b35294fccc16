"""The seeded scoring schemes (R-EV-2): Party building worth 20 points before 2017, 50 from 2017
(the article: "将党建分值由20分大幅提高到50分"). Each organization type's tree sums to 1000."""

# (name, max points, only for type, children) — the Party-building indicator is last.
SCHEMES = {
    2014: (
        "社会组织评估指标（2014版）",
        [
            ("基础条件", 80, "", []),
            ("内部治理", 380, "", []),
            ("工作绩效", 370, "social_group", []),
            ("工作绩效", 370, "foundation", []),
            ("业务活动和诚信建设", 370, "private_non_enterprise", []),
            ("社会评价", 150, "", []),
            ("党建工作", 20, "", [("党组织建设", 8), ("党建工作写入章程", 4), ("党组织活动", 8)]),
        ],
    ),
    2017: (
        "社会组织评估指标（2017版）",
        [
            ("基础条件", 80, "", []),
            ("内部治理", 360, "", []),
            ("工作绩效", 360, "social_group", []),
            ("工作绩效", 360, "foundation", []),
            ("业务活动和诚信建设", 360, "private_non_enterprise", []),
            ("社会评价", 150, "", []),
            (
                "党建工作",
                50,
                "",
                [("党组织建设", 20), ("党建工作写入章程", 10), ("党组织活动", 20)],
            ),
        ],
    ),
}
PARTY_BUILDING = "党建工作"


def create_schemes(apps) -> None:
    """Idempotent."""
    Scheme = apps.get_model("evaluation", "Scheme")
    Indicator = apps.get_model("evaluation", "Indicator")
    for year, (name, indicators) in SCHEMES.items():
        scheme, created = Scheme.objects.get_or_create(year=year, defaults={"name": name})
        if not created:
            continue
        for position, (label, points, only_for, children) in enumerate(indicators):
            parent = Indicator.objects.create(
                scheme=scheme,
                name=label,
                max_points=points,
                organization_type=only_for,
                is_party_building=label == PARTY_BUILDING,
                position=position,
            )
            for child_position, (child, child_points) in enumerate(children):
                Indicator.objects.create(
                    scheme=scheme,
                    parent=parent,
                    name=child,
                    max_points=child_points,
                    is_party_building=True,
                    position=child_position,
                )
