import pytest


@pytest.fixture(autouse=True)
def exports_in_private_media(private_media):
    """Every test here writes its exports under its own MEDIA_ROOT."""
    return private_media
