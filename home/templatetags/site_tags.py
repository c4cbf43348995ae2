from dataclasses import dataclass

from django import template
from django.conf import settings
from django.urls import reverse, translate_url
from django.utils import translation

from appeals import localization

register = template.Library()


@dataclass
class LanguageLink:
    code: str
    name: str  # in the language itself
    url: str
    full_url: str
    current: bool


@register.simple_tag
def live_translations(page):
    """The page's live translations with their locales, fetched once however often asked."""
    if not hasattr(page, "get_translations"):  # a view without a page
        return []
    return localization.live_translations(page)


def interface_only_languages():
    """Languages the interface speaks but cases are not written in (Persian here).

    Wagtail serves their URL prefix from the default locale's tree, so a page
    exists in them wherever it exists in the default language.
    """
    content = {code for code, _name in settings.WAGTAIL_CONTENT_LANGUAGES}
    return [code for code, _name in settings.LANGUAGES if code not in content]


def in_language_prefix(url, code, url_language=None):
    """``url`` (an address in ``url_language``, the active one by default) under the URL
    prefix of ``code``. Django resolves an address only in the active language's prefix."""
    with translation.override(url_language or translation.get_language()):
        return translate_url(url, code)


def page_urls(page, request):
    """Each language's URL of ``page``: its live translations', and for interface-only
    languages, its default-language version under their prefix. Worked out once per page
    object: the switcher and the ``hreflang`` alternates both ask."""
    if "_language_urls" not in page.__dict__:
        page._language_urls = language_urls_of(page, request)
    return page._language_urls


def language_urls_of(page, request):
    versions = {page.locale.language_code: page}
    for translated in live_translations(page):
        versions[translated.locale.language_code] = translated
    urls = {
        code: (version.get_url(request), version.get_full_url(request))
        for code, version in versions.items()
    }
    default_code = localization.default_language()
    if default_code in urls:
        for code in interface_only_languages():
            urls[code] = tuple(
                in_language_prefix(url, code, default_code) for url in urls[default_code]
            )
    return urls


def view_urls(request):
    """Each language's URL of a page that is not a Wagtail page: the same address in
    that language for the plugin's views (the confirmation page keeps its token), else
    the home page of that language (a 404 has no address worth keeping)."""
    match = getattr(request, "resolver_match", None)
    urls = {}
    for code, _name in settings.LANGUAGES:
        if match and match.namespace == "appeals" and request.method == "GET":
            url = in_language_prefix(request.get_full_path(), code)
        else:
            with translation.override(code):
                url = reverse("wagtail_serve", args=[""])
        urls[code] = (url, request.build_absolute_uri(url))
    return urls


@register.simple_tag(takes_context=True)
def language_links(context):
    """Every language the page can be read in, in the order of ``LANGUAGES``, each named in
    itself (as ``LANGUAGES`` names it), the visitor's current one marked ``current``."""
    request = context.get("request")
    page = context.get("page")
    if request is None:
        return []
    urls = page_urls(page, request) if hasattr(page, "get_translations") else view_urls(request)
    current = translation.get_language()
    return [
        LanguageLink(code, name, *urls[code], current=code == current)
        for code, name in settings.LANGUAGES
        if code in urls
    ]
