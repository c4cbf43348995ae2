"""`make bench`: the site under load beside a bare Django view, on this machine.

``python -m bench.run`` checks that PostgreSQL, Redis and wrk are there, loads the
generated data once (``create_random_data``: 1,000 cases in five languages, a million
signatures), starts two gunicorns with the same command line (one with the page cache,
one without), drives each target with wrk for a fixed duration, runs after runs, and
takes each target's median run. The baselines (a constant page, one INSERT) are
measured by the same server in the same invocation. Then, in this process: SQL queries
per case-page render and the time to read a count; in a process of its own, the
export of every signature. Everything goes to ``bench/results.json`` and a table.

``--smoke`` does the same on tiny data in ``appeals_bench_smoke``, dropped at the end.
"""

import argparse
import atexit
import json
import os
import platform
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote, urlsplit, urlunsplit

from bench import preconditions, report
from bench.load import THREADS, Scenario, median_run, run_wrk
from bench.server import ROOT, WORKERS, Gunicorn

DEFAULT_DATABASE_URL = "postgresql://postgres@127.0.0.1:5432/appeals_bench"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/5"
SMOKE_DATABASE = "appeals_bench_smoke"
SEED_CASE = "/{language}/cases/igor-kalyapin/"
SMOKE_CONNECTIONS = 4
SMOKE_WORKERS = 2
# Confirmations a run can use up: more than the server could confirm per second.
CONFIRMATIONS_PER_SECOND = 3000
# The submissions the signing scenarios make are at this domain (bench/lua/sign_*.lua).
SUBMISSION_DOMAIN = "submissions.example"


def options(argv=None):
    parser = argparse.ArgumentParser(
        prog="python -m bench.run", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument("--smoke", action="store_true", help="A tiny, fast run of the same code.")
    parser.add_argument("--duration", type=int, help="Seconds of load per run (10; smoke 1).")
    parser.add_argument("--runs", type=int, help="Runs per target, the median kept (3; smoke 1).")
    parser.add_argument("--cases", type=int, help="Generated cases (1,000; smoke 3).")
    parser.add_argument("--signatures", type=int, help="Signatures (1,000,000; smoke 2,000).")
    parser.add_argument("--output", type=Path, help="Where the JSON goes (bench/results.json).")
    args = parser.parse_args(argv)
    smoke = args.smoke
    args.duration = args.duration or (1 if smoke else 10)
    args.runs = args.runs or (1 if smoke else 3)
    args.cases = args.cases if args.cases is not None else (3 if smoke else 1000)
    args.signatures = (
        args.signatures if args.signatures is not None else (2000 if smoke else 1_000_000)
    )
    args.output = args.output or ROOT / "bench" / (
        "results-smoke.json" if smoke else "results.json"
    )
    return args


def database_url(smoke):
    url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_DATABASE_URL)
    if smoke:  # the smoke run's own database, whatever the full run uses
        url = urlunsplit(urlsplit(url)._replace(path=f"/{SMOKE_DATABASE}"))
    return url


STAGES = {}


@contextmanager
def stage(title):
    """Say what the run is doing, and keep how long it took."""
    print(f"--- {title}", flush=True)
    started = time.monotonic()
    yield
    STAGES[title] = round(time.monotonic() - started, 1)
    print(f"--- {title}: {STAGES[title]} s", flush=True)


def manage(*arguments):
    """A management command with the bench's settings, its output shown as it comes."""
    command = [sys.executable, "manage.py", *arguments]
    subprocess.run(command, cwd=ROOT, env=os.environ, check=True)  # noqa: S603


def prepare_database(args, tokens_file):
    """Migrate, collect static files, and load the data (kept between runs)."""
    with stage("Catalogues, migrations and static files"):
        subprocess.run([sys.executable, "-m", "website.compile_catalogues"], cwd=ROOT, check=True)
        manage("migrate", "--no-input", "-v", "0", "--skip-checks")
        manage("collectstatic", "--no-input", "-v", "0", "--skip-checks")
    with stage("Data"):
        manage(
            "create_random_data", "--cases", str(args.cases), "--signatures", str(args.signatures),
            "--tokens", str(confirmation_tokens(args)), "--tokens-file", str(tokens_file),
            "--skip-checks",
        )  # fmt: skip


def confirmation_tokens(args):
    return CONFIRMATIONS_PER_SECOND * args.duration * args.runs


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
    """What earlier runs' scenarios left: submissions, queued e-mails, INSERT rows, and
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
    from django.conf import settings

    client = getattr(cache, "_cache", None)
    if client is None or not hasattr(client, "get_client"):
        cache.clear()  # a local cache: this process's only
        return
    redis_client = client.get_client(write=True)
    for key in redis_client.scan_iter(match=f"{settings.CACHE_PREFIX}:*", count=1000):
        redis_client.delete(key)


def seed_appeal():
    from wagtail.models import Locale

    from appeals.models import CasePage
    from home.demo.tree import demo_key

    case = CasePage.objects.get(
        translation_key=demo_key("case:igor-kalyapin"), locale=Locale.get_default()
    )
    (block,) = case.get_appeal_blocks()
    return case.get_appeal(block.id)


def generated_case_path():
    from wagtail.models import Locale

    from appeals.models import CasePage
    from home.management.commands.create_random_data import random_key

    case = CasePage.objects.filter(
        translation_key=random_key("case:0"), locale=Locale.get_default()
    ).first()
    return case.url if case else None


def scenarios(appeal, origin, token_files, live_count_exists, plain_path):
    from appeals.forms import signed_render_time

    def stamp():
        return quote(signed_render_time(time.time() - 60), safe="")

    def signing_args(run):
        return [stamp(), origin, f"{uuid.uuid4().hex[:12]}r{run}"]

    def api_signing_args(run):
        return [signed_render_time(time.time() - 60), origin, f"{uuid.uuid4().hex[:12]}r{run}"]

    appeal_id = appeal.public_id
    found = [
        Scenario("constant", "bare Django: GET a constant 5.4 KB page", "/bench/constant/", baseline="constant"),
        Scenario("insert-32", "bare Django: POST one INSERT", "/bench/insert/", method="POST", script="post.lua", baseline="insert-32"),
        Scenario("insert-100", "bare Django: POST one INSERT", "/bench/insert/", 100, "POST", "post.lua", baseline="insert-100"),
        Scenario("plain-page", "plain Wagtail page, 30 rich-text blocks: GET", plain_path),
        Scenario("case-cached-en", "case page, en, page cache on: GET", SEED_CASE.format(language="en")),
        Scenario("case-uncached-en", "case page, en, uncached: GET", SEED_CASE.format(language="en"), server="uncached"),
        Scenario("case-uncached-ar", "case page, ar, uncached: GET", SEED_CASE.format(language="ar"), server="uncached"),
        Scenario("api-read-fr", "API appeal read, fr: GET", f"/api/v3/appeals/{appeal_id}/?locale=fr"),
        Scenario("sign-form", "sign form POST, distinct e-mails", f"/fr/appeals/{appeal_id}/sign/", 100, "POST", "sign_form.lua", signing_args),
        Scenario("sign-api", "API sign POST, distinct e-mails", f"/api/v3/appeals/{appeal_id}/signatures/?locale=fr", 100, "POST", "sign_api.lua", api_signing_args),
        Scenario(
            "confirm", "confirmation POST, 100 signers of one appeal", "/fr/appeals/confirm/", 100, "POST",
            "confirm.lua", lambda run: [token_files[run], origin, THREADS], warm_up=False,
        ),
    ]  # fmt: skip
    if live_count_exists:
        found.append(
            Scenario("live-count", "live count JSON: GET", f"/fr/appeals/{appeal_id}/count/")
        )
    for scenario in found:
        scenario.baseline = scenario.baseline or baseline_of(scenario)
    return found


def baseline_of(scenario):
    """GETs are compared with the constant page, POSTs with the INSERT at as many clients."""
    return "constant" if scenario.method == "GET" else f"insert-{scenario.connections}"


def answers(url):
    """The status ``url`` answers with; None if it does not answer within a minute."""
    import urllib.error
    import urllib.request

    try:
        with urllib.request.urlopen(url, timeout=60) as answer:  # noqa: S310 (our server)
            return answer.status
    except urllib.error.HTTPError as error:
        return error.code
    except (urllib.error.URLError, OSError):
        return None


def warm_up(url, scenario, args):
    """Every worker has imported, compiled and cached what the target needs: a short load
    (a few requests per worker in a smoke run)."""
    if not args.smoke:
        run_wrk(url, scenario, min(2, args.duration))
    elif scenario.method == "GET":
        with ThreadPoolExecutor(SMOKE_CONNECTIONS) as pool:
            list(pool.map(answers, [url + scenario.path] * SMOKE_CONNECTIONS * 2))


def drive(targets, servers, args):
    """Every scenario, run after run in turn (so that a passing load on the machine falls on
    all of them alike); each scenario's median run, and its ratio to its baseline."""
    for run in range(args.runs):
        for scenario in targets:
            url = servers[scenario.server].url
            if run == 0 and scenario.warm_up:
                warm_up(url, scenario, args)
            result = run_wrk(url, scenario, args.duration, run)
            scenario.runs.append(result)
            print(f"  run {run + 1}/{args.runs} {scenario.name:<18} {result['rps']:8.1f} req/s  "
                  f"p50 {result['p50_ms']:.1f} ms  p99 {result['p99_ms']:.1f} ms  errors {result['errors']}", flush=True)  # fmt: skip
    results = {}
    for scenario in targets:
        results[scenario.name] = {
            "label": scenario.label, "method": scenario.method, "path": scenario.path,
            "connections": scenario.connections, "server": scenario.server,
            "baseline": scenario.baseline, "runs": scenario.runs, **median_run(scenario.runs),
        }  # fmt: skip
    for result in results.values():
        baseline = results[result["baseline"]]["rps"]
        result["ratio"] = result["rps"] / baseline if baseline else None
    return results


def written_rows(results, appeal):
    """What the POST scenarios stored, beside what wrk counted: a check on the figures."""
    from appeals import counters
    from appeals.models import Appeal, Signature
    from home.management.commands.create_random_data import CONFIRMATION_DOMAIN

    submissions = Signature.objects.filter(email_key__endswith=f"@{SUBMISSION_DOMAIN}").count()
    confirmations = Signature.objects.filter(
        email_key__endswith=f"@{CONFIRMATION_DOMAIN}", confirmed_at__isnull=False
    ).count()
    signing = [results[name] for name in ("sign-form", "sign-api")]
    return {
        "submissions_stored": submissions,
        "submissions_answered": sum(result["requests_all_runs"] for result in signing),
        "confirmations_stored": confirmations,
        "confirmations_answered": results["confirm"]["requests_all_runs"],
        "count_read_after": counters.current(Appeal.objects.get(pk=appeal.pk)),
        "confirmed_rows_after": appeal.signatures.confirmed().count(),
    }


def in_process_figures(appeal, plain_path):
    from bench import probes

    paths = {language: SEED_CASE.format(language=language) for language in ("en", "fr", "ar", "fa")}
    generated = generated_case_path()
    queries = {
        f"seed case, {language}": probes.render_queries(path) for language, path in paths.items()
    }
    if generated:
        for language in ("en", "ar"):
            queries[f"generated case, {language}"] = probes.render_queries(
                generated.replace("/en/", f"/{language}/", 1)
            )
    queries["plain Wagtail page"] = probes.render_queries(plain_path)
    queries["seed case, en, page cache on (warm)"] = probes.cached_render_queries(paths["en"])
    return {
        "queries": queries,
        "count_read": probes.count_read(appeal.pk),
        "live_count": probes.live_count(f"/fr/appeals/{appeal.public_id}/count/"),
    }


def export_figures():
    completed = subprocess.run(
        [sys.executable, "-m", "bench.export_probe"], cwd=ROOT, env=os.environ,
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    line = next(line for line in completed.stdout.splitlines() if line.startswith("BENCH_EXPORT "))
    return json.loads(line.removeprefix("BENCH_EXPORT "))


def machine(smoke):
    import django
    import wagtail
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        postgres = cursor.fetchone()[0]
    wrk = subprocess.run(["wrk", "--version"], capture_output=True, text=True, check=False)  # noqa: S607
    return {
        "cpus": os.cpu_count(), "python": platform.python_version(), "django": django.get_version(),
        "wagtail": wagtail.__version__, "postgresql": postgres,
        "wrk": (wrk.stdout or wrk.stderr).splitlines()[0] if (wrk.stdout or wrk.stderr) else "",
        "gunicorn": f"{SMOKE_WORKERS if smoke else WORKERS} sync workers", "wrk_threads": THREADS,
    }  # fmt: skip


def stop_on_signals():
    """SIGTERM and SIGHUP end the run like Ctrl-C, so that the servers are stopped."""

    def stop(signum, frame):
        raise SystemExit(128 + signum)

    for signum in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, stop)


def main(argv=None):
    args = options(argv)
    url = database_url(args.smoke)
    redis_url = os.environ.get("BENCH_REDIS_URL", DEFAULT_REDIS_URL)
    missing = preconditions.problems(url, redis_url)
    if missing:
        print("make bench cannot run:", *missing, sep="\n  - ", file=sys.stderr)
        return 2
    os.environ.update(
        DJANGO_SETTINGS_MODULE="bench.settings", BENCH_DATABASE_URL=url, BENCH_REDIS_URL=redis_url,
        BENCH_CACHE_PREFIX="bench-smoke" if args.smoke else "bench",
        # This process measures renders uncached; each server says for itself.
        BENCH_PAGE_CACHE="0",
    )  # fmt: skip
    stop_on_signals()
    servers = {}
    work = Path(tempfile.mkdtemp(prefix="appeals-bench-"))
    atexit.register(lambda: [server.stop() for server in servers.values()])
    try:
        preconditions.ensure_database(url)
        prepare_database(args, work / "tokens.txt")
        return measure(args, servers, work)
    finally:
        for server in servers.values():
            server.stop()
        shutil.rmtree(work, ignore_errors=True)
        if args.smoke:
            from django.db import connections

            connections.close_all()
            preconditions.drop_database(url)


def measure(args, servers, work):
    import django

    django.setup()
    reset_transient_rows()
    appeal = seed_appeal()
    plain_path = "/en/plain-page/"
    token_files = split_tokens(work / "tokens.txt", args.runs, work)
    with stage("Starting gunicorn, with the page cache and without"):
        # The smoke run checks the code, not the figures: fewer workers start sooner.
        workers = SMOKE_WORKERS if args.smoke else WORKERS
        servers["cached"] = Gunicorn("cached", {"BENCH_PAGE_CACHE": "1"}, work, workers).launch()
        servers["uncached"] = Gunicorn(
            "uncached", {"BENCH_PAGE_CACHE": "0"}, work, workers
        ).launch()
        for server in servers.values():
            server.wait_until_it_answers(timeout=120)
    live_count_exists = (
        answers(f"{servers['cached'].url}/fr/appeals/{appeal.public_id}/count/") == 200
    )
    targets = scenarios(appeal, servers["cached"].url, token_files, live_count_exists, plain_path)
    if args.smoke:  # a few clients, so that a second of load answers some of them
        for scenario in targets:
            scenario.connections = min(scenario.connections, SMOKE_CONNECTIONS)
    with stage(f"{len(targets)} targets, {args.runs} runs of {args.duration} s each"):
        results = drive(targets, servers, args)
    rss = {name: server.worker_rss_mb() for name, server in servers.items()}
    for server in servers.values():
        server.stop()
    with stage("Queries, the count read and the export"):
        in_process = in_process_figures(appeal, plain_path)
        export = export_figures()
    figures = {
        "machine": machine(args.smoke),
        "settings": {
            "duration_s": args.duration,
            "runs": args.runs,
            "smoke": args.smoke,
            "cases": args.cases,
            "signatures": args.signatures,
        },  # fmt: skip
        "stages_s": STAGES,
        "scenarios": results,
        "checks": written_rows(results, appeal),
        **in_process,
        "export": export,
        "worker_rss_mb": rss,
    }
    args.output.write_text(json.dumps(figures, indent=2, ensure_ascii=False, default=str))
    report.print_table(figures)
    print(f"\nWritten to {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
