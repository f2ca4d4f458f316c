"""`facilities users ...` and `facilities tokens ...`."""

from __future__ import annotations

import sys

import click

from facilities.auth.models import Role
from facilities.auth.services import (
    create_token,
    create_user,
    disable_user,
    enable_user,
    revoke_token,
    set_password,
    set_role,
)
from facilities.core.cli import actor, plural, unit_of_work

ROLE = click.Choice([r.value for r in Role])


@click.group()
def users() -> None:
    """People who log in at /login."""


@users.command(name="create")
@click.argument("name")
@click.option("--role", type=ROLE, required=True)
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
def create_user_command(name: str, role: str, password_stdin: bool) -> None:
    """Create a user; the password comes from a prompt or from standard input."""
    password = _password(password_stdin)
    with unit_of_work(write=True) as session:
        create_user(session, name, Role(role), password)
    click.echo(f"user {name} created with the {role} role; log in at /login")


def _password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\n")
    return click.prompt("Password", hide_input=True, confirmation_prompt=True)


def _ended(sessions: int) -> str:
    return f"{plural(sessions, 'session')} ended"


@users.command(name="disable")
@click.argument("name")
def disable_user_command(name: str) -> None:
    """Stop a user logging in; their sessions end at once, in every process. Audited."""
    with unit_of_work(write=True) as session:
        ended = disable_user(session, name, actor=actor())
    click.echo(f"user {name} disabled; {_ended(ended)}")


@users.command(name="enable")
@click.argument("name")
def enable_user_command(name: str) -> None:
    """Let a disabled user log in again. Audited."""
    with unit_of_work(write=True) as session:
        enable_user(session, name, actor=actor())
    click.echo(f"user {name} may log in")


@users.command(name="set-role")
@click.argument("name")
@click.argument("role", type=ROLE)
def set_role_command(name: str, role: str) -> None:
    """Give a user another role; their sessions end, and they log in again under it. Audited."""
    with unit_of_work(write=True) as session:
        ended = set_role(session, name, Role(role), actor=actor())
    click.echo(f"user {name} has the {role} role; {_ended(ended)}")


@users.command(name="set-password")
@click.argument("name")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
def set_password_command(name: str, password_stdin: bool) -> None:
    """Give a user a new password (a prompt, or standard input); their sessions end. Audited."""
    password = _password(password_stdin)
    with unit_of_work(write=True) as session:
        ended = set_password(session, name, password, actor=actor())
    click.echo(f"user {name} has a new password; {_ended(ended)}")


@click.group()
def tokens() -> None:
    """Bearer tokens for API clients."""


@tokens.command(name="create")
@click.argument("name")
@click.option("--role", type=ROLE, required=True)
def create_token_command(name: str, role: str) -> None:
    """Create a token; it is printed once, alone on the last line, and only its hash is kept."""
    with unit_of_work(write=True) as session:
        token = create_token(session, name, Role(role))
    click.echo(f"token {name} created with the {role} role; keep it now, it is not shown again:")
    click.echo(token)


@tokens.command(name="revoke")
@click.argument("name")
def revoke_token_command(name: str) -> None:
    """Revoke a token: it stops working everywhere within 30 seconds."""
    with unit_of_work(write=True) as session:
        revoke_token(session, name)
    click.echo(f"token {name} revoked")
