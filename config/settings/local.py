"""Developer machine: embedded SQLite and file broker unless DATABASE_URL/REDIS_URL are set."""

import os

os.environ.setdefault("SECRET_KEY", "local-development-only-not-secret")
os.environ.setdefault("DEBUG", "true")
os.environ.setdefault("AUDIT_SIGNING_KEY", "local-development-audit-key")

from .base import *  # noqa: E402,F403
