"""A person founding an organization opens an applicant account, then logs in with it."""

import pytest
from django.urls import reverse
from django.utils import translation

from accounts import roles
from accounts.models import User
from tests.factories import make_user

pytestmark = pytest.mark.django_db

PASSWORD = "Fushou-2018-apply"


def signup(client, **overrides):
    data = {
        "username": "founder-zhao",
        "first_name": "赵文华",
        "phone": "139 0431 5511",
        "password1": PASSWORD,
        "password2": PASSWORD,
    }
    data.update(overrides)
    return client.post(reverse("portal:signup"), data)


def test_signup_creates_an_applicant_and_logs_in(client):
    assert client.get(reverse("portal:signup")).status_code == 200
    response = signup(client)
    assert response.status_code == 302
    assert response.url == reverse("portal:applications")
    user = User.objects.get(username="founder-zhao")
    assert user.role_names == {roles.APPLICANT}
    assert not user.is_staff and not user.is_superuser
    assert user.first_name == "赵文华" and user.phone == "13904315511"
    assert user.check_password(PASSWORD)
    assert client.session["_auth_user_id"] == str(user.pk)
    assert client.get(response.url).status_code == 200
    # Signed up, the sign-up page sends the user home.
    assert client.get(reverse("portal:signup")).url == reverse("portal:home")


def test_password_validators_apply(client):
    response = signup(client, password1="12345678", password2="12345678")
    assert response.status_code == 200
    errors = response.context["form"].errors["password2"]
    assert "这个密码太常见了。" in errors and "密码只包含数字。" in errors
    assert "密码须至少包含大写字母、小写字母、数字、符号这四类字符中的 3 类。" in errors
    # Django 5.2's own zh_Hans catalogue lags behind the too-short message's new msgid; it is
    # refused all the same.
    assert len(errors) == 4
    response = signup(client, password2="Something-else-2018")
    assert "输入的两个密码不一致。" in response.context["form"].errors["password2"]
    response = signup(client, password1="founder-zhao1", password2="founder-zhao1")
    assert response.context["form"].errors["password2"]  # too similar to the username
    assert not User.objects.filter(username="founder-zhao").exists()


def test_signup_checks_phone_and_account_name(client):
    response = signup(client, phone="0431-8888888")
    assert response.context["form"].errors["phone"] == ["请填写11位手机号码。"]
    response = signup(client, username="52220100mj417084x0")
    assert response.context["form"].errors["username"] == [
        "申请账号不能采用统一社会信用代码的格式（18位、以数字开头），请换一个。"
    ]
    response = signup(client, first_name="")
    assert response.context["form"].errors["first_name"] == ["这个字段是必填项。"]
    assert User.objects.count() == 0


def test_signup_never_takes_over_an_existing_account(client, clerk):
    before = clerk.password
    response = signup(client, username=clerk.username.upper())
    assert response.context["form"].errors["username"] == ["已存在一位使用该名字的用户。"]
    clerk.refresh_from_db()
    assert clerk.password == before and clerk.is_staff
    assert clerk.role_names == {roles.CLERK}


def test_applicants_log_in_with_their_account_on_the_portal_login(client):
    make_user(roles.APPLICANT, username="founder-sun")
    response = client.post(
        reverse("portal:login"), {"username": " founder-sun ", "password": "Test-password-2018"}
    )
    assert response.status_code == 302
    response = client.get(response.url)  # the portal home sends applicants to their list
    assert response.status_code == 302
    assert response.url == reverse("portal:applications")
    assert client.get(response.url).status_code == 200


def test_the_login_form_names_both_kinds_of_account(client):
    form = client.get(reverse("portal:login")).context["form"]
    with translation.override("en"):
        assert str(form.fields["username"].label) == (
            "unified social credit code or applicant account"
        )
