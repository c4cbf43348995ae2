"""The plugin installs on its own: built from the committed tree, in a fresh virtualenv.

The wheel is built from ``git archive HEAD``, so nothing uncommitted or
git-ignored (a local .mo file, a stray module) can make it look complete. It is
installed with its dependencies from the package index into a new virtualenv,
and a minimal Wagtail site written from the README's "Installing the plugin in
another Wagtail site" migrates and serves a case page in French, from outside
the repository.
"""

import os
import subprocess
import tarfile
import venv
import zipfile
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

REPOSITORY = Path(__file__).resolve().parents[2]
# The French of "Sign the letter", from appeals/locale/fr/LC_MESSAGES/django.po.
FRENCH_SIGN_BUTTON = "Signer la lettre"

SETTINGS = """\
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
SECRET_KEY = "packaging-test-only"
DEBUG = False
ALLOWED_HOSTS = ["testserver", "localhost"]

INSTALLED_APPS = [
    "appeals",
    "wagtail_localize",
    "wagtail_localize.locales",
    "wagtail.api.v3",
    "django_countries",
    "django_tasks",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
]
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]
ROOT_URLCONF = "packagingsite.urls"
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]
DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": BASE_DIR / "db.sqlite3"}}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
STATIC_URL = "/static/"

LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("fr", "Français")]
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
WAGTAIL_I18N_ENABLED = True
USE_I18N = True
USE_TZ = True

TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
WAGTAIL_SITE_NAME = "Packaging test"
WAGTAILADMIN_BASE_URL = "http://localhost"
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
"""

URLS = """\
from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.api.v3.urls import api

from appeals.api import router as appeals_router

api.add_router("/appeals/", appeals_router)

urlpatterns = [
    path("admin/", include(wagtailadmin_urls)),
    path("api/v3/", api.urls),
]
urlpatterns += i18n_patterns(
    path("appeals/", include("appeals.urls")),
    path("", include(wagtail_urls)),
)
"""

# Run inside the new virtualenv, from the site's directory: builds a case with an
# appeal through the same calls an editor's publish makes, then reads it in French.
SERVE_A_CASE = """\
import importlib.util
import sys
from pathlib import Path

import django

django.setup()

import appeals
from django.test import Client
from wagtail.models import Locale, Site

from appeals.models import CaseIndexPage, CasePage

venv, french_sign_button = Path(sys.argv[1]).resolve(), sys.argv[2]
assert Path(appeals.__file__).resolve().is_relative_to(venv), (
    f"appeals was imported from {appeals.__file__}, not from the virtualenv {venv}"
)

assert importlib.util.find_spec("pyuca"), (
    "pyuca is not installed: django-countries would sort non-Latin country names by code point"
)

Locale.objects.get_or_create(language_code="fr")
root = Site.objects.get(is_default_site=True).root_page
index = root.add_child(instance=CaseIndexPage(title="Cases", slug="cases"))
index.save_revision().publish()
appeal = {
    "heading": "Write to the prosecutor",
    "introduction": "Add your name.",
    "salutation": "Dear Prosecutor,",
    "letter": "<p>I am writing about the search of her home.</p>",
    "include_demands": True,
    "closing": "Yours sincerely,",
    "goal": 100,
    "closes_at": None,
    "delivery_language": "",
    "closed": False,
    "show_signers": False,
}
case = index.add_child(
    instance=CasePage(
        title="Free Anna Ivanova",
        slug="free-anna-ivanova",
        defender_name="Anna Ivanova",
        summary="A defender detained for her work.",
        body=[{"type": "appeal", "value": appeal}],
    )
)
case.save_revision().publish()

client = Client()
response = client.get("/fr/cases/free-anna-ivanova/")
body = response.content.decode()
assert response.status_code == 200, f"/fr/ case page answered {response.status_code}:\\n{body}"
assert '<html lang="fr"' in body, body
assert french_sign_button in body, f"no French from the plugin's catalogue:\\n{body}"

schema = client.get("/api/v3/openapi.json")
assert schema.status_code == 200, schema.content.decode()
paths = [path for path in schema.json()["paths"] if path.startswith("/api/v3/appeals/")]
assert paths, "the appeals router is not mounted on /api/v3/"
print("served", case.title, "in French;", len(paths), "appeals API routes")
"""


def run(args, *, cwd, step, env=None, timeout=900):
    """Run one step; on failure, fail with the step's name, its stderr and the end of stdout."""
    result = subprocess.run(  # noqa: S603 (our own interpreter and arguments)
        [str(arg) for arg in args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    if result.returncode != 0:
        pytest.fail(
            f"{step} failed (exit {result.returncode}).\n"
            f"--- stderr ---\n{result.stderr}\n--- stdout (end) ---\n{result.stdout[-4000:]}",
            pytrace=False,
        )
    return result


def outside_the_repository():
    """The environment minus anything that would point Python or Django back at this checkout."""
    env = {
        name: value
        for name, value in os.environ.items()
        if name not in {"PYTHONPATH", "VIRTUAL_ENV", "DJANGO_SETTINGS_MODULE", "PYTHONHOME"}
    }
    env["PYTHONNOUSERSITE"] = "1"
    return env


@pytest.fixture(scope="module")
def workspace(tmp_path_factory):
    return tmp_path_factory.mktemp("packaging")


@pytest.fixture(scope="module")
def checkout(workspace):
    """The committed tree only: what a release built from HEAD would contain."""
    archive = workspace / "head.tar"
    run(
        ["git", "-C", REPOSITORY, "archive", "--format=tar", "--output", archive, "HEAD"],
        cwd=workspace,
        step="git archive HEAD",
    )
    source = workspace / "source"
    with tarfile.open(archive) as tar:
        tar.extractall(source, filter="data")
    return source


@pytest.fixture(scope="module")
def python(workspace):
    """A fresh virtualenv's interpreter, with `build` to make the sdist and wheels."""
    location = workspace / "venv"
    venv.create(location, with_pip=True, clear=True)
    interpreter = location / "bin" / "python"
    run(
        [interpreter, "-m", "pip", "install", "--quiet", "build"],
        cwd=workspace,
        env=outside_the_repository(),
        step="pip install build",
    )
    return interpreter


@pytest.fixture(scope="module")
def distributions(python, checkout, workspace):
    """The sdist, and the wheel that `python -m build` makes from that sdist."""
    dist = workspace / "dist"
    run(
        [python, "-m", "build", "--outdir", dist, checkout],
        cwd=workspace,
        env=outside_the_repository(),
        step="python -m build (sdist, then a wheel from the sdist)",
    )
    (sdist,) = dist.glob("*.tar.gz")
    (wheel,) = dist.glob("*.whl")
    return sdist, wheel


def committed_catalogues(checkout):
    return sorted(
        path.relative_to(checkout).as_posix()
        for path in (checkout / "appeals" / "locale").glob("*/LC_MESSAGES/*.po")
    )


def assert_ships_compiled_catalogues(wheel, checkout):
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "appeals/locale/fr/LC_MESSAGES/django.mo" in names, (
        f"{wheel.name} has no compiled French catalogue: the build did not compile the .po "
        "files (see build_catalogues.py and [tool.setuptools.cmdclass] in pyproject.toml)"
    )
    catalogues = committed_catalogues(checkout)
    expected = [po.removesuffix(".po") + ".mo" for po in catalogues]
    missing = [mo for mo in expected if mo not in names]
    assert not missing, f"{wheel.name} lacks compiled catalogues: {missing}"
    assert len(catalogues) >= 5, catalogues
    # The build hook builds; it is not installed.
    others = {name.split("/")[0] for name in names} - {"appeals"}
    assert all(name.endswith(".dist-info") for name in others), others


def test_sdist_carries_the_catalogue_sources_and_the_build_hook(distributions, checkout):
    sdist, _wheel = distributions
    with tarfile.open(sdist) as tar:
        names = {name.split("/", 1)[1] for name in tar.getnames() if "/" in name}
    assert "build_catalogues.py" in names, f"{sdist.name} lacks the build hook module"
    missing = [po for po in committed_catalogues(checkout) if po not in names]
    assert not missing, f"{sdist.name} lacks catalogues: {missing}"
    compiled = sorted(name for name in names if name.endswith(".mo"))
    assert not compiled, f"{sdist.name} ships compiled catalogues, which drift: {compiled}"


def test_wheel_built_from_the_sdist_ships_compiled_catalogues(distributions, checkout):
    _sdist, wheel = distributions
    assert_ships_compiled_catalogues(wheel, checkout)


def test_wheel_built_straight_from_the_tree_ships_compiled_catalogues(python, checkout, workspace):
    direct = workspace / "direct"
    run(
        [python, "-m", "build", "--wheel", "--outdir", direct, checkout],
        cwd=workspace,
        env=outside_the_repository(),
        step="python -m build --wheel (straight from the tree)",
    )
    (wheel,) = direct.glob("*.whl")
    assert_ships_compiled_catalogues(wheel, checkout)


def test_installed_wheel_serves_a_case_in_french(python, distributions, workspace):
    _sdist, wheel = distributions
    env = outside_the_repository()
    run(
        [python, "-m", "pip", "install", "--quiet", wheel],
        cwd=workspace,
        env=env,
        step=f"pip install {wheel.name} (its dependencies from the index)",
    )

    site = workspace / "site"
    package = site / "packagingsite"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "settings.py").write_text(SETTINGS)
    (package / "urls.py").write_text(URLS)
    (site / "serve_a_case.py").write_text(SERVE_A_CASE)
    env["DJANGO_SETTINGS_MODULE"] = "packagingsite.settings"

    run(
        [python, "-m", "django", "migrate", "--no-input", "-v", "0"],
        cwd=site,
        env=env,
        step="django-admin migrate",
    )
    # Run as a script: sys.path[0] is the site's directory, never the repository.
    served = run(
        [python, "serve_a_case.py", python.parent.parent, FRENCH_SIGN_BUTTON],
        cwd=site,
        env=env,
        step="serving a case page in French",
    )
    assert "served Free Anna Ivanova in French" in served.stdout
