"""A real server for the browser tests: the demo site on its own SQLite file.

The site runs as `make demo` runs it (runserver, the immediate task backend, but DEBUG off),
with e-mails written to files by Django's file backend, so the tests read the
confirmation link the way a signer would.
"""

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class LiveSite:
    def __init__(self, url, mail_dir, partner_origin, env):
        self.url = url
        self.mail_dir = mail_dir
        self.env = env
        # Another origin, allowed to call the API (the example headless client is served there).
        self.partner_origin = partner_origin

    def manage(self, *arguments):
        """Run a management command against the live site's database."""
        subprocess.run(  # noqa: S603
            [sys.executable, str(ROOT / "manage.py"), *arguments],
            env=self.env, cwd=ROOT, check=True, capture_output=True,
        )  # fmt: skip

    def emails(self):
        return [path.read_text() for path in sorted(self.mail_dir.glob("*.log"))]


@pytest.fixture(scope="session")
def live_site(tmp_path_factory):
    workdir = tmp_path_factory.mktemp("site")
    port = free_port()
    partner_origin = f"http://127.0.0.1:{free_port()}"
    env = {
        **{key: value for key, value in os.environ.items() if key != "DATABASE_URL"},
        # The demo's settings, keeping no page on the server (site_settings says why).
        "DJANGO_SETTINGS_MODULE": "tests.browser.site_settings",
        "DATABASE_URL": f"sqlite:///{workdir / 'db.sqlite3'}",
        # As in production (translated error pages, no debug pages); --insecure
        # lets runserver serve the static files all the same.
        "DEBUG": "0",
        # E-mails sent within the request, to files the tests read (production queues them).
        "TASKS_BACKEND": "immediate",
        "SECRET_KEY": "browser-tests-only-" + "x" * 40,
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "PORT": str(port),
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "EMAIL_FILE_PATH": str(workdir / "mail"),
        "DEMO_ADMIN_PASSWORD": "browser-tests-password",
        "APPEALS_MIN_SECONDS_TO_SIGN": "0",
        "APPEALS_SUBMISSIONS_PER_NETWORK": "1000",
        "CORS_ALLOWED_ORIGINS": partner_origin,
    }
    manage = [sys.executable, str(ROOT / "manage.py")]
    for command in (["migrate", "--no-input", "-v0"], ["load_demo"]):
        subprocess.run([*manage, *command], env=env, cwd=ROOT, check=True, capture_output=True)  # noqa: S603
    server = subprocess.Popen(  # noqa: S603
        [*manage, "runserver", "--noreload", "--insecure", f"127.0.0.1:{port}"],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    wait_until_up(url)
    yield LiveSite(url, workdir / "mail", partner_origin, env)
    server.terminate()
    server.wait(timeout=10)
    shutil.rmtree(workdir, ignore_errors=True)


def wait_until_up(url, path="/en/", attempts=100):
    for _ in range(attempts):
        try:
            urllib.request.urlopen(url + path, timeout=2)  # noqa: S310 (our own server)
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"The site did not start at {url}")


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.skip("Debian's chromium is not installed (.ci/run installs it)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def open_page(browser, live_site):
    """Open a page as a visitor in ``language``, with JavaScript on or off.

    Every request to another origin is recorded in ``page.foreign_requests``.
    """
    contexts = []

    def open_(path, *, language="en", javascript=True):
        context = browser.new_context(java_script_enabled=javascript, locale=language)
        contexts.append(context)
        page = context.new_page()
        page.javascript, page.language = javascript, language
        page.foreign_requests = []
        page.on(
            "request",
            lambda request: (
                None
                if request.url.startswith((live_site.url, "data:"))
                else page.foreign_requests.append(request.url)
            ),
        )
        page.goto(live_site.url + path)
        return page

    yield open_
    for context in contexts:
        context.close()


@pytest.fixture(scope="session")
def headless_client(live_site):
    """examples/headless served as static files from the partner origin."""
    port = live_site.partner_origin.rsplit(":", 1)[1]
    server = subprocess.Popen(  # noqa: S603
        [sys.executable, "-m", "http.server", port, "--bind", "127.0.0.1",
         "--directory", str(ROOT / "examples" / "headless")],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    wait_until_up(live_site.partner_origin, path="/index.html")
    yield live_site.partner_origin
    server.terminate()
    server.wait(timeout=10)
