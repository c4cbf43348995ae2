"""`make bench` in miniature: the same runner on tiny data, and the data it loads.

Benchmarks give figures, not verdicts, and do not run in CI; this runs their code.
"""

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest
from django.core.management import call_command

from appeals import counters
from appeals.addresses import delivery_address, email_key
from appeals.models import Appeal, AppealTally, Signature
from bench import preconditions
from bench.run import DEFAULT_DATABASE_URL, DEFAULT_REDIS_URL, SMOKE_DATABASE, database_url

ROOT = Path(__file__).resolve().parent.parent.parent
SCENARIOS = {
    "constant", "insert-32", "insert-100", "plain-page", "case-cached-en", "case-uncached-en",
    "case-uncached-ar", "api-read-fr", "sign-form", "sign-api", "confirm",
}  # fmt: skip


def bench_environment(**changes):
    """This environment without the test settings: the runner chooses its own."""
    env = {key: value for key, value in os.environ.items() if key != "DJANGO_SETTINGS_MODULE"}
    env.update(changes)
    return env


def run_bench(*arguments, env, timeout=600):
    return subprocess.run(  # noqa: S603
        [sys.executable, "-m", "bench.run", *arguments],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout, check=False,
    )  # fmt: skip


def smoke_database_exists():
    url = database_url(smoke=True)
    with psycopg.connect(preconditions.server_url(url), connect_timeout=3) as connection:
        found = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [SMOKE_DATABASE]
        ).fetchone()
    return found is not None


@pytest.mark.slow
def test_the_smoke_run_measures_every_scenario_without_errors(tmp_path):
    missing = preconditions.problems(
        database_url(smoke=True), os.environ.get("BENCH_REDIS_URL", DEFAULT_REDIS_URL)
    )
    if missing:
        pytest.skip("The benchmark needs: " + "; ".join(missing))
    output = tmp_path / "results.json"
    completed = run_bench("--smoke", "--output", str(output), env=bench_environment())
    assert completed.returncode == 0, completed.stdout[-4000:] + completed.stderr[-4000:]
    figures = json.loads(output.read_text())

    assert set(figures["scenarios"]) >= SCENARIOS
    for name, result in figures["scenarios"].items():
        assert result["requests"] > 0 and result["rps"] > 0, name
        assert result["errors_all_runs"] == 0, (name, result)
        assert result["p99_ms"] >= result["p50_ms"] > 0, name
        assert result["ratio"] > 0, name
    assert figures["scenarios"]["constant"]["ratio"] == 1

    queries = figures["queries"]
    for label, render in queries.items():
        assert render["status"] == 200, label
    # The page cache answers a kept page with no more queries than a render.
    assert 0 < queries["seed case, en"]["queries"]
    assert (
        queries["seed case, en, page cache on (warm)"]["queries"]
        <= queries["seed case, en"]["queries"]
    )
    assert figures["count_read"]["count"] > 0 and figures["count_read"]["median_ms"] > 0
    export = figures["export"]
    assert export["rows"] >= 2000 and export["rows_per_second"] > 0 and export["peak_rss_mb"] > 0
    checks = figures["checks"]
    # Every confirmation answered was stored, and the seed appeal counts its rows.
    assert checks["confirmations_stored"] >= checks["confirmations_answered"] > 0
    assert checks["submissions_stored"] >= checks["submissions_answered"] > 0
    assert all(figures["worker_rss_mb"].values())
    assert "Written to" in completed.stdout and "req/s" in completed.stdout
    assert not smoke_database_exists()


def test_a_missing_service_is_named_with_how_to_start_it(tmp_path):
    env = bench_environment(
        BENCH_DATABASE_URL="postgresql://postgres@127.0.0.1:1/appeals_bench",
        BENCH_REDIS_URL="redis://127.0.0.1:1/5",
        PATH=str(tmp_path),  # no wrk
    )
    completed = run_bench("--smoke", env=env, timeout=60)
    assert completed.returncode == 2
    assert "PostgreSQL does not answer at 127.0.0.1:1" in completed.stderr
    assert "pg_ctlcluster --skip-systemctl-redirect" in completed.stderr
    assert "Redis does not answer at 127.0.0.1:1" in completed.stderr
    assert "redis-server --daemonize yes --bind 127.0.0.1 --port 1" in completed.stderr
    assert "wrk is not installed" in completed.stderr and "apt-get install wrk" in completed.stderr
    assert completed.stdout == ""


def test_the_full_run_uses_its_own_database_and_the_smoke_run_another():
    assert (
        database_url(smoke=False).endswith("/appeals_bench") or "BENCH_DATABASE_URL" in os.environ
    )
    assert database_url(smoke=True).endswith(f"/{SMOKE_DATABASE}")
    assert DEFAULT_DATABASE_URL.endswith("/appeals_bench")


@pytest.mark.slow
def test_generated_signatures_are_cleaned_as_signing_cleans_them(demo):
    def generate():
        call_command(
            "create_random_data", cases=0, signatures=300, stdout=io.StringIO(), skip_checks=True
        )

    generate()
    signatures = list(Signature.objects.filter(email_key__endswith="signers.example"))
    assert len(signatures) == 300 + 300 // 50
    assert sum(1 for signature in signatures if signature.confirmed_at) == 300
    for signature in signatures:
        assert signature.email == delivery_address(signature.email)
        assert signature.email_key == email_key(signature.email)
        assert signature.name == signature.name.strip() and signature.name
    # International domains are stored as they are delivered to: in ASCII.
    assert any("xn--" in signature.email for signature in signatures)
    assert all(signature.email.isascii() for signature in signatures)
    # Confirmed rows are loaded counted, unconfirmed ones not, and the counts and
    # tallies are rebuilt from them: a recount then finds nothing to fix.
    assert all(
        (signature.counted_at is not None) == (signature.confirmed_at is not None)
        for signature in signatures
    )
    (block,) = demo.case.get_appeal_blocks()
    appeal = demo.case.get_appeal(block.id)
    assert counters.current(appeal) >= 300
    assert sum(AppealTally.objects.by_language(appeal).values()) == counters.current(appeal)
    assert counters.recount(Appeal.objects.all(), fix=False) == []
    # Run again with the same sizes: nothing is written twice.
    generate()
    assert Signature.objects.filter(email_key__endswith="signers.example").count() == 306
