"""The bench's database: made, migrated and loaded once, reset before each run.

The data (``create_random_data``) stays between runs: loading it takes minutes and a
second run finds it. What the scenarios write (submissions, queued e-mails, INSERT
rows, confirmations) is removed before the next run measures anything.
"""

import os
import subprocess
import sys
from pathlib import Path

from bench.server import ROOT

# Confirmations a run can use up: more than the server could confirm per second (a smoke
# run's few clients confirm a few dozen).
CONFIRMATIONS_PER_SECOND = 3000
SMOKE_CONFIRMATIONS_PER_SECOND = 300
# The submissions the signing scenarios make are at this domain (bench/lua/sign_*.lua).
SUBMISSION_DOMAIN = "submissions.example"


def manage(*arguments):
    """A management command with the bench's settings, its output shown as it comes."""
    command = [sys.executable, "manage.py", *arguments, "--skip-checks"]
    subprocess.run(command, cwd=ROOT, env=os.environ, check=True)  # noqa: S603


def migrate():
    """The catalogues compiled, the schema migrated and the static files collected."""
    subprocess.run([sys.executable, "-m", "website.compile_catalogues"], cwd=ROOT, check=True)
    manage("migrate", "--no-input", "-v", "0")
    manage("collectstatic", "--no-input", "-v", "0")


def load(args, tokens_file):
    """The generated data, made once; fresh confirmation tokens written to ``tokens_file``."""
    manage(
        "create_random_data", "--cases", str(args.cases), "--signatures", str(args.signatures),
        "--tokens", str(confirmation_tokens(args)), "--tokens-file", str(tokens_file),
    )  # fmt: skip


def confirmation_tokens(args):
    rate = SMOKE_CONFIRMATIONS_PER_SECOND if args.smoke else CONFIRMATIONS_PER_SECOND
    return rate * args.duration * args.runs


def split_tokens(tokens_file, runs, directory):
    """One file of unused tokens per run."""
    tokens = Path(tokens_file).read_text().split()
    share = len(tokens) // runs
    paths = []
    for run in range(runs):
        path = Path(directory) / f"tokens-{run}.txt"
        path.write_text("\n".join(tokens[run * share : (run + 1) * share]) + "\n")
        paths.append(path)
    return paths


def reset_transient_rows():
    """Remove what earlier runs' scenarios left: submissions, queued e-mails, INSERT rows, and
    the bench's keys in Redis."""
    from django.core.cache import caches
    from django_tasks_db.models import DBTaskResult

    from appeals.models import Signature
    from bench.models import BareRow

    Signature.objects.filter(email_key__endswith=f"@{SUBMISSION_DOMAIN}").delete()
    DBTaskResult.objects.all().delete()
    BareRow.objects.all().delete()
    for alias in caches:
        clear_prefixed_keys(caches[alias])


def clear_prefixed_keys(cache):
    """The bench's own keys: another user of the same Redis keeps theirs."""
    from django.conf import settings

    client = getattr(cache, "_cache", None)
    if client is None or not hasattr(client, "get_client"):
        cache.clear()  # a local cache: this process's only
        return
    redis_client = client.get_client(write=True)
    for key in redis_client.scan_iter(match=f"{settings.CACHE_PREFIX}:*", count=1000):
        redis_client.delete(key)
