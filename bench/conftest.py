# The demo's seed case, as the site's tests build it.
from tests.conftest import clear_cache, default_language, django_db_setup  # noqa: F401
from tests.site.conftest import appeal, client, demo, demo_site  # noqa: F401
