"""Production: every secret from the environment, HTTPS only."""

from .base import *  # noqa: F403
from .base import env

DEBUG = False
PUBLIC_BASE_URL = env.str("PUBLIC_BASE_URL")  # no default: certificates print it
# No default: it must be storage the database's administrators cannot rewrite.
AUDIT_ANCHOR_PATH = env.str("AUDIT_ANCHOR_PATH")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = 31536000
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
# A production database never lives a day that has not come.
REMINDERS_ALLOW_FUTURE_APPLY = False
REST_FRAMEWORK = {  # noqa: F405
    **REST_FRAMEWORK,  # noqa: F405
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
}
if not env.str("AUDIT_SIGNING_KEY", default=""):
    raise RuntimeError("AUDIT_SIGNING_KEY must be set in production")
if not STAFF_OTP_REQUIRED:  # noqa: F405
    raise RuntimeError("STAFF_OTP_REQUIRED must be true in production: staff need a second factor")
