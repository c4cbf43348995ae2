"""What the plugin does when Wagtail publishes or unpublishes a page, and once delivery
packs are redacted; connected in ``AppConfig.ready()``."""

from wagtail.signals import page_published, page_unpublished, post_page_move

from appeals import cache
from appeals.conf import appeals_conf
from appeals.localization import mirror_where_untranslated
from appeals.models import Appeal, CasePage
from appeals.redaction import packs_redacted
from appeals.tasks import rebuild_delivery_packs


def sync_appeals_on_publish(sender, instance, **kwargs):
    """Publishing a source case page sets its appeals' state for every language."""
    if isinstance(instance, CasePage):
        Appeal.objects.sync_from(instance)


def mirror_cases_on_publish(sender, instance, alias=False, **kwargs):
    """Publishing a source case page shows it at once in every language that has no
    translation of it yet, as an alias (Wagtail then publishes the aliases too:
    ``alias`` is true for those, which are no source)."""
    if alias or not isinstance(instance, CasePage):
        return
    if appeals_conf.MIRROR_UNTRANSLATED_CASES:
        mirror_where_untranslated(instance)


def forget_cached_case(sender, instance, alias=False, **kwargs):
    """Publishing or unpublishing any page of a case (its source, a translation, an alias)
    makes every language's cached copy of it stale: each shows the source's appeal state."""
    if isinstance(instance, CasePage):
        cache.case_changed(instance, alias=alias)


def forget_moved_case(sender, instance, **kwargs):
    """A case page moved leaves its address without being published: nothing kept there may
    be served. (Deleting a live page unpublishes it.) Wagtail sends the plain ``Page``,
    with the case's class as sender."""
    if issubclass(sender, CasePage):
        cache.case_changed(instance)


def rebuild_redacted_packs(sender, delivery_ids, **kwargs):
    """Packs redacted by an erasure, a withdrawal or the purge are made again in the
    background: ten thousand signatories take longer than a request may."""
    rebuild_delivery_packs.enqueue(list(delivery_ids))


def register_signal_handlers():
    page_published.connect(sync_appeals_on_publish, dispatch_uid="appeals-sync-on-publish")
    page_published.connect(mirror_cases_on_publish, dispatch_uid="appeals-mirror-on-publish")
    page_published.connect(forget_cached_case, dispatch_uid="appeals-forget-cache-on-publish")
    page_unpublished.connect(forget_cached_case, dispatch_uid="appeals-forget-cache-on-unpublish")
    post_page_move.connect(forget_moved_case, dispatch_uid="appeals-forget-on-move")
    packs_redacted.connect(rebuild_redacted_packs, dispatch_uid="appeals-rebuild-redacted-packs")
