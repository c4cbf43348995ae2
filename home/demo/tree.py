"""Builds the demo site in English through the same APIs an editor uses.

Every demo object has a fixed translation key, so a second run finds what the
first one made and changes nothing, and pages that are not the demo's are
never touched.
"""

import os
import uuid

from django.db import transaction
from wagtail.models import Locale, Page, Site
from wagtail.rich_text import RichText

from appeals.models import AppealsSettings, CaseIndexPage, CasePage, CaseUpdate, Status
from home.demo import content
from home.models import HomePage, StandardPage

DEMO_NAMESPACE = uuid.UUID("3f6b0c1e-5a43-4d4e-9d55-1f0e2b7c6a10")
# Where `make demo` serves the site: runserver on 127.0.0.1:$PORT.
DEMO_HOSTNAME = "127.0.0.1"
WELCOME_TITLE = "Welcome to your new Wagtail site!"


def demo_port():
    """The port `make demo` serves on (``PORT``, 8000 by default)."""
    return int(os.environ.get("PORT") or "8000")


def demo_url(path="/"):
    return f"http://{DEMO_HOSTNAME}:{demo_port()}{path}"


def demo_key(name):
    """The fixed translation key (or block id) of a demo object."""
    return uuid.uuid5(DEMO_NAMESPACE, name)


def paragraphs(texts):
    return RichText("".join(f"<p>{text}</p>" for text in texts))


def rich_text(elements):
    """Rich text from ``(tag, text)`` pairs, or ``("ul", [items])``."""
    html = []
    for tag, text in elements:
        if isinstance(text, list):
            text = "".join(f"<li>{item}</li>" for item in text)
        html.append(f"<{tag}>{text}</{tag}>")
    return RichText("".join(html))


def ensure_locales(language_codes):
    return [Locale.objects.get_or_create(language_code=code)[0] for code in language_codes]


def ensure_statuses(locale):
    statuses = {}
    for slug, name, is_final in content.STATUSES:
        statuses[slug], _ = Status.objects.get_or_create(
            translation_key=demo_key(f"status:{slug}"),
            locale=locale,
            defaults={"name": name, "slug": slug, "is_final": is_final},
        )
    return statuses


def find_demo_page(model, name, locale):
    return model.objects.filter(translation_key=demo_key(name), locale=locale).first()


def add_published_child(parent, page, user):
    parent.add_child(instance=page)
    page.save_revision(user=user, log_action=True).publish(user=user)
    return page


def ensure_home_page(locale, user):
    home = find_demo_page(HomePage, "home", locale)
    if home:
        return home
    root = Page.get_first_root_node()
    home = HomePage(
        title=content.HOME_TITLE,
        slug=free_slug(root, "urgent-actions"),
        introduction=paragraphs([content.HOME_INTRODUCTION]),
        locale=locale,
        translation_key=demo_key("home"),
    )
    return add_published_child(root, home, user)


def free_slug(parent, slug):
    """``slug``, or ``slug-2``... if a sibling already uses it."""
    taken = set(parent.get_children().values_list("slug", flat=True))
    candidate, number = slug, 1
    while candidate in taken:
        number += 1
        candidate = f"{slug}-{number}"
    return candidate


def ensure_site(home):
    """Serve the demo from the default site, unless that site already shows real pages.

    Wagtail's first migration makes a placeholder "Welcome" page the site's root;
    that one is replaced. A site whose root is anything else is left alone. The
    demo's site follows ``PORT``, so that e-mailed links point at the running demo.
    """
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        return Site.objects.create(
            hostname=DEMO_HOSTNAME,
            port=demo_port(),
            root_page=home,
            is_default_site=True,
            site_name=content.HOME_TITLE,
        )
    if site.root_page_id == home.id:
        if site.hostname == DEMO_HOSTNAME and site.port != demo_port():
            site.port = demo_port()
            site.save()
        return site
    if not is_wagtail_placeholder(site.root_page):
        return site
    site.root_page = home
    site.site_name = content.HOME_TITLE
    # Links in e-mails point at the demo server (`make demo` serves here).
    site.hostname = DEMO_HOSTNAME
    site.port = demo_port()
    site.save()
    return site


def is_wagtail_placeholder(page):
    """The untouched "Welcome" page that Wagtail's first migration creates.

    Untouched: its title and slug as made, no children, never edited (no revision)
    and never translated.
    """
    return (
        page.specific_class is Page
        and page.slug == "home"
        and page.title == WELCOME_TITLE
        and not page.get_children().exists()
        and not page.revisions.exists()
        and not page.get_translations().exists()
    )


def remove_wagtail_placeholder():
    """Delete the untouched "Welcome" page once no site serves it.

    Left at the root of the tree, it shows up to editors and translators as a
    page to translate. A page someone changed, gave children, or serves is kept.
    """
    for page in Page.objects.filter(depth=2, slug="home", title=WELCOME_TITLE):
        if is_wagtail_placeholder(page) and not Site.objects.filter(root_page=page).exists():
            page.delete()


def ensure_index_page(home, user):
    index = find_demo_page(CaseIndexPage, "cases", home.locale)
    if index:
        return index
    index = CaseIndexPage(
        title=content.INDEX_TITLE,
        slug=free_slug(home, "cases"),
        introduction=paragraphs([content.INDEX_INTRODUCTION]),
        locale=home.locale,
        translation_key=demo_key("cases"),
    )
    return add_published_child(home, index, user)


def ensure_privacy_page(home, user):
    privacy = find_demo_page(StandardPage, "privacy", home.locale)
    if privacy:
        return privacy
    privacy = StandardPage(
        title=content.PRIVACY_TITLE,
        slug=free_slug(home, content.PRIVACY_SLUG),
        body=rich_text(content.PRIVACY_BODY),
        locale=home.locale,
        translation_key=demo_key("privacy"),
    )
    return add_published_child(home, privacy, user)


def link_privacy_page(site, home, privacy):
    """Link the consent box to the demo's notice, on the demo's site, unless one is chosen."""
    if site.root_page_id != home.id:
        return
    settings = AppealsSettings.objects.filter(site=site).first() or AppealsSettings(site=site)
    if settings.pk is None or settings.privacy_page_id is None:
        settings.privacy_page = privacy
        settings.save()


def case_body():
    def block(name, block_type, value):
        return {"type": block_type, "value": value, "id": str(demo_key(f"block:{name}"))}

    def incident(name, data):
        return block(
            name,
            "incident",
            {
                "date": data["date"].isoformat(),
                "place": data["place"],
                "narrative": paragraphs(data["narrative"]).source,
            },
        )

    def list_items(name, texts):
        # Block format, as the editor saves lists: wagtail-localize extracts
        # one segment per item only from lists stored this way.
        return [
            {"type": "item", "value": text, "id": str(demo_key(f"{name}:{number}"))}
            for number, text in enumerate(texts)
        ]

    appeal = content.APPEAL
    recipient = {
        **content.RECIPIENT,
        "address_lines": list_items("address", content.RECIPIENT["address_lines"]),
    }
    return [
        block("recipient", "recipient", recipient),
        incident("attack", content.INCIDENT_ATTACK),
        incident("raid", content.INCIDENT_RAID),
        block(
            "background",
            "paragraph",
            f"<h2>{content.BACKGROUND_HEADING}</h2>" + paragraphs(content.BACKGROUND).source,
        ),
        block(
            "demands",
            "demands",
            {
                "introduction": content.DEMANDS_INTRODUCTION,
                "demands": list_items("demand", content.DEMANDS),
            },
        ),
        block(
            "appeal",
            "appeal",
            {
                "heading": appeal["heading"],
                "introduction": appeal["introduction"],
                "salutation": "",
                "letter": paragraphs(appeal["paragraphs"]).source,
                "include_demands": True,
                "closing": appeal["closing"],
                "goal": appeal["goal"],
                "closes_at": None,
                "delivery_language": "ru",
                "show_signers": False,
            },
        ),
    ]


def ensure_case_page(index, statuses, user):
    case = find_demo_page(CasePage, "case:igor-kalyapin", index.locale)
    if case:
        return case
    case = CasePage(
        title=content.CASE_TITLE,
        slug=free_slug(index, content.CASE_SLUG),
        defender_name=content.DEFENDER_NAME,
        defender_organisation=content.DEFENDER_ORGANISATION,
        defender_role=content.DEFENDER_ROLE,
        status=statuses[content.CASE_STATUS],
        summary=content.SUMMARY,
        body=case_body(),
        locale=index.locale,
        translation_key=demo_key("case:igor-kalyapin"),
    )
    case.updates = [
        CaseUpdate(
            date=update["date"],
            status=statuses[update["status"]],
            text=update["text"],
            locale=index.locale,
            translation_key=demo_key(f"update:{number}"),
        )
        for number, update in enumerate(content.UPDATES)
    ]
    return add_published_child(index, case, user)


@transaction.atomic
def build_source_tree(locale, user):
    """The English statuses, home page, privacy notice, case index and seed case, created once."""
    statuses = ensure_statuses(locale)
    home = ensure_home_page(locale, user)
    site = ensure_site(home)
    remove_wagtail_placeholder()
    privacy = ensure_privacy_page(home, user)
    link_privacy_page(site, home, privacy)
    index = ensure_index_page(home, user)
    case = ensure_case_page(index, statuses, user)
    return {
        "statuses": statuses,
        "home": home,
        "site": site,
        "privacy": privacy,
        "index": index,
        "case": case,
    }
