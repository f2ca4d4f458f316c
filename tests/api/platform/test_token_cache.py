"""The token cache: bounded whatever tokens it is shown, and never keeps a token longer than the
time in which a revocation must reach every process."""

from __future__ import annotations

import secrets
import time

import anyio

from facilities.auth.middleware import TOKEN_CACHE_SECONDS, TokenCache
from facilities.auth.models import Role
from facilities.auth.services import create_token, revoke_token


def made_up() -> str:
    return "nia_" + secrets.token_urlsafe(32)


def test_twenty_thousand_made_up_tokens_leave_the_cache_as_it_was(client):
    cache: TokenCache = client.app.state.tokens
    assert client.get("/api/v1/sites").status_code == 200  # the admin's token, now cached
    assert len(cache) == 1

    async def show_made_up_tokens() -> set:
        return {await cache.holder(made_up()) for _ in range(20_000)}

    assert anyio.run(show_made_up_tokens) == {None}
    assert len(cache) == 1
    assert (
        client.get("/api/v1/sites", headers={"Authorization": f"Bearer {made_up()}"}).status_code
        == 401
    )
    assert client.get("/api/v1/sites").status_code == 200


def test_live_tokens_beyond_its_size_push_out_the_least_recently_used(db):
    with db.session(write=True) as session:
        tokens = [create_token(session, f"bot-{i}", Role.staff) for i in range(30)]
    cache = TokenCache(db, size=10)

    async def look_up(batch: list[str]) -> list:
        return [await cache.holder(t) for t in batch]

    assert anyio.run(look_up, tokens) == [(f"bot-{i}", "staff") for i in range(30)]
    assert len(cache) == 10
    assert anyio.run(look_up, tokens[:5]) == [(f"bot-{i}", "staff") for i in range(5)]
    assert len(cache) == 10
    assert anyio.run(look_up, tokens[25:]) == [(f"bot-{i}", "staff") for i in range(25, 30)]
    assert len(cache) == 10  # the five used again and the five most recent


def test_a_cached_token_is_kept_no_longer_than_revocation_may_take(db):
    with db.session(write=True) as session:
        token = create_token(session, "bot", Role.staff)
    cache = TokenCache(db)
    assert anyio.run(cache.holder, token) == ("bot", "staff")
    ((key, (expires, holder)),) = cache.entries.items()
    assert expires - time.monotonic() <= TOKEN_CACHE_SECONDS
    with db.session(write=True) as session:
        revoke_token(session, "bot")
    assert anyio.run(cache.holder, token) == ("bot", "staff")  # another process revoked it
    cache.entries[key] = (time.monotonic() - 0.001, holder)  # TOKEN_CACHE_SECONDS later
    assert anyio.run(cache.holder, token) is None
    assert len(cache) == 0
