"""Password policy (issue 8): character classes, nothing like the account, initial passwords
replaced at the first login, demo accounts exempt only in demo mode."""

import pytest
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import translation

from accounts import roles
from accounts.forms import IssuedPasswordForm, IssuedUserCreationForm
from accounts.models import User
from accounts.services import (
    organization_user_ensure,
    password_generate,
    password_set,
    user_ensure,
)
from accounts.validators import AccountSimilarityValidator, CharacterClassesValidator
from tests.factories import OrganizationFactory, SupervisoryUnitFactory, make_user

pytestmark = pytest.mark.django_db
ISSUED = "Issued-pass-2018"
CHOSEN = "My-own-choice-77"


def refusal(password, user=None) -> list[str]:
    try:
        password_validation.validate_password(password, user)
    except ValidationError as error:
        return [e.code for e in error.error_list]
    return []


# --- Validators --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "password, classes_ok",
    [
        ("alllowercase", False),  # one class
        ("lowercase2018", False),  # two: lower, digit
        ("UPPERCASE-ONLY", False),  # two: upper, symbol
        ("Lowercase2018", True),  # upper, lower, digit
        ("lowercase-2018", True),  # lower, symbol, digit
        ("UPPER-lower", True),  # upper, symbol, lower
        ("Aa1-Aa1-Aa1", True),  # all four
    ],
)
def test_three_of_four_character_classes(password, classes_ok):
    validator = CharacterClassesValidator(min_classes=3)
    if classes_ok:
        validator.validate(password)
    else:
        with pytest.raises(ValidationError) as refused:
            validator.validate(password)
        assert refused.value.error_list[0].code == "password_too_uniform"
    assert ("password_too_uniform" in refusal(password)) is not classes_ok


def test_the_length_rule_stays():
    assert "password_too_short" in refusal("Ab1-short")
    assert refusal("Ab1-longer") == []


def test_a_password_containing_the_username_is_refused_whatever_the_case():
    user = make_user(roles.CLERK, username="wangli")
    assert refusal("xWANGLI-2018!", user) == ["password_too_similar"]
    assert refusal("Spring-harvest-42", user) == []


def test_a_password_resembling_the_username_is_refused():
    user = make_user(roles.CLERK, username="registrar-desk")
    # Not contained (one letter differs) but close: difflib's ratio is above 0.7.
    assert refusal("Registrar-dsk1", user) == ["password_too_similar"]


def test_the_display_name_counts():
    user = make_user(roles.CLERK, username="clerk-dn")
    user.first_name = "Zhang Xiaoming"
    assert refusal("xiaoming-2018A", user) == ["password_too_similar"]


def test_an_organization_users_credit_code_and_organization_name_count():
    organization = OrganizationFactory(name="长春市夕阳红养老服务中心")
    user, _created = organization_user_ensure(organization=organization, password=ISSUED)
    assert refusal(organization.credit_code.lower() + "-x", user) == ["password_too_similar"]
    assert refusal("Aa1-夕阳红养老服务中心", user) == ["password_too_similar"]
    assert refusal("Autumn-leaves-19", user) == []


def test_the_organizations_supervisory_unit_name_counts():
    unit = SupervisoryUnitFactory(name="Civil-Affairs-Bureau")
    organization = OrganizationFactory(supervisory_unit=unit)
    user, _created = organization_user_ensure(organization=organization, password=ISSUED)
    assert refusal("civil-affairs-bureau9", user) == ["password_too_similar"]


def test_a_supervisory_unit_users_unit_name_counts():
    unit = SupervisoryUnitFactory(name="Elderly-Services")
    user = make_user(roles.SUPERVISORY_UNIT, username="unit-user", supervisory_unit=unit)
    assert refusal("ELDERLY-services-1", user) == ["password_too_similar"]
    assert refusal("Quiet-river-2018", user) == []


def test_help_texts_and_errors_are_in_chinese():
    with translation.override("zh-hans"):
        help_texts = " ".join(password_validation.password_validators_help_texts())
        assert "大写字母、小写字母、数字、符号这四类字符中的 3 类" in help_texts
        assert "不得包含或近似于用户名、统一社会信用代码" in help_texts
        user = make_user(roles.CLERK, username="liming")
        with pytest.raises(ValidationError) as refused:
            AccountSimilarityValidator().validate("Liming-2018", user)
        assert refused.value.messages == ["密码与本账号的用户名过于相似，请换一个。"]


def test_generated_passwords_pass_every_validator():
    user = make_user(roles.CLERK, username="generated")
    for _ in range(50):
        password = password_generate(user=user)
        assert refusal(password, user) == []
        assert len(password) == 14


# --- Who sets the password -----------------------------------------------------------------


def test_a_password_someone_else_sets_must_be_changed_and_ones_own_clears_that():
    admin = make_user(roles.CLERK, username="someone-else")
    user = make_user(roles.APPLICANT, username="person")
    assert user.password_change_required is False  # an applicant chose it at sign-up
    password_set(user=user, password=ISSUED, by=admin)
    user.refresh_from_db()
    assert (user.password_change_required, user.password_changed_at) == (True, None)
    password_set(user=user, password=CHOSEN, by=user)
    user.refresh_from_db()
    assert user.password_change_required is False
    assert user.password_changed_at is not None


def test_the_account_made_at_registration_approval_must_change_its_password():
    organization = OrganizationFactory()
    user, _created = organization_user_ensure(organization=organization, password=ISSUED)
    assert user.password_change_required is True


def test_user_ensure_marks_an_issued_password_only_when_told():
    user, _created = user_ensure(username="told", role=roles.APPLICANT, password=ISSUED)
    assert user.password_change_required is False
    user, _created = user_ensure(
        username="told", role=roles.APPLICANT, password=ISSUED, password_change_required=True
    )
    assert user.password_change_required is True


def test_the_admins_forms_for_someone_elses_password_mark_it_issued():
    user = make_user(roles.APPLICANT, username="reset-me")
    form = IssuedPasswordForm(user, {"password1": ISSUED, "password2": ISSUED})
    assert form.is_valid(), form.errors
    form.save()
    user.refresh_from_db()
    assert user.password_change_required is True
    assert user.check_password(ISSUED)

    created = IssuedUserCreationForm(
        {
            "username": "new-clerk",
            "usable_password": "true",
            "password1": ISSUED,
            "password2": ISSUED,
        }
    )
    assert created.is_valid(), created.errors
    created.save()
    assert User.objects.get(username="new-clerk").password_change_required is True


# --- Forced change at login ------------------------------------------------------------------


@pytest.fixture
def issued_user(db):
    organization = OrganizationFactory()
    user, _created = organization_user_ensure(organization=organization, password=ISSUED)
    return user


def portal_login(client, user, password=ISSUED):
    response = client.post(
        reverse("portal:login"), {"username": user.username, "password": password}
    )
    assert response.status_code == 302, response.content.decode()
    return response


def test_an_issued_password_leads_to_the_change_page_and_nowhere_else(issued_user):
    client = Client()
    portal_login(client, issued_user)
    response = client.get(reverse("portal:home"), follow=True)
    assert response.redirect_chain[-1][0] == reverse("accounts:password_change")
    assert "您的密码是由他人设置的初始密码，请先修改为您自己的密码" in response.content.decode()
    detail = reverse("portal:organization", args=[issued_user.organization_id])
    assert client.get(detail)["Location"] == reverse("accounts:password_change")
    # Not even a write slips through.
    assert client.post(detail, {})["Location"] == reverse("accounts:password_change")
    # Switching the language and logging out stay open.
    switched = client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/portal/"})
    assert switched["Location"] == "/portal/"
    assert client.post(reverse("portal:logout")).status_code == 302


def test_after_changing_the_password_the_user_is_free(issued_user):
    client = Client()
    portal_login(client, issued_user)
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": ISSUED, "new_password1": CHOSEN, "new_password2": CHOSEN},
    )
    assert response["Location"] == reverse("portal:home")
    issued_user.refresh_from_db()
    assert issued_user.password_change_required is False
    assert issued_user.password_changed_at is not None
    detail = reverse("portal:organization", args=[issued_user.organization_id])
    assert client.get(detail).status_code == 200


def test_the_change_page_applies_the_policy_in_chinese(issued_user):
    client = Client()
    portal_login(client, issued_user)
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": ISSUED, "new_password1": "short", "new_password2": "short"},
    )
    assert response.status_code == 200
    assert "四类字符中的 3 类" in response.content.decode()
    issued_user.refresh_from_db()
    assert issued_user.password_change_required is True


def test_staff_change_their_issued_password_in_the_admin(client, clerk):
    password_set(user=clerk, password=ISSUED, by=None)
    client.force_login(clerk)
    assert client.get(reverse("admin:index"))["Location"] == reverse("admin:password_change")
    response = client.post(
        reverse("admin:password_change"),
        {"old_password": ISSUED, "new_password1": CHOSEN, "new_password2": CHOSEN},
    )
    assert response["Location"] == reverse("admin:password_change_done")
    clerk.refresh_from_db()
    assert clerk.password_change_required is False
    assert clerk.password_changed_at is not None
    assert client.get(reverse("admin:index")).status_code == 200


@pytest.mark.parametrize("demo_mode, forced", [(True, False), (False, True)])
def test_demo_accounts_are_exempt_only_in_demo_mode(settings, issued_user, demo_mode, forced):
    settings.ACCOUNTS = {**settings.ACCOUNTS, "DEMO_MODE": demo_mode}
    User.objects.filter(pk=issued_user.pk).update(demo_account=True)
    client = Client()
    portal_login(client, issued_user)
    detail = reverse("portal:organization", args=[issued_user.organization_id])
    response = client.get(detail)
    if forced:
        assert response["Location"] == reverse("accounts:password_change")
    else:
        assert response.status_code == 200


def test_seed_demo_marks_its_accounts_as_demo_accounts_with_an_issued_password():
    from demo.management.commands.seed_demo import mark_demo_accounts

    demo_clerk = make_user(roles.CLERK, username="clerk")
    demo_applicant = make_user(roles.APPLICANT, username="applicant")
    organization = OrganizationFactory()
    demo_organization = make_user(
        roles.ORGANIZATION, username=organization.credit_code, organization=organization
    )
    someone = make_user(roles.APPLICANT, username="not-from-the-demo")
    mark_demo_accounts({"key": organization})
    for user in (demo_clerk, demo_applicant, demo_organization):
        user.refresh_from_db()
        assert (user.demo_account, user.password_change_required) == (True, True)
    someone.refresh_from_db()
    assert (someone.demo_account, someone.password_change_required) == (False, False)
