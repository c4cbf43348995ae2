"""The hostile corpus (``tests/hostile/corpus.py``): no 5xx, and no signature stored.

Run with ``-s`` to see the figures per class of attack.
"""

from collections import Counter, defaultdict

import pytest
from django.db import transaction
from django.test import Client, override_settings

from appeals.models import Appeal, Signature
from tests.builders import set_appeal_option
from tests.hostile.corpus import attacks

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


@pytest.fixture
def orphan_id(tree):
    """An appeal whose block was removed from its (published) page."""
    from tests.builders import make_case

    case = make_case(tree.index, title="Free Oleg Orlov", slug="oleg-orlov")
    (block,) = case.get_appeal_blocks()
    appeal = case.get_appeal(block.id)
    case.body = [item for item in case.body.raw_data if item["type"] != "appeal"]
    case.save_revision().publish()
    assert Appeal.objects.filter(pk=appeal.pk).exists()
    return appeal.public_id


def send(client, attack):
    """The response; in a savepoint, so that a request that broke the database
    transaction (a server error) does not break the requests after it."""
    with transaction.atomic():
        return request(client, attack)


def request(client, attack):
    call = getattr(client, attack.method)
    if attack.method == "get":
        return call(attack.path, headers=attack.headers)
    return call(attack.path, attack.body, content_type=attack.content_type, headers=attack.headers)


@override_settings(APPEALS_SUBMISSIONS_PER_NETWORK=100_000)
def test_no_hostile_request_is_a_server_error_or_stores_a_signature(tree, appeal, orphan_id):
    set_appeal_option(tree.case, show_signers=True)
    client = Client(raise_request_exception=False)
    by_kind, server_errors, stored = Counter(), defaultdict(list), defaultdict(list)
    # Made one at a time, as they are sent: a render time is taken just before its request.
    for attack in attacks(appeal.public_id, orphan_id):
        before = Signature.objects.count()
        response = send(client, attack)
        by_kind[attack.kind] += 1
        if response.status_code >= 500:
            server_errors[attack.kind].append(f"{attack.method} {attack.path[:80]}")
        if Signature.objects.count() != before:
            stored[attack.kind].append(
                f"{attack.method} {attack.path[:80]} {str(attack.body)[:80]}"
            )
    total = sum(by_kind.values())
    print(f"\nHostile corpus: {total} requests")
    for kind, count in sorted(by_kind.items()):
        print(f"  {kind:<16} {count:>4} requests, "
              f"{len(server_errors[kind]):>3} 5xx, {len(stored[kind]):>3} rows stored")  # fmt: skip
    assert total >= 500
    assert {kind: requests for kind, requests in server_errors.items() if requests} == {}
    assert {kind: requests for kind, requests in stored.items() if requests} == {}
