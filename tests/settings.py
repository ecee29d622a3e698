"""Test settings: production settings, with a throwaway key and no static manifest."""

from __future__ import annotations

import os

os.environ.setdefault("DJANGO_SECRET_KEY", "tests-only-not-a-secret")

from advisor.settings import *  # noqa: F403
from advisor.settings import STORAGES

STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Tests run without collectstatic: whitenoise serves straight from the finders.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

# Each test client builds its own middleware, but the browser tests' live server lives for the
# whole session while tests change settings: no replayed responses there. test_response_cache
# turns it on for itself.
RESPONSE_CACHE = None
