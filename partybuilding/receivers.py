from .services import dispatches_end_for_founding


def end_dispatches_on_founding(
    sender, *, party_organization, organizations, founded_on, by, **kwargs
):
    """R-PB-11: "待组建完毕派驻支部和指导员撤销" — founding ends the open dispatch that day."""
    dispatches_end_for_founding(
        organizations=organizations,
        party_organization=party_organization,
        ended_on=founded_on,
        by=by,
    )
