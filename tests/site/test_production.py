"""A production site: `check --deploy` clean, static files hashed and compressed by the web
process itself, uploads served only when asked, and the processes the Procfile names."""

import json
import os
import re
import shlex
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

# Each test starts processes of its own.
pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
SECRET = "production-test-secret-key-of-more-than-fifty-characters-0123456789"


def production_environment(tmp_path, **extra):
    """The environment of a production process, with nothing of the developer's own."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO", "DATABASE", "REDIS", "SECRET", "DEBUG", "TASKS"))
    }
    env |= {
        "DJANGO_SETTINGS_MODULE": "website.settings",
        "SECRET_KEY": SECRET,
        "DEBUG": "0",
        "ALLOWED_HOSTS": "appeals.example.org,127.0.0.1",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'production.sqlite3'}",
        "STATIC_ROOT": str(tmp_path / "static"),
        "MEDIA_ROOT": str(tmp_path / "media"),
        **extra,
    }
    return env


def manage(env, *arguments):
    return subprocess.run(  # noqa: S603 (our own interpreter and code)
        [sys.executable, "manage.py", *arguments],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def probe(code, env, timeout=300):
    """Run ``code`` in a production process; the JSON value its last line prints."""
    result = subprocess.run(  # noqa: S603 (our own interpreter and code)
        [sys.executable, "-c", code],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_check_deploy_is_clean_behind_a_tls_proxy(tmp_path):
    result = manage(
        production_environment(tmp_path, BEHIND_TLS_PROXY="1"),
        "check", "--deploy", "--fail-level", "WARNING",
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_behind_a_tls_proxy_plain_http_is_redirected_and_https_is_pinned(tmp_path):
    code = (
        "import django, json; from django.conf import settings; django.setup(); "
        "print(json.dumps([settings.SECURE_SSL_REDIRECT, settings.SECURE_HSTS_SECONDS, "
        "settings.SESSION_COOKIE_SECURE, settings.CSRF_COOKIE_SECURE, "
        "settings.SECURE_PROXY_SSL_HEADER]))"
    )
    settings = probe(code, production_environment(tmp_path, BEHIND_TLS_PROXY="1"))
    redirect, hsts, session_secure, csrf_secure, proxy_header = settings
    assert redirect is True and hsts >= 31_536_000
    assert session_secure and csrf_secure
    assert proxy_header == ["HTTP_X_FORWARDED_PROTO", "https"]


STATIC_PROBE = """
import django, json
django.setup()
from django.core.management import call_command
from django.test import Client
call_command("collectstatic", interactive=False, verbosity=0)
from django.templatetags.static import static
url = static("appeals/appeals.css")
client = Client()
plain = client.get(url)
gzipped = client.get(url, HTTP_ACCEPT_ENCODING="gzip")
print(json.dumps({
    "url": url,
    "status": plain.status_code,
    "cache_control": plain.headers.get("Cache-Control"),
    "encoding": gzipped.headers.get("Content-Encoding"),
    "unhashed": client.get("/static/appeals/appeals.css").status_code,
}))
"""


def test_static_files_are_served_hashed_and_compressed_with_debug_off(tmp_path):
    answer = probe(STATIC_PROBE, production_environment(tmp_path))
    # A content hash in the name, so that a year's caching never serves an old file.
    assert re.fullmatch(r"/static/appeals/appeals\.[0-9a-f]{12}\.css", answer["url"])
    assert answer["status"] == 200
    assert "immutable" in answer["cache_control"] and "max-age=315360000" in answer["cache_control"]
    assert answer["encoding"] == "gzip"


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def procfile():
    """The Procfile's processes: {name: command}."""
    lines = (ROOT / "Procfile").read_text().splitlines()
    return dict(line.split(":", 1) for line in lines if line.strip() and not line.startswith("#"))


def test_the_procfile_names_the_web_process_the_task_worker_and_the_release_step():
    processes = {name: command.strip() for name, command in procfile().items()}
    assert set(processes) == {"web", "worker", "release"}
    assert processes["web"].startswith("gunicorn website.wsgi")
    assert processes["worker"] == "python manage.py db_worker"
    # The periodic work is started (idempotently) at every release, and runs in the worker.
    assert "appeals_schedule" in processes["release"]
    assert "migrate" in processes["release"] and "collectstatic" in processes["release"]


def test_the_web_process_logs_neither_client_addresses_nor_query_strings():
    log_format = re.search(r"--access-logformat '([^']*)'", procfile()["web"])[1]
    # %(h)s is the client's address, %(r)s and %(q)s carry the query string (and with it a
    # confirmation token), %(a)s and %(f)s the browser and the page it came from.
    assert not re.search(r"%\((h|r|q|a|f|\{[^}]*\}i)\)s", log_format)
    assert "%(U)s" in log_format


MEDIA_PROBE = """
import django, json
django.setup()
from django.conf import settings
from django.core.management import call_command
from django.test import Client
call_command("collectstatic", interactive=False, verbosity=0)
call_command("migrate", interactive=False, verbosity=0)
(settings.MEDIA_ROOT / "original_images").mkdir(parents=True)
(settings.MEDIA_ROOT / "original_images" / "photo.txt").write_text("a photo")
print(json.dumps(Client(SERVER_NAME="127.0.0.1").get("/media/original_images/photo.txt").status_code))
"""


@pytest.mark.parametrize(("serve_media", "status"), [("", 404), ("1", 200)])
def test_uploads_are_served_with_debug_off_only_when_asked(tmp_path, serve_media, status):
    env = production_environment(tmp_path, SERVE_MEDIA=serve_media)
    assert probe(MEDIA_PROBE, env, timeout=120) == status


def run_release(env):
    for step in procfile()["release"].split("&&"):
        arguments = shlex.split(step)
        assert arguments[:2] == ["python", "manage.py"]
        result = manage(env, *arguments[2:])
        assert result.returncode == 0, step + result.stdout + result.stderr


def expand(command, env):
    """A Procfile command as a shell runs it: ``${NAME:-default}`` from ``env``."""
    return re.sub(r"\$\{(\w+):-([^}]*)\}", lambda match: env.get(match[1], match[2]), command)


def wait_for(url, server, seconds=60):
    """The status of ``url`` once the server answers (None for a 2xx)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise AssertionError(server.stderr.read().decode())
        try:
            with urllib.request.urlopen(url, timeout=5):  # noqa: S310 (a local URL)
                return None
        except urllib.error.HTTPError as error:
            return error.code
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"{url} did not answer in {seconds} s")


def test_the_procfile_web_process_serves_the_site_with_debug_off(tmp_path):
    port = free_port()
    env = production_environment(tmp_path, PORT=str(port), WEB_CONCURRENCY="2")
    run_release(env)
    arguments = shlex.split(expand(procfile()["web"], env))
    arguments[0] = str(Path(sys.executable).parent / "gunicorn")
    server = subprocess.Popen(  # noqa: S603 (our own server and code)
        arguments, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    try:
        # With DEBUG off, only the hashed names collectstatic wrote are served.
        assert wait_for(f"http://127.0.0.1:{port}/static/nothing-here.css", server) == 404
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/admin/login/") as response:
            page = response.read().decode()
        hashed = re.search(r"/static/wagtailadmin/css/core\.[0-9a-f]{12}\.css", page)
        assert hashed, "the admin links its static files by their hashed names"
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{hashed[0]}") as response:
            assert response.status == 200
            assert "immutable" in response.headers["Cache-Control"]
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_a_front_cache_named_in_the_environment_is_purged_per_translation(tmp_path):
    code = (
        "import django, json; from django.apps import apps; from django.conf import settings; "
        "django.setup(); print(json.dumps([apps.is_installed('wagtail.contrib.frontend_cache'), "
        "settings.WAGTAILFRONTENDCACHE['front']['LOCATION'], "
        "settings.WAGTAILFRONTENDCACHE_LANGUAGES]))"
    )
    env = production_environment(tmp_path, FRONTEND_CACHE_PURGE_URL="http://varnish:6081")
    installed, location, languages = probe(code, env)
    assert installed and location == "http://varnish:6081"
    # No rewrite of language prefixes: the plugin purges each translation's own address.
    assert languages == []
