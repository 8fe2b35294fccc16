"""Production settings (issue 8): HTTPS only (redirect, HSTS, secure HttpOnly SameSite cookies),
and `manage.py check --deploy` without a single warning. Each check runs in a subprocess with
the production environment a bureau sets (the test process itself runs config.settings.test)."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from config import development_keys
from tests.environments import production_environment

BASE_DIR = Path(__file__).resolve().parent.parent.parent
PRODUCTION = "config.settings.production"

SETTINGS_READ = """
import json
from django.conf import settings
names = [
    "DEBUG", "SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS", "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD", "SECURE_CONTENT_TYPE_NOSNIFF", "SECURE_PROXY_SSL_HEADER",
    "SECURE_CROSS_ORIGIN_OPENER_POLICY", "SECURE_REFERRER_POLICY", "X_FRAME_OPTIONS",
    "SESSION_COOKIE_NAME", "SESSION_COOKIE_SECURE", "SESSION_COOKIE_HTTPONLY",
    "SESSION_COOKIE_SAMESITE", "CSRF_COOKIE_NAME", "CSRF_COOKIE_SECURE", "CSRF_COOKIE_HTTPONLY",
    "CSRF_COOKIE_SAMESITE", "LANGUAGE_COOKIE_SECURE", "LANGUAGE_COOKIE_HTTPONLY",
    "ALLOWED_HOSTS", "MIDDLEWARE", "CONTENT_SECURITY_POLICY",
]
print(json.dumps({name: getattr(settings, name) for name in names}))
"""


def run(args, environment) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, *args],
        cwd=BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture(scope="module")
def production_settings() -> dict:
    script = f"import django; django.setup()\n{SETTINGS_READ}"
    result = run(["-c", script], production_environment())
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_production_is_https_only_with_a_year_of_hsts(production_settings):
    assert production_settings["DEBUG"] is False
    assert production_settings["SECURE_SSL_REDIRECT"] is True
    assert production_settings["SECURE_HSTS_SECONDS"] >= 365 * 24 * 60 * 60
    assert production_settings["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True
    assert production_settings["SECURE_HSTS_PRELOAD"] is True
    assert production_settings["SECURE_CONTENT_TYPE_NOSNIFF"] is True
    assert production_settings["SECURE_CROSS_ORIGIN_OPENER_POLICY"] == "same-origin"
    assert production_settings["X_FRAME_OPTIONS"] == "DENY"


@pytest.mark.parametrize("cookie", ["SESSION", "CSRF", "LANGUAGE"])
def test_every_cookie_is_secure_http_only_and_same_site(production_settings, cookie):
    assert production_settings[f"{cookie}_COOKIE_SECURE"] is True
    assert production_settings[f"{cookie}_COOKIE_HTTPONLY"] is True
    assert production_settings.get(f"{cookie}_COOKIE_SAMESITE", "Lax") == "Lax"


def test_session_and_csrf_cookies_carry_the_host_prefix(production_settings):
    # Browsers accept a __Host- cookie only if it is Secure, for path / and without a domain.
    assert production_settings["SESSION_COOKIE_NAME"] == "__Host-sessionid"
    assert production_settings["CSRF_COOKIE_NAME"] == "__Host-csrftoken"


def test_production_sends_the_content_security_policy_without_inline_scripts(
    production_settings,
):
    middleware = production_settings["MIDDLEWARE"]
    security = middleware.index("django.middleware.security.SecurityMiddleware")
    assert middleware[security + 1] == "config.csp.ContentSecurityPolicyMiddleware"
    directives = production_settings["CONTENT_SECURITY_POLICY"]["DIRECTIVES"]
    assert directives["script-src"] == ["'self'"]
    assert directives["object-src"] == ["'none'"]
    assert directives["frame-ancestors"] == ["'none'"]


def test_check_deploy_reports_no_issue():
    result = run(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING", f"--settings={PRODUCTION}"],
        production_environment(),
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout
    assert "WARNING" not in result.stderr


def test_a_short_secret_key_stops_the_site_from_starting():
    result = run(
        ["manage.py", "check", f"--settings={PRODUCTION}"],
        production_environment(DJANGO_SECRET_KEY="too-short"),
    )

    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set to a random string of 50+ characters" in result.stderr


def test_the_forwarded_proto_header_is_trusted_only_when_the_proxy_sets_it(production_settings):
    # Without the proxy's word, a client's own X-Forwarded-Proto must not make plain HTTP count
    # as HTTPS (issue 13).
    assert production_settings["SECURE_PROXY_SSL_HEADER"] is None
    script = f"import django; django.setup()\n{SETTINGS_READ}"
    result = run(["-c", script], production_environment(DJANGO_TRUST_PROXY_HEADERS="1"))
    assert result.returncode == 0, result.stderr
    trusted = json.loads(result.stdout)["SECURE_PROXY_SSL_HEADER"]
    assert trusted == ["HTTP_X_FORWARDED_PROTO", "https"]


# The published keys long enough to pass production's own length checks (the secret keys and
# the test audit key are refused before any check runs, see the test below).
PUBLISHED = {
    "local": {
        "DJANGO_AUDIT_CHAIN_KEY": development_keys.LOCAL_AUDIT_CHAIN_KEY,
        "DJANGO_ID_NUMBER_KEYS": development_keys.LOCAL_ID_NUMBER_KEY,
        "DJANGO_ID_NUMBER_HASH_KEY": development_keys.LOCAL_ID_NUMBER_HASH_KEY,
    },
    "test": {
        "DJANGO_ID_NUMBER_KEYS": development_keys.TEST_ID_NUMBER_KEY,
        "DJANGO_ID_NUMBER_HASH_KEY": development_keys.TEST_ID_NUMBER_HASH_KEY,
    },
}


@pytest.mark.parametrize("origin", PUBLISHED)
def test_check_deploy_refuses_the_published_development_keys(origin):
    keys = PUBLISHED[origin]
    result = run(
        ["manage.py", "check", "--deploy", f"--settings={PRODUCTION}"],
        production_environment(**keys),
    )
    assert result.returncode != 0
    for name in keys:
        assert f"{name} 使用了本程序代码中公开的开发或测试密钥" in result.stderr, result.stderr
    assert result.stderr.count("config.E001") == len(keys)


def test_every_published_key_is_refused():
    """The settings modules take their keys from config.development_keys, and every key there
    is one the check knows."""
    from config.checks import configured_keys
    from config.settings import local, test

    for module in (local, test):
        keys = {
            module.SECRET_KEY,
            module.AUDIT["CHAIN_KEY"],
            module.ID_NUMBERS["HASH_KEY"],
            *module.ID_NUMBERS["ENCRYPTION_KEYS"],
        }
        assert keys <= development_keys.PUBLISHED_KEYS
    assert {name for name, _ in configured_keys()} >= {
        "DJANGO_SECRET_KEY",
        "DJANGO_AUDIT_CHAIN_KEY",
        "DJANGO_ID_NUMBER_KEYS",
        "DJANGO_ID_NUMBER_HASH_KEY",
    }


def test_the_published_keys_too_short_for_production_stop_it_before_any_check():
    for name, value in [
        ("DJANGO_SECRET_KEY", development_keys.LOCAL_SECRET_KEY),
        ("DJANGO_SECRET_KEY", development_keys.TEST_SECRET_KEY),
        ("DJANGO_AUDIT_CHAIN_KEY", development_keys.TEST_AUDIT_CHAIN_KEY),
    ]:
        result = run(
            ["manage.py", "check", f"--settings={PRODUCTION}"],
            production_environment(**{name: value}),
        )
        assert result.returncode != 0 and f"{name} must be set" in result.stderr
