"""Test run: same as local, fast hashing, isolated file storage."""

import os
import tempfile

os.environ.setdefault("SECRET_KEY", "test-only-not-secret")
os.environ.setdefault("AUDIT_SIGNING_KEY", "test-audit-key")
os.environ.setdefault("VAR_DIR", tempfile.mkdtemp(prefix="evl-test-"))

from .base import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# A worker process under test may be given a mail sink the test can read.
EMAIL_BACKEND = os.environ.get(
    "TEST_EMAIL_BACKEND", "django.core.mail.backends.locmem.EmailBackend"
)
LANGUAGE_CODE = "en"
REST_FRAMEWORK = {
    **REST_FRAMEWORK,  # noqa: F405
    "DEFAULT_THROTTLE_RATES": {"verify": "5/min", "coverage": "5/min", "token": "1000/min"},
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    # A file rather than memory, so a real Celery worker or browser-test server can see it.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test.sqlite3")}  # noqa: F405
# The live server used by browser tests wraps a media handler that cannot parse None;
# documents are still served only through views that check access.
MEDIA_URL = "/test-media-not-served/"
