from .services import dispatches_end_for_founding, member_form_file


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


def file_member_form_on_registration(sender, *, organization, application=None, by=None, **kwargs):
    """R-REG-3: members created from the member form, the form filed in triplicate. Runs in the
    approval's transaction: if filing fails, the approval does not happen either."""
    if application is not None:
        member_form_file(organization=organization, application=application, by=by)
