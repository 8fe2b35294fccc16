"""Shared by the department API's tests: issuing a token and calling the API with it."""

from accounts import roles
from sharing.services import token_issue
from tests.factories import make_user


def security_admin():
    return make_user(roles.SECURITY_ADMIN)


def issue(holder, **fields):
    """(token, secret) issued to `holder` by a security administrator, through the service."""
    by = fields.pop("by", None) or security_admin()
    return token_issue(holder=holder, name=fields.pop("name", "接口测试"), by=by, **fields)


def call(client, path, secret=None, method="get", **params):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {secret}"} if secret else {}
    return getattr(client, method)(f"/api/v1/{path.lstrip('/')}", params or None, **headers)


def walk(client, path, secret, limit=500, **params):
    """Every row of a list, page after page: (rows, pages)."""
    rows, cursor, pages = [], None, 0
    while True:
        query = {"limit": limit, **params}
        if cursor:
            query["cursor"] = cursor
        response = call(client, path, secret, **query)
        assert response.status_code == 200, response.content
        body = response.json()
        rows.extend(body["items"])
        pages += 1
        cursor = body["next_cursor"]
        if not cursor:
            return rows, pages
