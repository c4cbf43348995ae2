"""The baselines' models: what a bare Django view and a plain Wagtail page cost."""

from django.db import models
from wagtail import blocks
from wagtail.fields import StreamField
from wagtail.models import Page


class BareRow(models.Model):
    """One row per POST to the bare INSERT view."""

    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return f"row {self.pk}"


class PlainPage(Page):
    """A plain Wagtail page of rich-text blocks, rendered by a minimal template."""

    body = StreamField([("paragraph", blocks.RichTextBlock())])

    template = "bench/plain_page.html"
