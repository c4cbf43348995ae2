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
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from bench import dataset, preconditions, report
from bench.load import THREADS
from bench.scenarios import SMOKE_CONNECTIONS, answers, drive, scenarios
from bench.server import ROOT, WORKERS, Gunicorn

DEFAULT_DATABASE_URL = "postgresql://postgres@127.0.0.1:5432/appeals_bench"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/5"
SMOKE_DATABASE = "appeals_bench_smoke"
# The smoke run checks the code, not the figures: fewer workers start sooner.
SMOKE_WORKERS = 2


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
    url = args.database_url = database_url(args.smoke)
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
    smoke_lock = preconditions.hold_smoke_lock(url) if args.smoke else None
    servers = {}
    work = Path(tempfile.mkdtemp(prefix="appeals-bench-"))
    atexit.register(lambda: [server.stop() for server in servers.values()])
    try:
        preconditions.ensure_database(url)
        with stage("Catalogues, migrations and static files"):
            dataset.migrate()
        with stage("Data"):
            dataset.load(args, work / "tokens.txt")
        return measure(args, servers, work)
    finally:
        for server in servers.values():
            server.stop()
        shutil.rmtree(work, ignore_errors=True)
        if args.smoke:
            from django.db import connections

            connections.close_all()
            preconditions.drop_database(url)
            smoke_lock.close()


def measure(args, servers, work):
    """Everything measured once the data is there: the load, then the in-process figures."""
    import django

    django.setup()
    from bench import probes

    dataset.reset_transient_rows()
    appeal = probes.seed_appeal()
    token_files = dataset.split_tokens(work / "tokens.txt", args.runs, work)
    with stage("Starting gunicorn, with the page cache and without"):
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
    targets = scenarios(appeal, servers["cached"].url, token_files, live_count_exists)
    if args.smoke:
        for scenario in targets:
            scenario.connections = min(scenario.connections, SMOKE_CONNECTIONS)
    with stage(f"{len(targets)} targets, {args.runs} runs of {args.duration} s each"):
        results = drive(targets, servers, args)
    rss = {name: server.worker_rss_mb() for name, server in servers.items()}
    for server in servers.values():
        server.stop()
    with stage("Queries, the count read and the export"):
        in_process = probes.figures(appeal, repeat=100 if args.smoke else 1000)
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
        "checks": probes.stored_rows(results, appeal),
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
