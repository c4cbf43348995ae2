from tests.conftest import clear_cache, demo, django_db_setup  # noqa: F401  (the same demo site)
