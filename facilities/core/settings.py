"""Settings, read from the environment once, in one frozen dataclass."""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from ipaddress import ip_network
from pathlib import Path

SEED_DATA_DATE = date(2014, 6, 30)
EARLIEST, LATEST = date(1990, 1, 1), date(2100, 12, 31)
"""The dates the product answers for."""
"""The data date of the seed's story (the FY2014 budget year)."""


class SettingsError(ValueError):
    """An environment variable holds a value the product cannot use."""


@dataclass(frozen=True)
class Settings:
    data_dir: Path = Path("var")
    database_url: str | None = None
    as_of: date | None = None
    """The product's date; None means today."""
    seed_dir: Path = Path(__file__).resolve().parents[2] / "seed"
    secret_key: str | None = None
    """64 hex digits sealing CSRF tokens; the same in every process of a deployment."""
    https: bool = False
    """Served behind HTTPS: cookies are marked Secure and HSTS is sent."""
    scheduler: bool = True
    """`facilities serve` runs the scheduler too (FACILITIES_SCHEDULER=off keeps it out)."""
    tile_url: str | None = None
    """A tile server on the agency's network for the maps' base layer; without one the maps
    draw an outline of the land."""
    lease_alert_days: int = 180
    """Alert when a lease's end or notice date falls within this many days."""
    scheduler_poll_seconds: float = 5.0
    """How often a standby scheduler tries to take the lead, and the leader checks its lock."""
    trusted_proxies: tuple[str, ...] = ()
    """Reverse proxies (addresses and networks, `10.0.0.5`, `10.1.0.0/16`) whose X-Forwarded-For
    names the client; from anyone else the header is ignored and the client is the address the
    socket sees."""
    login_window_seconds: int = 600
    """The login rate limit's window: failed logins older than this are forgotten."""
    login_tries_per_name: int = 10
    """Failed logins allowed to one user name in the window, from anywhere."""
    login_tries_per_client: int = 30
    """Failed logins allowed from one client address in the window, whatever the names."""

    @property
    def sqlalchemy_url(self) -> str:
        if not self.database_url:
            return f"sqlite:///{(self.data_dir / 'facilities.db').resolve()}"
        return normalize_database_url(self.database_url)

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if environ is None else environ
        as_of = env.get("FACILITIES_AS_OF") or None
        try:
            parsed_as_of = date.fromisoformat(as_of) if as_of else None
            if parsed_as_of and not EARLIEST <= parsed_as_of <= LATEST:
                raise ValueError
        except ValueError:
            raise SettingsError(
                f"FACILITIES_AS_OF={as_of!r} is not a date: use YYYY-MM-DD from {EARLIEST} to "
                f"{LATEST}, e.g. 2014-06-30"
            ) from None
        secret_key = env.get("FACILITIES_SECRET_KEY") or None
        if secret_key is not None and not re.fullmatch(r"[0-9a-fA-F]{64}", secret_key):
            raise SettingsError(
                "FACILITIES_SECRET_KEY must be 64 hex digits: make one with "
                "`python -c 'import secrets; print(secrets.token_hex(32))'`"
            )
        return cls(
            data_dir=Path(env.get("FACILITIES_DATA_DIR") or "var"),
            secret_key=secret_key,
            https=env.get("FACILITIES_HTTPS", "").lower() in {"1", "true", "yes"},
            scheduler=env.get("FACILITIES_SCHEDULER", "on").lower() not in {"off", "0", "false"},
            scheduler_poll_seconds=float(env.get("FACILITIES_SCHEDULER_POLL_SECONDS") or 5.0),
            lease_alert_days=int(env.get("FACILITIES_LEASE_ALERT_DAYS") or 180),
            tile_url=env.get("FACILITIES_TILE_URL") or None,
            database_url=env.get("DATABASE_URL") or None,
            as_of=parsed_as_of,
            trusted_proxies=parse_networks(env.get("FACILITIES_TRUSTED_PROXIES") or ""),
            login_window_seconds=_positive(env, "FACILITIES_LOGIN_WINDOW_SECONDS", 600),
            login_tries_per_name=_positive(env, "FACILITIES_LOGIN_TRIES_PER_NAME", 10),
            login_tries_per_client=_positive(env, "FACILITIES_LOGIN_TRIES_PER_CLIENT", 30),
        )


def parse_networks(text: str) -> tuple[str, ...]:
    """A comma list of addresses and networks, `10.0.0.5, 10.1.0.0/16, ::1`, each checked and
    written as a network: `10.0.0.5/32`."""
    try:
        return tuple(
            str(ip_network(item.strip(), strict=False)) for item in text.split(",") if item.strip()
        )
    except ValueError as exc:
        raise SettingsError(
            f"FACILITIES_TRUSTED_PROXIES={text!r}: {exc}; write addresses or networks separated "
            "by commas, e.g. 10.0.0.5,10.1.0.0/16"
        ) from None


def _positive(env: Mapping[str, str], name: str, default: int) -> int:
    value = env.get(name) or str(default)
    if not (value.isascii() and value.isdigit()) or int(value) < 1:
        raise SettingsError(f"{name}={value!r} is not a whole number of at least 1")
    return int(value)


def normalize_database_url(url: str) -> str:
    """Point plain postgres URLs at the psycopg 3 driver."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url
