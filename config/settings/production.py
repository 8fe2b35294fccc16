"""Production: HTTPS only, secrets from the environment, nothing insecure by default."""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import env, env_bool, env_list

DEBUG = False
SECRET_KEY = env("DJANGO_SECRET_KEY")
if not SECRET_KEY or len(SECRET_KEY) < 50:
    raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set to a random string of 50+ characters")
AUDIT = {"CHAIN_KEY": env("DJANGO_AUDIT_CHAIN_KEY", "")}
if len(AUDIT["CHAIN_KEY"]) < 32:
    raise ImproperlyConfigured(
        "DJANGO_AUDIT_CHAIN_KEY must be set to a random string of 32+ characters, kept apart "
        "from the database's backups (README: 审计日志)"
    )
if not ID_NUMBERS["ENCRYPTION_KEYS"] or len(ID_NUMBERS["HASH_KEY"]) < 32:  # noqa: F405
    raise ImproperlyConfigured(
        "DJANGO_ID_NUMBER_KEYS (Fernet keys, comma-separated) and DJANGO_ID_NUMBER_HASH_KEY "
        "(a random string of 32+ characters) must be set (README: 身份证号密钥轮换)"
    )
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS")
if not ALLOWED_HOSTS:
    raise ImproperlyConfigured("DJANGO_ALLOWED_HOSTS must name the site's host names")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
# Trusted only when the reverse proxy in front sets X-Forwarded-Proto itself (overwriting what
# the client sent): otherwise any client could claim HTTPS over plain HTTP.
if env_bool("DJANGO_TRUST_PROXY_HEADERS", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = int(env("DJANGO_SECURE_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Cookies: HTTPS only, out of reach of scripts, and (the __Host- prefix) only ever set by this
# host over HTTPS for the whole site, so a sibling subdomain cannot plant a session or CSRF
# cookie. SameSite "Lax", not "Strict": with Strict a clerk who follows a link to a record from
# an e-mail or the bureau's OA system arrives logged out; Lax already keeps the cookies off
# every cross-site POST, and CSRF tokens guard the forms. (The CSP: config/csp.py, all
# environments.)
SESSION_COOKIE_NAME = "__Host-sessionid"
SESSION_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_NAME = "__Host-csrftoken"
CSRF_COOKIE_SECURE = True
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_SECURE = True
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# The task queue: RQ on Redis when REDIS_URL is set (the production set-up), else the database
# queue of base.py. DJANGO_TASKS_BACKEND=database keeps the database queue despite REDIS_URL.
REDIS_URL = env("REDIS_URL", "")
TASKS_BACKEND = env("DJANGO_TASKS_BACKEND", "rq" if REDIS_URL else "database")
if TASKS_BACKEND == "rq":
    if not REDIS_URL:
        raise ImproperlyConfigured("DJANGO_TASKS_BACKEND=rq needs REDIS_URL (redis://host:6379/0)")
    INSTALLED_APPS = [*INSTALLED_APPS, "django_rq", "django_tasks_rq"]  # noqa: F405
    # A province's ledger takes minutes; RQ's default of 180 s would kill it half-written.
    RQ_QUEUES = {"default": {"URL": REDIS_URL, "DEFAULT_TIMEOUT": 3 * 60 * 60}}
    TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
elif TASKS_BACKEND != "database":
    raise ImproperlyConfigured("DJANGO_TASKS_BACKEND must be 'rq' or 'database'")
# The public pages' counters and cached profiles, shared by every worker process (R-PUB-1,
# R-PUB-4).
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
        }
    }
