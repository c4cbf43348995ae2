import secrets

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def new_public_id():
    return secrets.token_urlsafe(12)


class Appeal(models.Model):
    """One appeal in every language: the case's translation key and the appeal block's id.

    wagtail-localize keeps both across translations, so signatures from every
    translation of a case meet here. The row also holds the counter, read in
    constant time, and the state copied from the source page when it is
    published (goal, closing time, closed).
    """

    case_key = models.UUIDField(_("case"), editable=False)
    block_id = models.UUIDField(_("appeal block"), editable=False)
    public_id = models.CharField(
        _("public id"), max_length=32, unique=True, default=new_public_id, editable=False
    )
    title = models.CharField(_("title"), max_length=255, blank=True)
    signature_count = models.PositiveIntegerField(_("signatures"), default=0)
    goal = models.PositiveIntegerField(_("goal"), null=True, blank=True)
    closes_at = models.DateTimeField(_("closes at"), null=True, blank=True)
    closed = models.BooleanField(_("closed"), default=False)
    delivery_language = models.CharField(_("delivery language"), max_length=10, blank=True)

    class Meta:
        verbose_name = _("appeal")
        verbose_name_plural = _("appeals")
        constraints = [
            models.UniqueConstraint(
                fields=["case_key", "block_id"], name="appeals_one_appeal_per_block"
            ),
        ]

    def __str__(self):
        return self.title or str(self.block_id)

    def is_open(self, now=None):
        if self.closed:
            return False
        return self.closes_at is None or (now or timezone.now()) < self.closes_at

    @property
    def progress_percent(self):
        if not self.goal:
            return None
        return min(100, self.signature_count * 100 // self.goal)
