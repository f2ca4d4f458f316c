"""Replayed answers: only the same request, for a live token whose role has the access, while the
data and the date are unchanged; a bounded memory whatever keys clients invent."""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace

import anyio

from facilities.core.http import ACCESS, REPLAY
from facilities.core.replay import Answers, Replay, Sent

ROLES = {"tok-admin": "admin", "tok-liaison": "liaison"}
ACCESS_OF = {"read": {"admin", "liaison"}, "admin": {"admin"}}


class World:
    """An app answering 200 with a counter, and what the replay in front of it sees."""

    def __init__(self, access: str = "read", replay: bool = True, status: int = 200) -> None:
        self.calls = 0
        self.version = 1
        self.day = date(2026, 11, 25)
        self.handler = SimpleNamespace(opt={REPLAY: replay, ACCESS: access})
        self.status = status
        self.headers: list[tuple[bytes, bytes]] = [(b"content-type", b"application/json")]
        self.front = Replay(
            self.app,
            version=lambda: self.version,
            today=lambda: self.day,
            role_of=ROLES.get,
            allowed=lambda role, access: role in ACCESS_OF[access],
        )

    async def app(self, scope, receive, send) -> None:
        self.calls += 1
        scope["route_handler"] = self.handler
        await send({"type": "http.response.start", "status": self.status, "headers": self.headers})
        await send({"type": "http.response.body", "body": b'{"n":', "more_body": True})
        await send({"type": "http.response.body", "body": str(self.calls).encode() + b"}"})

    def get(self, path="/api/v1/x", query=b"", token="tok-admin", method="GET", **headers):
        sent: list[dict] = []
        raw = [(k.replace("_", "-").lower().encode(), v.encode()) for k, v in headers.items()]
        if token:
            raw.append((b"authorization", f"Bearer {token}".encode()))
        scope = {"type": "http", "method": method, "path": path, "query_string": query,
                 "headers": raw}  # fmt: skip

        async def send(message):
            sent.append(message)

        anyio.run(self.front, scope, None, send)
        body = b"".join(m.get("body", b"") for m in sent[1:])
        return sent[0]["status"], body


def test_the_same_request_again_is_answered_without_the_app():
    world = World()
    assert world.get() == (200, b'{"n":1}')
    assert world.get() == (200, b'{"n":1}')
    assert world.get(token="tok-liaison") == (200, b'{"n":1}')
    assert world.calls == 1


def test_a_change_of_data_or_date_goes_the_whole_way():
    world = World()
    world.get()
    world.version = 2
    assert world.get() == (200, b'{"n":2}')
    world.day = date(2026, 11, 26)
    assert world.get() == (200, b'{"n":3}')
    assert world.get() == (200, b'{"n":3}')
    assert world.calls == 3


def test_another_path_query_or_negotiation_is_another_answer():
    world = World()
    variants = [
        {}, {"path": "/api/v1/y"}, {"query": b"limit=5"}, {"accept": "text/csv"},
        {"accept_encoding": "gzip"}, {"accept": "text/csv", "accept_encoding": "gzip"},
    ]  # fmt: skip
    for n, variant in enumerate(variants, start=1):
        assert world.get(**variant) == (200, b'{"n":%d}' % n)
        assert world.get(**variant) == (200, b'{"n":%d}' % n)
    assert world.calls == len(variants)


def test_only_a_live_token_with_the_access_is_replayed():
    world = World(access="admin")
    world.get()
    for token in ("tok-liaison", "made-up", None):
        before = world.calls
        world.get(token=token)
        assert world.calls == before + 1  # the app answers (a 401 or 403 in the product)
    world.get(Authorization="Basic abc", token=None)
    assert world.calls == 5


def test_conditional_and_cookie_requests_and_other_methods_go_the_whole_way():
    world = World()
    world.get()
    kinds = [{"if_none_match": '"x"'}, {"if_modified_since": "Mon, 01 Jan 2024 00:00:00 GMT"},
             {"range": "bytes=0-1"}, {"cookie": "nia_session=abc"}, {"method": "HEAD"},
             {"method": "POST"}]  # fmt: skip
    for kind in kinds:
        before = world.calls
        world.get(**kind)
        assert world.calls == before + 1, kind


def test_only_a_marked_route_answering_200_without_a_cookie_is_kept():
    for world in (World(replay=False), World(status=404), World(status=304)):
        world.get()
        world.get()
        assert world.calls == 2
    world = World()
    world.headers = [*world.headers, (b"Set-Cookie", b"x=1")]
    world.get()
    world.get()
    assert world.calls == 2


def sent(size: int) -> Sent:
    return Sent("read", {}, {"body": b"x" * size}, size)


def test_answers_stay_within_their_budget_whatever_keys_are_invented():
    answers = Answers(max_bytes=8000)
    for n in range(1000):
        answers.put(("/api/v1/x", f"junk={n}".encode()), 1, sent(700))
        assert answers.held <= 8000
    assert answers.held == 11 * 700
    assert answers.get(("/api/v1/x", b"junk=999"), 1) is not None
    assert answers.get(("/api/v1/x", b"junk=0"), 1) is None
    assert answers.get(("/api/v1/x", b"junk=999"), 2) is None  # another version
    answers.put(("big",), 1, sent(1001))  # over an eighth of the budget: never kept
    assert answers.get(("big",), 1) is None
    answers.put(("/api/v1/x", b"junk=999"), 1, sent(100))  # replaced, not counted twice
    assert answers.held == 10 * 700 + 100
