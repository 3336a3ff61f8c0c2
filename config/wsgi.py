import os
from pathlib import Path

from django.core.wsgi import get_wsgi_application
from django.template.loader import get_template
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = get_wsgi_application()


def _warm_up() -> None:
    """Import every app's views, compile the URL patterns and our templates now, as each
    server process starts: done during the first requests instead, they added 0.5-1.5 s to
    each page's first view in each process, paid by users after every restart."""
    get_resolver().reverse_dict  # noqa: B018 - building it is the point
    import powerbase

    for folder in Path(powerbase.__file__).parent.glob("*/templates"):
        for template in folder.rglob("*.html"):
            get_template(template.relative_to(folder).as_posix())


_warm_up()
