"""wagtail-localize's translation editor, with review in it.

The editor is a React component that wagtail-localize renders with its props
(links and permissions) in one ``data-props`` attribute, through ``render()``:
no template context to extend, no hook into the props. So this page is
wagtail-localize's own, rendered by its own view, with two changes made to the
HTML it returns:

- for a user who may not publish, the props lose the "Convert to alias page"
  and "Stop Synced translation" links (the React footer leaves the first out
  when its link is missing; the second it always draws, so a style rule hides
  it when its link is gone). Their views refuse such a user in any case
  (``translation_publishing``): this only keeps the buttons out of sight;
- above the editor, a panel says whether the translation holds changes not yet
  reviewed, offers "Submit translation for review" when there is something to
  review, and gives a reviewer the workflow's own actions (approve, request
  changes) on the task in progress, posted to Wagtail's workflow action view.

Should a later wagtail-localize render its editor differently, the page is left
as it is: the permission checks do not depend on it, and the tests say so.
"""

import json
import re
from html import unescape

from django.core.serializers.json import DjangoJSONEncoder
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import escape
from wagtail.models import Page
from wagtail_localize.views import edit_translation as localize_editor

from appeals.admin.appeal_panels import counts_above_translation_editor
from appeals.admin.translation_publishing import (
    PUBLISHER_ONLY_EDITOR_LINKS,
    may_publish,
    refuse_convert_to_alias,
)
from appeals.admin.translation_review import (
    can_submit_translation_for_review,
    has_unreviewed_changes,
    synced_translation_of,
)

EDITOR_MOUNT = re.compile(r'<div class="js-translation-editor" data-props="(?P<props>[^"]*)">')


def edit_translation(request, page):
    """``before_edit_page``, ahead of wagtail-localize's: the editor of a synced translation.

    Anything else (an alias, a page not translated, a POST) goes on to
    wagtail-localize's hook and Wagtail's editor as before.
    """
    refuse_convert_to_alias(request, page)
    if request.method != "GET" or page.alias_of_id:
        return None
    translation = synced_translation_of(page)
    if translation is None:
        return None
    response = localize_editor.edit_translation(request, translation, page)
    if response.status_code != 200:
        return response
    html = response.content.decode(response.charset)
    found = EDITOR_MOUNT.search(html)
    if found is None:
        return response
    # The page as stored, not as its latest draft: live state and workflow are the row's.
    page = Page.objects.get(pk=page.pk).specific
    publisher = may_publish(page, request.user)
    props = json.loads(unescape(found["props"]))
    if not publisher:
        for name in PUBLISHER_ONLY_EDITOR_LINKS:
            props["links"][name] = None
    panel = counts_above_translation_editor(request, page) + review_panel(
        request, page, translation, publisher
    )
    escaped_props = escape(json.dumps(props, cls=DjangoJSONEncoder))
    mount = f'<div class="js-translation-editor" data-props="{escaped_props}">'
    response.content = html[: found.start()] + panel + mount + html[found.end() :]
    return response


def workflow_actions(page, user):
    """The actions ``user`` may take on the task reviewing ``page``: label, URL, comment or not."""
    task_state = page.current_workflow_task_state
    if task_state is None:
        return []
    task = task_state.task.specific
    return [
        {
            "label": label,
            "url": reverse(
                "wagtailadmin_pages:workflow_action", args=[page.id, name, task_state.id]
            ),
            "takes_comment": takes_comment,
        }
        for name, label, takes_comment in task.get_actions(page, user)
    ]


def review_panel(request, page, translation, publisher):
    task_state = page.current_workflow_task_state
    actions = workflow_actions(page, request.user)
    return render_to_string(
        "appeals/admin/translation_review_panel.html",
        {
            "page": page,
            "unreviewed": has_unreviewed_changes(page, translation),
            "submit_url": reverse("appeals_submit_translation_for_review", args=[page.id])
            if can_submit_translation_for_review(page, request.user)
            else None,
            "task_state": task_state,
            "actions": actions,
            "preview_url": reverse(
                "wagtailadmin_pages:workflow_preview", args=[page.id, task_state.task_id]
            )
            if actions
            else None,
            "hide_stop_translation": not publisher,
            "next_url": request.get_full_path(),
        },
        request=request,
    )
