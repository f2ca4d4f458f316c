"""Logging in, rate-limited on the client's address and on the user name, counted in the
database so that every process shares the count.

A login is several units of work, not the request's one: the attempt is recorded and committed
before its password is checked, so that a refused login (a 401, whose request rolls back) is
still counted, and concurrent attempts see one another."""

from __future__ import annotations

from collections.abc import Iterable
from ipaddress import IPv4Network, IPv6Network, ip_address, ip_network

from facilities.auth import services
from facilities.core.db import Database
from facilities.core.orm import utcnow
from facilities.core.settings import Settings

Networks = tuple[IPv4Network | IPv6Network, ...]


def client_address(
    peer: str | None, forwarded_for: Iterable[str], trusted_proxies: Iterable[str]
) -> str:
    """The client as the socket sees it; if that is a trusted proxy, the nearest address in
    X-Forwarded-For (read from the right) that is not one of the trusted proxies. A client
    cannot choose its key by sending the header itself."""
    trusted: Networks = tuple(ip_network(n, strict=False) for n in trusted_proxies)
    address = peer or "unknown"
    if not _is_trusted(address, trusted):
        return address
    hops = [hop.strip() for header in forwarded_for for hop in header.split(",")]
    for hop in reversed(hops):
        try:
            hop_address = ip_address(hop)
        except ValueError:
            return address  # not an address: the last proxy we trust is the client we know
        address = str(hop_address)
        if not any(hop_address in network for network in trusted):
            return address
    return address


def _is_trusted(address: str, trusted: Networks) -> bool:
    try:
        parsed = ip_address(address)
    except ValueError:
        return False
    return any(parsed in network for network in trusted)


def log_in(db: Database, settings: Settings, client: str, name: str, password: str) -> str | None:
    """A new session's id for the right password, None for a wrong one; TooManyAttempts, before
    the password is checked, once the client or the name has used up its tries."""
    now = utcnow()
    window = settings.login_window_seconds
    with db.session(write=True) as session:
        attempt = services.record_attempt(session, client, name, now, window)
    with db.session() as session:
        wait = services.wait_before_trying(
            session, client, name, now, window=window,
            per_client=settings.login_tries_per_client, per_name=settings.login_tries_per_name,
        )  # fmt: skip
    if wait:
        with db.session(write=True) as session:
            services.forget_attempt(session, attempt)
        raise services.TooManyAttempts(wait)
    with db.session() as session:
        user = services.check_password(session, name, password)
    if user is None:
        return None
    with db.session(write=True) as session:
        services.forget_attempt(session, attempt)
        return services.open_session(session, user.id, password, now)
