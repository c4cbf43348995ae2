"""What is measured inside one process against the bench's database: queries per page,
the time to read a count, and the live count's endpoint."""

import io
import logging
import statistics
import time

from django.core.management import call_command, get_commands
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext

from appeals import counters
from appeals.models import Appeal
from bench.scenarios import PLAIN_PAGE, SEED_CASE

HOST = "127.0.0.1"


def client():
    return Client(headers={"host": HOST})


def render_queries(path):
    """The queries of the second render of ``path`` (the first warms Wagtail's caches)."""
    visitor = client()
    visitor.get(path)
    with CaptureQueriesContext(connection) as queries:
        response = visitor.get(path)
    return {"status": response.status_code, "queries": len(queries), "bytes": len(response.content)}


def cached_render_queries(path):
    """The queries of a render once the page cache holds ``path`` (the default cache)."""
    with override_settings(APPEALS_PAGE_CACHE="default"):
        return render_queries(path)


def timings_ms(action, repeat):
    timings = []
    for _ in range(repeat):
        started = time.perf_counter()
        action()
        timings.append((time.perf_counter() - started) * 1000)
    timings.sort()
    return {
        "median_ms": statistics.median(timings),
        "p99_ms": timings[int(len(timings) * 0.99) - 1],
        "repeat": repeat,
    }


def count_read(appeal_pk, repeat=1000):
    """Reading an appeal and its count, as a page does: ``Appeal.objects.get`` and
    ``counters.current``."""
    count = counters.current(Appeal.objects.get(pk=appeal_pk))
    result = timings_ms(lambda: counters.current(Appeal.objects.get(pk=appeal_pk)), repeat)
    return {**result, "count": count}


def live_count(path, repeat=200):
    """The live count's JSON endpoint, if the site has one (``status`` says)."""
    visitor = client()
    # A 404 here is an answer, not a problem to log.
    logging.getLogger("django.request").setLevel(logging.ERROR)
    status = visitor.get(path).status_code
    if status != 200:
        return {"status": status}
    return {"status": status, **timings_ms(lambda: visitor.get(path), repeat)}


def seed_appeal():
    """The appeal of the demo's seed case: the one with the most signatures."""
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
    from bench.cases import random_key

    case = CasePage.objects.filter(
        translation_key=random_key("case:0"), locale=Locale.get_default()
    ).first()
    return case.url if case else None


def stored_rows(results, appeal):
    """What the POST scenarios stored, beside what wrk counted: a check on the figures."""
    from appeals import counters
    from appeals.models import Appeal, Signature
    from bench.dataset import SUBMISSION_DOMAIN
    from bench.signers import CONFIRMATION_DOMAIN

    submissions = Signature.objects.filter(email_key__endswith=f"@{SUBMISSION_DOMAIN}").count()
    confirmations = Signature.objects.filter(
        email_key__endswith=f"@{CONFIRMATION_DOMAIN}", confirmed_at__isnull=False
    ).count()
    signing = [results[name] for name in ("sign-form", "sign-api")]
    count_before_a_fold = counters.current(Appeal.objects.get(pk=appeal.pk))
    # Where counts are folded from confirmations, the periodic fold's work (no task
    # worker runs during the bench).
    if "appeals_fold_counts" in get_commands():
        call_command("appeals_fold_counts", stdout=io.StringIO())
    return {
        "submissions_stored": submissions,
        "submissions_answered": sum(result["requests_all_runs"] for result in signing),
        "confirmations_stored": confirmations,
        "confirmations_answered": results["confirm"]["requests_all_runs"],
        "count_read_after_the_run": count_before_a_fold,
        "count_read_after": counters.current(Appeal.objects.get(pk=appeal.pk)),
        "confirmed_rows_after": appeal.signatures.confirmed().count(),
    }


def figures(appeal, repeat=1000):
    """Queries per render, the count read (``repeat`` times) and the live count, in this
    process."""
    paths = {language: SEED_CASE.format(language=language) for language in ("en", "fr", "ar", "fa")}
    generated = generated_case_path()
    queries = {f"seed case, {language}": render_queries(path) for language, path in paths.items()}
    if generated:
        for language in ("en", "ar"):
            queries[f"generated case, {language}"] = render_queries(
                generated.replace("/en/", f"/{language}/", 1)
            )
    queries["plain Wagtail page"] = render_queries(PLAIN_PAGE)
    queries["seed case, en, page cache on (warm)"] = cached_render_queries(paths["en"])
    return {
        "queries": queries,
        "count_read": count_read(appeal.pk, repeat),
        "live_count": live_count(f"/fr/appeals/{appeal.public_id}/count/", repeat // 5),
    }
