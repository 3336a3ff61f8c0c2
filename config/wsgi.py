import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = get_wsgi_application()
# Import every app's URLs and views now, as each server process starts, not during the first
# request it serves: that import took seconds, and a user waited for it after every restart.
get_resolver().url_patterns  # noqa: B018 - the import is the point
