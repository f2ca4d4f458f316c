"""`facilities users ...` and `facilities tokens ...`."""

from __future__ import annotations

import sys

import click

from facilities.auth.models import Role
from facilities.auth.services import create_token, create_user, revoke_token
from facilities.core.cli import unit_of_work

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
    if password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    with unit_of_work(write=True) as session:
        create_user(session, name, Role(role), password)
    click.echo(f"user {name} created with the {role} role; log in at /login")


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
