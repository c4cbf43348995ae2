"""The targets under load, and driving them: each against its baseline in the same run."""

import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import quote

from bench.load import THREADS, Scenario, median_run, run_wrk
from bench.locks import LockWaits

SEED_CASE = "/{language}/cases/igor-kalyapin/"
PLAIN_PAGE = "/en/plain-page/"
# A smoke run: a few clients, so that a second of load answers some of them.
SMOKE_CONNECTIONS = 4


def scenarios(appeal, origin, token_files, live_count_exists):
    """Every target, with its load; the live count's only where the site has one."""
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
        Scenario("plain-page", "plain Wagtail page, 30 rich-text blocks: GET", PLAIN_PAGE),
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
            if scenario.method == "POST":
                with LockWaits(args.database_url) as waits:
                    result = run_wrk(url, scenario, args.duration, run)
                result["lock_waits"] = waits.summary()
            else:
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
        waits = [
            run["lock_waits"]["max_sessions_waiting"]
            for run in result["runs"]
            if "lock_waits" in run
        ]
        result["max_sessions_waiting_on_a_lock"] = max(waits) if waits else None
        baseline = results[result["baseline"]]["rps"]
        result["ratio"] = result["rps"] / baseline if baseline else None
    return results
