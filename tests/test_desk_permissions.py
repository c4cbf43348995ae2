"""The campaign desk's rights: a group that holds them, shown in Wagtail's group editor,
and its actions readable in Wagtail's audit log."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from wagtail.log_actions import log, registry

from appeals.admin import log_actions, permissions
from tests.builders import make_user

pytestmark = pytest.mark.django_db

DESK = {"view_signature", "export_signature", "erase_signer", "deliver_signature"}


def test_campaign_managers_hold_every_right_of_the_desk():
    manager = make_user("manager", groups=["Campaign managers"])
    assert all(manager.has_perm(permission) for permission in permissions.DESK_PERMISSIONS)
    assert manager.has_perm("wagtailadmin.access_admin")
    assert permissions.may_see_signers(manager) and permissions.may_export(manager)
    assert permissions.may_erase(manager) and permissions.may_deliver(manager)
    # The desk's audit-log entries are kept against appeals: Site history shows them to
    # whoever has a permission on the Appeal model.
    assert manager.has_perm("appeals.view_appeal")


@pytest.mark.parametrize("group", ["Editors", "Moderators", "Translators"])
def test_no_other_group_may_know_who_signed(group):
    user = make_user("someone", groups=[group])
    assert not any(user.has_perm(permission) for permission in permissions.DESK_PERMISSIONS)
    assert not permissions.may_see_signers(user)


def test_the_group_editor_offers_the_desk_rights(client, tree):
    client.force_login(make_user("desk-admin", superuser=True))
    group = Group.objects.get(name="Campaign managers")
    response = client.get(reverse("wagtailusers_groups:edit", args=[group.pk]))
    assert response.status_code == 200
    checked = {
        permission.codename for permission in response.context["form"].instance.permissions.all()
    }
    assert checked >= DESK
    html = response.content.decode()
    for label in ["Can export signatures", "Can erase a signer", "Can deliver signatures"]:
        assert label in html


def test_the_migration_can_be_undone_and_redone():
    from importlib import import_module

    from django.db import connection
    from django.db.migrations.loader import MigrationLoader

    migration = import_module("appeals.migrations.0006_campaign_managers")
    state = MigrationLoader(connection).project_state(("appeals", "0006_campaign_managers"))
    migration.remove_campaign_managers(state.apps, None)
    assert not Group.objects.filter(name="Campaign managers").exists()
    migration.create_campaign_managers(state.apps, None)
    migration.create_campaign_managers(state.apps, None)  # twice: the same group
    codenames = Group.objects.get(name="Campaign managers").permissions.values_list(
        "codename", flat=True
    )
    assert set(codenames) >= DESK | {"access_admin", "view_appeal"}


def test_desk_actions_read_clearly_in_the_audit_log(tree):
    manager = make_user("manager", groups=["Campaign managers"])
    entry = log(
        tree.appeal, log_actions.EXPORT, user=manager,
        data={"rows": 3, "format": "csv", "filters": "language: fr"},
    )  # fmt: skip
    assert registry.action_exists(log_actions.EXPORT)
    assert entry.message == "Exported 3 signatures as CSV (language: fr)"
    erased = log(tree.appeal, log_actions.ERASE, user=manager, data={"signatures": 1})
    assert erased.message == "Erased a signer's 1 signature"
    assert "@" not in str(erased.data)
    labels = dict(registry.get_choices())
    assert labels[log_actions.WITHDRAW] == "Withdraw a signature"


def test_a_campaign_manager_reads_the_desks_entries_in_site_history(client, tree):
    manager = make_user("manager", groups=["Campaign managers"])
    log(tree.appeal, log_actions.ERASE, user=manager, data={"signatures": 2})
    client.force_login(manager)
    response = client.get(reverse("wagtailadmin_reports:site_history"))
    assert response.status_code == 200
    assert "Erased a signer&#x27;s 2 signatures" in response.content.decode()


def test_delivery_steps_read_with_their_delivery_and_count(tree):
    manager = make_user("manager", groups=["Campaign managers"])
    data = {"delivery": 7, "signatures": 120}
    prepared = log(tree.appeal, log_actions.PREPARE_DELIVERY, user=manager, data=data)
    delivered = log(tree.appeal, log_actions.DELIVER, user=manager, data=data)
    assert prepared.message == "Prepared delivery 7 of 120 signatures"
    assert delivered.message == "Recorded delivery 7 of 120 signatures as delivered"
    one = log(tree.appeal, log_actions.PREPARE_DELIVERY, data={"delivery": 8, "signatures": 1})
    assert one.message == "Prepared delivery 8 of 1 signature"
