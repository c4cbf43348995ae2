"""The baselines: what Django itself costs under the same server, middleware and database."""

from django.http import HttpResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from bench.models import BareRow

PARAGRAPH = (
    "<p>Human rights defenders are attacked, detained and charged for their peaceful work. "
    "Read their cases and write to the authorities on their behalf.</p>\n"
)
# About the size of the seed case page's letter and story: 5.4 KB, built once.
CONSTANT_PAGE = (
    '<!DOCTYPE html>\n<html lang="en">\n<head><meta charset="utf-8">'
    "<title>A constant page</title></head>\n<body><main>\n"
    + PARAGRAPH * 34
    + "</main></body>\n</html>\n"
).encode()


@require_GET
def constant_view(request):
    """A constant page: no template, no query."""
    return HttpResponse(CONSTANT_PAGE)


@csrf_exempt
@require_POST
def insert_view(request):
    """One INSERT, answered with a tiny page."""
    BareRow.objects.create()
    return HttpResponse(b"ok\n", content_type="text/plain")
