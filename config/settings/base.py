"""Settings shared by every environment; whatever differs comes from DJANGO_* variables."""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env(name, default=None):
    return os.environ.get(name, default)


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


SECRET_KEY = env("DJANGO_SECRET_KEY")
DEBUG = env_bool("DJANGO_DEBUG", False)
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "crispy_forms",
    "crispy_bootstrap5",
    "formtools",
    "simple_history",
    "django_tasks",
    "django_tasks_db",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    # django-ninja's bundled Swagger UI (its static files and templates), served from our own
    # static files: the department API's docs load nothing from a CDN (sharing.api).
    "ninja",
    "core",
    "accounts",
    "registry",
    "partybuilding",
    "annualcheck",
    "evaluation",
    "credit",
    "disclosure",
    "sharing",
    "notifications",
    "portal",
    "demo",
    "exports",
    "audit",
    "config.apps.SiteConfig",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "config.csp.ContentSecurityPolicyMiddleware",
    "config.headers.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Before the identity-policy middleware below, which tells users why it sent them away.
    "django.contrib.messages.middleware.MessageMiddleware",
    # Idle timeout and one session per account (accounts.session_policy).
    "accounts.middleware.SessionPolicyMiddleware",
    # Two-factor (accounts.two_factor): who verified a code this session, then the way to it.
    "django_otp.middleware.OTPMiddleware",
    "accounts.two_factor_middleware.TwoFactorRequiredMiddleware",
    # Initial passwords are replaced before anything else (accounts.middleware).
    "accounts.middleware.PasswordChangeRequiredMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "accounts.context_processors.access",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"), conn_max_age=60
    )
}
if DATABASES["default"]["ENGINE"] not in {
    "django.db.backends.sqlite3",
    "django.db.backends.postgresql",
}:
    raise ImproperlyConfigured("DATABASE_URL must be an sqlite:// or postgres:// URL")
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # SQLite admits one writer at a time. A transaction that reads and then writes while another
    # writes fails at once with "database is locked" (issue 13: parallel logins gave HTTP 500);
    # BEGIN IMMEDIATE takes the write lock first, and waits up to `timeout` seconds for it.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"transaction_mode": "IMMEDIATE", "timeout": 20}
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # First: refuses a locked account before any backend checks the password (accounts.lockout).
    "accounts.backends.LockoutBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# MLPS 2.0 level 3 password rules (accounts.validators says what each one refuses).
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "accounts.validators.CharacterClassesValidator", "OPTIONS": {"min_classes": 3}},
    {"NAME": "accounts.validators.AccountSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "portal:login"
LOGIN_REDIRECT_URL = "portal:home"
LOGOUT_REDIRECT_URL = "portal:login"

# Sessions: the cookie dies with the browser; on the server a session idle for
# ACCOUNTS["IDLE_TIMEOUT_MINUTES"] is ended by accounts.middleware.SessionPolicyMiddleware (with a
# message), and the store forgets it an hour after that (clearsessions purges it).
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"
# Not served by any URL: exports (MEDIA_ROOT/exports/) go out only through their download view.
MEDIA_ROOT = Path(env("DJANGO_MEDIA_ROOT", str(BASE_DIR / "media")))
MEDIA_URL = "media/"

# The registration wizard's member form allows 200 rows of 11 fields (portal.forms); Django's
# default of 1,000 fields per request would refuse a long form before it is validated.
DATA_UPLOAD_MAX_NUMBER_FIELDS = 3000

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Domain configuration (domain.md: local choices are settings, not constants).
REGISTRY = {
    # Region of the registering authority, positions 3-8 of the credit codes it issues.
    "REGION_CODE": env("DJANGO_REGISTRY_REGION_CODE", "220100"),
    "AUTHORITY_NAME": env("DJANGO_REGISTRY_AUTHORITY_NAME", "长春市民政局"),
    # R-REG-5: organization codes the bureau issues are this prefix plus a sequence.
    "ORGANIZATION_CODE_PREFIX": env("DJANGO_REGISTRY_ORGANIZATION_CODE_PREFIX", "MJ"),
    # R-REG-3: member-form copies not acknowledged within this many working days are flagged.
    "ACKNOWLEDGE_WITHIN_WORKING_DAYS": int(env("DJANGO_REGISTRY_ACKNOWLEDGE_DAYS", "5")),
    # R-CHG-3: a change is filed with the registration authority within this many days of the
    # supervisory unit's consent (《社会团体登记管理条例》第十八条: 30).
    "CHANGE_FILING_DAYS": int(env("DJANGO_REGISTRY_CHANGE_FILING_DAYS", "30")),
    # R-CERT-2: years a registration certificate is valid from its issue. No national rule
    # fixes it; bureaus print their own practice (five years is the usual).
    "CERTIFICATE_VALIDITY_YEARS": int(env("DJANGO_REGISTRY_CERTIFICATE_VALIDITY_YEARS", "5")),
    # Public holidays and the weekend days made working days (调休), as ISO dates.
    "HOLIDAYS": env_list("DJANGO_REGISTRY_HOLIDAYS", ""),
    "EXTRA_WORKING_DAYS": env_list("DJANGO_REGISTRY_EXTRA_WORKING_DAYS", ""),
    # The date the demo lives on (ISO, e.g. 2018-07-01), read by core.calendar.today() only
    # while ACCOUNTS["DEMO_MODE"] is on; empty or demo mode off: today's date.
    "DEMO_TODAY": env("DJANGO_DEMO_TODAY", ""),
    # R-ID-2: searches by a full ID number per user and hour for users who see numbers masked.
    "ID_NUMBER_SEARCHES_PER_HOUR": int(env("DJANGO_REGISTRY_ID_NUMBER_SEARCHES_PER_HOUR", "20")),
    # R-DEREG-4: an organization applies for deregistration within this many days after its
    # liquidation ends (the three registration regulations: 15 days).
    "DEREGISTRATION_DAYS_AFTER_LIQUIDATION": int(env("DJANGO_REGISTRY_DEREGISTRATION_DAYS", "15")),
}

PARTY_BUILDING = {
    # R-PB-2: counted members from which an organization should build its own organization.
    "STANDALONE_MIN_MEMBERS": int(env("DJANGO_PB_STANDALONE_MIN_MEMBERS", "3")),
    # R-PB-3: how many organizations a joint branch generally covers at most.
    "JOINT_BRANCH_MAX_ORGANIZATIONS": int(env("DJANGO_PB_JOINT_BRANCH_MAX", "5")),
    # R-PB-12: member counts at which a general branch, then a committee, is the usual form.
    "GENERAL_BRANCH_FROM": 50,
    "COMMITTEE_FROM": 100,
    "LEDGER_TITLE": env("DJANGO_PB_LEDGER_TITLE", "长春市民政局局管社会组织党建工作台账"),
}

ANNUAL_CHECK = {
    # R-AC-2, as month-day of the year after the one reported on.
    "SUPERVISORY_DEADLINE": env("DJANGO_AC_SUPERVISORY_DEADLINE", "03-31"),
    "AUTHORITY_DEADLINE": env("DJANGO_AC_AUTHORITY_DEADLINE", "05-31"),
    # Organizations registered after this month-day of the year reported on are exempt.
    "EXEMPT_IF_REGISTERED_AFTER": env("DJANGO_AC_EXEMPT_AFTER", "06-30"),
}

# Issue 18: the notification log and its reminders (notifications.channels says how a channel
# plugs in). CHANNELS: dotted paths of notifications.channels.Channel classes; the log alone by
# default, "notifications.channels.EmailChannel" adds email, a bureau's SMS gateway its own class.
NOTIFICATIONS = {
    "CHANNELS": env_list("DJANGO_NOTIFICATION_CHANNELS", "notifications.channels.LogChannel"),
    # Where an email's link points (the site's address, no trailing slash).
    "SITE_URL": env("DJANGO_SITE_URL", ""),
    # R-NTF-1..6: how many days ahead each reminder is written (docs/domain.md).
    "DAYS_BEFORE": {
        "ANNUAL_CHECK": int(env("DJANGO_REMIND_ANNUAL_CHECK_DAYS", "30")),
        "ANNUAL_CHECK_REVIEW": int(env("DJANGO_REMIND_ANNUAL_CHECK_REVIEW_DAYS", "14")),
        "RECTIFICATION": int(env("DJANGO_REMIND_RECTIFICATION_DAYS", "7")),
        "GRADE_EXPIRY": int(env("DJANGO_REMIND_GRADE_EXPIRY_DAYS", "90")),
        "FULL_MEMBERSHIP": int(env("DJANGO_REMIND_FULL_MEMBERSHIP_DAYS", "30")),
    },
}

# Credit supervision (R-CR, docs/research/credit-supervision.md).
CREDIT = {
    # --- What the other workflows read of the lists (R-CR-16); readers fall back on these
    # defaults (settings.CREDIT.get) ---
    # R-CR-16: an organization on the serious-violation list is not evaluated. Kept a setting
    # until the revised 评估管理办法 (in force 2026-03-01) is read.
    "LISTED_BLOCKS_EVALUATION": env_bool("DJANGO_CR_LISTED_BLOCKS_EVALUATION", True),
    # The 2021 《全国性社会组织评估管理规定》 bars the abnormal-activity list too; local practice
    # varies, so off unless the bureau applies it.
    "ABNORMAL_BLOCKS_EVALUATION": env_bool("DJANGO_CR_ABNORMAL_BLOCKS_EVALUATION", False),
    # --- end of R-CR-16 ---
    # Credit supervision (R-CR, docs/domain.md; 民政部令第60号). Only 第一条–第七条 of the final
    # text were read; each duration below says where it comes from.
    # R-CR-1: working days to enter credit information after it is formed or obtained
    # (secondary sources; the article was not verified).
    "RECORDING_WORKING_DAYS": int(env("DJANGO_CREDIT_RECORDING_WORKING_DAYS", "5")),
    # R-CR-3 item 5 / R-CR-12: a fine of this amount or more is heavy (serious list), less is
    # light (abnormal list). Secondary sources on the final text (临沂 解读, 武汉).
    "SERIOUS_FINE_YUAN": int(env("DJANGO_CREDIT_SERIOUS_FINE_YUAN", "50000")),
    # R-CR-12: this many light penalties within the window make a serious-list ground.
    "REPEAT_COUNT": int(env("DJANGO_CREDIT_REPEAT_COUNT", "2")),
    "REPEAT_WINDOW_YEARS": int(env("DJANGO_CREDIT_REPEAT_WINDOW_YEARS", "3")),
    # R-CR-11: years on the abnormal list (from term_starts_on) before the serious list is
    # proposed. 2017 draft 第十五条 and secondary sources on the final text.
    "ABNORMAL_TERM_YEARS": int(env("DJANGO_CREDIT_ABNORMAL_TERM_YEARS", "2")),
    # R-CR-10: months after listing (or the last restart, R-CR-6) when a ground with nothing to
    # correct leaves the list. 2017 draft 第十四条 only: NOT VERIFIED against the final text.
    "EXPIRY_MONTHS": int(env("DJANGO_CREDIT_EXPIRY_MONTHS", "6")),
    # R-CR-9: working days from the day the correction is verified (查实) to the removal.
    # 2017 draft 第十四条 and secondary sources.
    "REMOVAL_WORKING_DAYS": int(env("DJANGO_CREDIT_REMOVAL_WORKING_DAYS", "5")),
    # R-CR-13 (a): years on the serious list without a new ground before removal on application.
    # Secondary source only.
    "SERIOUS_TERM_YEARS": int(env("DJANGO_CREDIT_SERIOUS_TERM_YEARS", "2")),
    # R-CR-4: the days between the sending of two returned letters. 2017 draft 第十一条第二款
    # (20 and 60): NOT VERIFIED against the final text; set them from it before release.
    "LETTER_INTERVAL_MIN_DAYS": int(env("DJANGO_CREDIT_LETTER_INTERVAL_MIN_DAYS", "20")),
    "LETTER_INTERVAL_MAX_DAYS": int(env("DJANGO_CREDIT_LETTER_INTERVAL_MAX_DAYS", "60")),
    # R-CR-3 item 2: days an organization stays 应建未建 (R-PB-6), as seen by the daily job,
    # before "no Party organization set up as required" is proposed. No source fixes a
    # deadline; 180 days is a product choice (docs/domain.md, R-CR-3).
    "NO_PARTY_ORGANIZATION_GRACE_DAYS": int(env("DJANGO_CREDIT_NO_PARTY_ORG_GRACE_DAYS", "180")),
}

# Background jobs (exports/__init__.py says why django-tasks): by default the queue is a table of
# this database, run by `manage.py db_worker` (`make run` starts it); production.py switches to
# RQ on Redis when REDIS_URL is set.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# Identity policy (issue 8, MLPS 2.0 level 3); accounts.policy reads it.
ACCOUNTS = {
    # Demo accounts (seed_demo) are exempt from the forced password change and from two-factor
    # set-up only while this is on; local.py turns it on for `make run`, production never does.
    "DEMO_MODE": env_bool("DJANGO_DEMO_MODE", False),
    # Failed logins: this many for one login name within the window lock it for LOCKOUT_MINUTES
    # (accounts.lockout). Counted per account, never per address (shared NAT).
    "LOCKOUT_FAILURES": int(env("DJANGO_LOCKOUT_FAILURES", "5")),
    "LOCKOUT_WINDOW_MINUTES": int(env("DJANGO_LOCKOUT_WINDOW_MINUTES", "15")),
    "LOCKOUT_MINUTES": int(env("DJANGO_LOCKOUT_MINUTES", "30")),
    # A session without a request for this long is ended (accounts.session_policy).
    "IDLE_TIMEOUT_MINUTES": int(env("DJANGO_IDLE_TIMEOUT_MINUTES", "30")),
}
SESSION_COOKIE_AGE = (ACCOUNTS["IDLE_TIMEOUT_MINUTES"] + 60) * 60

EXPORTS = {
    # Downloads of more rows than this run as background jobs; smaller ones stream at once.
    "BACKGROUND_THRESHOLD_ROWS": int(env("DJANGO_EXPORTS_BACKGROUND_THRESHOLD_ROWS", "50000")),
    # purge_exports deletes jobs and files older than this by default.
    "KEEP_DAYS": int(env("DJANGO_EXPORTS_KEEP_DAYS", "7")),
}

# The department sharing API (sharing; R-API): how long an issued token lasts unless the security
# administrator says otherwise, the largest page a call may ask for, and the calls per minute
# one token may make.
SHARING = {
    "TOKEN_DAYS": int(env("DJANGO_SHARING_TOKEN_DAYS", "365")),
    "PAGE_LIMIT_DEFAULT": 100,
    "PAGE_LIMIT_MAX": 500,
    "CALLS_PER_MINUTE": int(env("DJANGO_SHARING_CALLS_PER_MINUTE", "120")),
}

# The Content-Security-Policy of every HTML page (config/csp.py; issue 8), in every environment:
# scripts and styles only from our own static files, never inline, nothing from a CDN. A
# browser reports violations to DJANGO_CSP_REPORT_URI if set; DJANGO_CSP_REPORT_ONLY=1 only
# reports (to try a change of policy on a live site first).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
    "REPORT_URI": env("DJANGO_CSP_REPORT_URI", ""),
    "REPORT_ONLY": env_bool("DJANGO_CSP_REPORT_ONLY", False),
}

# Permissions-Policy on every response (issue 13): the site uses no camera, microphone,
# location, sensor, payment or USB device, so no page (nor a frame an injected script opens)
# may ask the browser for one. config.headers.PermissionsPolicyMiddleware sends it.
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer",
        "camera",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "payment",
        "usb",
    )
}

# The audit log's chain is keyed (HMAC-SHA256): whoever can write the database but not read this
# key cannot rewrite records and recompute the hashes after them. Kept apart from SECRET_KEY so
# that rotating that one leaves the log verifiable; local.py and test.py set development keys.
AUDIT = {"CHAIN_KEY": env("DJANGO_AUDIT_CHAIN_KEY", "")}

# Resident ID numbers at rest (core/id_numbers.py): Fernet keys, comma-separated, the first
# encrypts and all decrypt (rotation: README 身份证号密钥轮换); the hash key makes the digests
# used for uniqueness and look-up; old hash keys still find rows during a hash-key rotation.
ID_NUMBERS = {
    "ENCRYPTION_KEYS": env_list("DJANGO_ID_NUMBER_KEYS"),
    "HASH_KEY": env("DJANGO_ID_NUMBER_HASH_KEY", ""),
    "OLD_HASH_KEYS": env_list("DJANGO_ID_NUMBER_OLD_HASH_KEYS"),
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {},
}

# The cache (issue 18): the public profile and the public pages' request counters. In-process
# memory by default (the embedded set-up needs nothing more); production.py uses Redis when
# REDIS_URL is set, so that every worker process shares the counters and the profiles.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# The public pages (信息公开, disclosure; R-PUB-1..5 in docs/domain.md).
DISCLOSURE = {
    # R-PUB-1: requests per minute from one client address before it is answered 429.
    "REQUESTS_PER_MINUTE": int(env("DJANGO_DISCLOSURE_REQUESTS_PER_MINUTE", "60")),
    # R-PUB-1: the request header holding the client's address, as the reverse proxy in front
    # sets it (e.g. X-Real-IP; the proxy must overwrite what the client sent). Empty: the
    # connection's own address (REMOTE_ADDR), the only one a client cannot forge.
    "CLIENT_ADDRESS_HEADER": env("DJANGO_DISCLOSURE_CLIENT_ADDRESS_HEADER", ""),
    # R-PUB-4: how long a rendered profile may be kept at most (a change shows at once anyway).
    "PROFILE_CACHE_SECONDS": int(env("DJANGO_DISCLOSURE_PROFILE_CACHE_SECONDS", "600")),
}
