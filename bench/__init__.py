"""`make bench`: the site under gunicorn and wrk, beside a bare Django view (``bench.run``).

The ``bench`` app (installed by ``bench.settings`` only) holds the baselines' models:
a one-column table for the bare INSERT view, and a plain Wagtail page to compare with.
"""
