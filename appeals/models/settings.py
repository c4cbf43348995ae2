import logging

from django.core.cache import cache
from django.db import models, transaction
from django.db.models import Q
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.models import Page

logger = logging.getLogger(__name__)

# What the cache keeps of a site's settings: values only, never the privacy page itself,
# whose address changes with the page (its slug, its place, its translations).
CACHED_FIELDS = ("id", "privacy_page_id", "consent_version")
# Saving the settings clears their entry in every process at once (a shared cache); the
# timeout only bounds how long a process that lost its cache (Redis down, local memory
# instead) may keep an entry another process has cleared meanwhile.
CACHE_TIMEOUT = 300


def settings_cache_key(site_id):
    return f"appeals:settings:{site_id}"


@register_setting(icon="lock")
class AppealsSettings(BaseSiteSetting):
    """What signers agree to: the privacy notice they are shown and its version."""

    privacy_page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("privacy notice"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Linked beside the consent box, in the visitor's language where translated."),
    )
    consent_version = models.CharField(
        _("consent version"),
        max_length=50,
        default="1",
        help_text=_("Stored with each signature. Change it whenever the privacy notice changes."),
    )

    panels = [FieldPanel("privacy_page"), FieldPanel("consent_version")]
    select_related = ["privacy_page__locale"]

    class Meta:
        verbose_name = _("appeal settings")

    @classmethod
    def for_site(cls, site):
        """The site's settings, or its defaults while none are saved.

        Wagtail's own ``for_site`` creates the row on first read; public pages
        read these settings, and rendering a page writes nothing. The admin's
        settings form saves the row the first time an editor saves it.
        """
        if site is None:
            raise cls.DoesNotExist(f"{cls.__name__} does not exist for site None.")
        return cls.base_queryset().filter(site=site).first() or cls(site=site)

    @classmethod
    def cached_for_site(cls, site_id):
        """The settings of the site ``site_id`` as saved, or its defaults, kept in Django's
        cache until an editor saves them: public pages and every signature read them.

        Values only (``privacy_notice`` looks the page up); the database is read, never
        written: the admin's form saves the row.
        """
        key = settings_cache_key(site_id)
        values = read_cache(key)
        if values is None:
            saved = cls.objects.filter(site_id=site_id).values(*CACHED_FIELDS).first()
            values = saved or {}
            write_cache(key, values)
        return cls(site_id=site_id, **values)

    @classmethod
    def for_page(cls, page, request=None):
        """The settings of the site ``page`` belongs to (the one ``request`` asked, where it
        belongs to several), as ``cached_for_site`` keeps them: Wagtail knows the site from
        its cached root paths, so no Site query."""
        url_parts = page.get_url_parts(request)
        return cls.cached_for_site(url_parts[0]) if url_parts else cls()

    def privacy_notice(self, language):
        """The privacy notice, live in ``language`` where translated, else as chosen; None
        without one. One query, whatever the language: the chosen page and its translation
        in ``language`` come together, each with its locale (their URLs need it)."""
        if self.privacy_page_id is None:
            return None
        chosen = Page.objects.filter(pk=self.privacy_page_id).values("translation_key")
        found = list(
            Page.objects.filter(translation_key__in=chosen)
            .filter(Q(pk=self.privacy_page_id) | Q(live=True, locale__language_code=language))
            .select_related("locale")
            .only("url_path", "locale__language_code")  # all that its URL needs
        )
        in_language = [page for page in found if page.locale.language_code == language]
        return next(iter(in_language), None) or next(iter(found), None)


def read_cache(key):
    """The cached value, or None while the cache fails: the database answers instead."""
    try:
        return cache.get(key)
    except Exception as error:  # each cache backend raises its own
        logger.warning("The cache failed reading %s (%s): read from the database", key, error)
        return None


def write_cache(key, values):
    try:
        cache.set(key, values, CACHE_TIMEOUT)
    except Exception as error:  # each cache backend raises its own
        logger.warning("The cache failed writing %s (%s)", key, error)


def forget_cached(key):
    try:
        cache.delete(key)
    except Exception as error:  # each cache backend raises its own
        logger.warning("The cache failed deleting %s (%s)", key, error)


@receiver(post_save, sender=AppealsSettings, dispatch_uid="appeals_settings_saved")
@receiver(post_delete, sender=AppealsSettings, dispatch_uid="appeals_settings_deleted")
def forget_cached_settings(sender, instance, **kwargs):
    """Drop the site's cached settings now, and again once saved for good: a page read
    meanwhile may have cached the values the transaction was replacing."""
    key = settings_cache_key(instance.site_id)
    forget_cached(key)
    transaction.on_commit(lambda: forget_cached(key))
