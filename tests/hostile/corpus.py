"""A corpus of hostile requests against the signing routes, by class of attack.

Each entry is a request that must answer below 500 and store no signature. The
classes follow the attacks the signing path was put through: loose JSON types,
broken Unicode, cross-site posts, deep or huge bodies, NULs and undecodable
bytes in paths and queries, look-alike e-mail addresses, invisible characters,
an appeal whose block is gone, forged tokens and stale forms.
"""

import json
import time
from dataclasses import dataclass, field

from appeals.forms import signed_render_time
from tests.builders import api_payload

EVIL = "http://evil.example"
OWN = "http://testserver"
LOCALES = ["en", "fr", "ar"]
BOOLEAN_FIELDS = ["consent", "keep_informed", "show_publicly"]
STRING_FIELDS = ["name", "email", "country", "city", "message", "rendered_at", "website"]
NOT_BOOLEANS = [0, 1, "0", "1", "no", "off", "yes", "true", "", [], {}, [True], {"a": 1}, 1.5, -1]
NOT_STRINGS = [True, False, 0, 1, 1.5, [], ["x"], {}, {"x": "y"}]
LONE_SURROGATES = ["\ud800", "a\udfffb", "\udbff"]
SINGLE_LINE_HOSTILE = [
    "Eve\r\nBcc: all", "Eve\tMallory", "Eve\u2028Mallory", "Eve\u2029Mallory",
    "\u202eyrollaM evE", "Eve\u2066Mallory\u2069", "Eve\u200bMallory", "\ufeffEve",
    "Eve\x00", "Eve\x1b[31m", "\u200b\u200b\u200b", "Eve\ufffe", "Eve\U0010ffff",
]  # fmt: skip
HOSTILE_EMAILS = [
    "victim@exa\u200bmple.org", "victim@exa\u00admple.org", "victim@exa\u200dmple.org",
    "victim@exa\u2060mple.org", "victim@\ufeffexample.org", "vic\u202etim@example.org",
    "a@" + "ß" * 246 + ".de",  # 254 characters that fold to 492
    "a@" + "x" * 250 + ".org", "@example.org", "victim@", "victim@@example.org",
    "victim@example.org\x00",
]  # fmt: skip
BAD_SEGMENTS = ["%00", "abc%00", "%ff%fe", "%c0%af", "%ed%a0%80"]


@dataclass
class Attack:
    kind: str
    method: str
    path: str
    body: bytes | dict | None = None
    content_type: str = "application/json"
    headers: dict = field(default_factory=dict)


def valid_payload(**overrides):
    return api_payload(**{"name": "Eve Mallory", "email": "eve@example.org", **overrides})


def valid_form(**overrides):
    form = {key: value for key, value in valid_payload().items() if key != "consent"}
    form["consent"] = "on"
    form.update(overrides)
    return form


def api_sign(kind, appeal_id, payload, locale="en", **headers):
    return Attack(
        kind, "post", f"/api/v3/appeals/{appeal_id}/signatures/?locale={locale}",
        json.dumps(payload).encode(), headers=headers,
    )  # fmt: skip


def html_sign(kind, appeal_id, data, language="en", origin=OWN):
    headers = {"origin": origin} if origin else {}
    return Attack(
        kind, "post", f"/{language}/appeals/{appeal_id}/sign/", data,
        "application/x-www-form-urlencoded", headers,
    )  # fmt: skip


def nested(depth):
    return ("[" * depth + "]" * depth).encode()


def attacks(appeal_id, orphan_id):
    """Every request of the corpus. ``orphan_id``: an appeal whose block was removed."""
    for locale in LOCALES:
        for name in BOOLEAN_FIELDS:
            for value in NOT_BOOLEANS:
                yield api_sign("not-a-boolean", appeal_id, valid_payload(**{name: value}), locale)
        for name in STRING_FIELDS:
            for value in NOT_STRINGS:
                yield api_sign("not-a-string", appeal_id, valid_payload(**{name: value}), locale)
    for name in ("name", "city", "message"):
        for value in LONE_SURROGATES:
            yield api_sign("lone-surrogate", appeal_id, valid_payload(**{name: value}))
            raw = json.dumps(valid_payload(**{name: value})).encode()
            yield Attack("lone-surrogate", "post", f"/api/v3/appeals/{appeal_id}/signatures/", raw)
        # Raw, and percent-encoded as a browser would send them.
        for raw_bytes in (b"\xed\xa0\x80", b"\xff\xfe", b"%FF%FE", b"%ED%A0%80", b"%C0%AF"):
            stamp = signed_render_time(time.time() - 60)
            body = (
                f"name=Eve&email=eve%40example.org&country=FR&consent=on&rendered_at={stamp}"
                f"&{name}="
            ).encode()
            yield Attack(
                "bad-utf8", "post", f"/en/appeals/{appeal_id}/sign/", body + raw_bytes,
                "application/x-www-form-urlencoded", {"origin": OWN},
            )  # fmt: skip
    for content_type in ("text/plain", "application/x-www-form-urlencoded", "multipart/form-data"):
        for origin in (EVIL, "null", None):
            headers = {"origin": origin} if origin else {}
            body = json.dumps(valid_payload()).encode()
            yield Attack(
                "cross-site", "post", f"/api/v3/appeals/{appeal_id}/signatures/", body,
                content_type, headers,
            )  # fmt: skip
    for origin in (EVIL, "null"):
        yield api_sign("cross-site", appeal_id, valid_payload(), origin=origin)
    for origin in (EVIL, "null", "http://testserver.evil.example", "https://testserver", ""):
        yield html_sign("cross-site", appeal_id, valid_form(), origin=origin)
    yield Attack(
        "cross-site", "post", f"/en/appeals/{appeal_id}/sign/", valid_form(),
        "application/x-www-form-urlencoded", {"origin": "null", "referer": f"{OWN}/en/"},
    )  # fmt: skip
    for depth in (100, 1000, 5000, 100_000):
        yield Attack("deep", "post", f"/api/v3/appeals/{appeal_id}/signatures/", nested(depth))
        yield Attack("deep", "post", "/api/v3/appeals/confirm/", nested(depth))
        yield Attack(
            "deep", "post", "/api/v3/appeals/confirm/", b'{"token": ' + nested(depth) + b"}"
        )
    huge = json.dumps({"token": "a" * 200_000}).encode()
    yield Attack("huge", "post", "/api/v3/appeals/confirm/", huge)
    yield Attack("huge", "post", f"/api/v3/appeals/{appeal_id}/signatures/", b" " * 200_000)
    yield api_sign("huge", appeal_id, valid_payload(message="m" * 100_000))
    for segment in BAD_SEGMENTS:
        yield Attack("path", "post", f"/en/appeals/{segment}/sign/", valid_form(),
                     "application/x-www-form-urlencoded", {"origin": OWN})  # fmt: skip
        yield Attack("path", "get", f"/en/appeals/{segment}/thanks/")
        yield Attack("path", "get", f"/api/v3/appeals/{segment}/")
        yield Attack("path", "post", f"/api/v3/appeals/{segment}/signatures/",
                     json.dumps(valid_payload()).encode())  # fmt: skip
        yield Attack("path", "get", f"/en/appeals/confirm/?token={segment}")
        yield Attack("path", "get", f"/{segment}/")
        yield Attack("path", "get", f"/en/cases/{segment}/")
        for parameter in ("search", "locale", "type", "fields", "order", "child_of"):
            yield Attack("query", "get", f"/api/v3/pages/?{parameter}={segment}")
        yield Attack("query", "get", f"/api/v3/appeals/{appeal_id}/?locale=fr{segment}")
        yield Attack("query", "get", f"/en/cases/?status={segment}")
    for email in HOSTILE_EMAILS:
        yield api_sign("e-mail", appeal_id, valid_payload(email=email))
        yield html_sign("e-mail", appeal_id, valid_form(email=email))
    for name in ("name", "city"):
        for value in SINGLE_LINE_HOSTILE:
            yield api_sign("single-line", appeal_id, valid_payload(**{name: value}))
            yield html_sign("single-line", appeal_id, valid_form(**{name: value}))
    for value in ("\x00", "\x1b[2J", "\u202e", "\ufffe", "\ufdd0"):
        yield api_sign("message", appeal_id, valid_payload(message=f"Free them {value}"))
    yield Attack("orphan", "get", f"/api/v3/appeals/{orphan_id}/")
    yield api_sign("orphan", orphan_id, valid_payload(email="orphan@example.org"))
    yield html_sign("orphan", orphan_id, valid_form(email="orphan@example.org"))
    for token in ("forged", "a" * 10_000, "%00", "..%2f..%2f", "é" * 50, "", " "):
        yield Attack(
            "token", "post", "/api/v3/appeals/confirm/", json.dumps({"token": token}).encode()
        )
        yield Attack("token", "post", "/en/appeals/confirm/", {"token": token},
                     "application/x-www-form-urlencoded", {"origin": OWN})  # fmt: skip
        yield Attack("token", "get", f"/en/appeals/confirm/?token={token}")
    for body in (b"[]", b'"x"', b"1", b"null", b"true", b"{", b"\xff\xfe", b'{"a": NaN}'):
        yield Attack("shape", "post", f"/api/v3/appeals/{appeal_id}/signatures/", body)
        yield Attack("shape", "post", "/api/v3/appeals/confirm/", body)
    yield api_sign("shape", appeal_id, {**valid_payload(), "is_admin": True})
    for stamp in (
        "",
        "1:forged",
        signed_render_time(time.time() + 3600),
        signed_render_time(time.time() - 86400),
        signed_render_time(time.time()),
    ):
        yield api_sign("render-time", appeal_id, valid_payload(rendered_at=stamp))
        yield html_sign("render-time", appeal_id, valid_form(rendered_at=stamp))  # fmt: skip
    yield api_sign("honeypot", appeal_id, valid_payload(website="http://spam.example"))
    yield html_sign("honeypot", appeal_id, valid_form(website="http://spam.example"))
    for origin in (EVIL, "null", None):
        headers = {"origin": origin} if origin else {}
        yield Attack("confirm-origin", "post", "/en/appeals/confirm/", {"token": "x" * 43},
                     "application/x-www-form-urlencoded", headers)  # fmt: skip
