"""What is measured inside one process against the bench's database: queries per page,
the time to read a count, and the live count's endpoint."""

import logging
import statistics
import time

from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext

from appeals import counters
from appeals.models import Appeal

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
