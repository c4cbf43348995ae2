"""Who may know who signed: the campaign desk's permissions, in one place.

Django's own "view" permission on ``Signature`` lets a user see signers' names,
addresses, towns and messages; the others are the desk's custom permissions
(``Signature.Meta.permissions``). Migration 0006 gives them all to the "Campaign
managers" group. Without them, a user sees counts, never a signer.
"""

from django.contrib.auth.models import Permission
from wagtail.permissions import page_permission_policy

VIEW_SIGNATURES = "appeals.view_signature"
EXPORT_SIGNATURES = "appeals.export_signature"
ERASE_SIGNER = "appeals.erase_signer"
DELIVER_SIGNATURES = "appeals.deliver_signature"
INFORM_SIGNERS = "appeals.inform_signers"

DESK_PERMISSIONS = (
    VIEW_SIGNATURES, EXPORT_SIGNATURES, ERASE_SIGNER, DELIVER_SIGNATURES, INFORM_SIGNERS,
)  # fmt: skip


def codename(permission):
    return permission.split(".", 1)[1]


def may_see_signers(user):
    return user.has_perm(VIEW_SIGNATURES)


def may_export(user):
    return user.has_perm(VIEW_SIGNATURES) and user.has_perm(EXPORT_SIGNATURES)


def may_erase(user):
    return user.has_perm(ERASE_SIGNER)


def may_deliver(user):
    return user.has_perm(VIEW_SIGNATURES) and user.has_perm(DELIVER_SIGNATURES)


def may_inform_signers(user):
    """Whether ``user`` may e-mail a case's timeline entries to the signers who asked:
    the desk shows how many they are, never who."""
    return user.has_perm(INFORM_SIGNERS)


def desk_permissions():
    """The desk's permissions, for Wagtail's group editor (``register_permissions``)."""
    return Permission.objects.filter(
        content_type__app_label="appeals",
        codename__in=[codename(permission) for permission in DESK_PERMISSIONS],
    )


def may_follow_appeals(user):
    """Whether ``user`` may see how appeals are doing: their counts, never a signer.

    Counts are nobody's personal data, so whoever may edit pages (editors, moderators,
    translators) follows them as campaign managers do.
    """
    return may_see_signers(user) or page_permission_policy.user_has_any_permission(
        user, {"add", "change", "publish"}
    )
