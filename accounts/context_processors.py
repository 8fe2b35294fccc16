from .access import can_import, can_read_party_building


def access(request):
    """Flags templates use to offer links; the views check the same functions again."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "can_read_party_building": can_read_party_building(user),
        "can_import": can_import(user),
    }
