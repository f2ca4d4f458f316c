"""Liveness (the one path that needs no login), the register workbook's template, and the
admin's page that imports a whole workbook through the browser."""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated

from anyio import to_thread
from litestar import Response
from litestar.datastructures import State, UploadFile
from litestar.enums import RequestEncodingType
from litestar.params import Body
from litestar.response import Template
from sqlalchemy import text

from facilities.core.db import Database
from facilities.core.dependencies import Actor, Db, DbSession, Today
from facilities.core.errors import DomainError
from facilities.core.files import MAX_FILE_BYTES
from facilities.core.http import ACCESS, PUBLIC, XLSX, file_response, get, post
from facilities.core.sheets import Importing
from facilities.ops.agency import current_agency
from facilities.ops.workbook import SheetResult, import_workbook, template_workbook

IMPORT_PAGE = "ops/import.html"
UPLOAD_ROOM = 64 * 1024
"""The multipart form around the file: its boundaries, headings and the CSRF token."""


@get("/health", sync_to_thread=True, tags=["health"], opt={PUBLIC: True})
def health(session: DbSession) -> dict[str, str]:
    session.execute(text("SELECT 1"))
    return {"status": "ok"}


@get(
    "/templates/register.xlsx", sync_to_thread=True, tags=["register"], media_type=XLSX,
    description="The register workbook to fill in: every sheet with its Chinese and English "
    "headings, a row of example data, drop-down lists for the closed vocabularies, date and "
    "number formats, and a README sheet saying what each column means. Import it with "
    "`facilities import workbook FILE` or the admin's page /admin/import.",
)  # fmt: skip
def register_template(state: State, session: DbSession) -> Response[bytes]:
    body = template_workbook(session, state.register_sheets, current_agency(session))
    return file_response(body, XLSX, "register.xlsx")


@dataclass
class WorkbookForm:
    workbook: UploadFile


@get("/admin/import", sync_to_thread=False, include_in_schema=False, opt={ACCESS: "admin"})
def import_page() -> Template:
    return Template(IMPORT_PAGE, context={"problems": [], "message": "", "results": []})


@post(
    "/admin/import", include_in_schema=False, opt={ACCESS: "admin"}, status_code=200,
    request_max_body_size=MAX_FILE_BYTES + UPLOAD_ROOM,
)  # fmt: skip
async def import_upload(
    state: State, db: Db, today: Today, actor: Actor,
    data: Annotated[WorkbookForm, Body(media_type=RequestEncodingType.MULTI_PART)],
) -> Template:  # fmt: skip
    """Import the whole workbook in one unit of work of its own: all of it, or, with each
    problem listed on the page, nothing."""
    name = Path(data.workbook.filename or "register.xlsx").name
    content = await data.workbook.read()
    importing = Importing(actor, today)
    try:
        results = await to_thread.run_sync(run_import, db, state.register_sheets, name, content,
                                           importing)  # fmt: skip
    except DomainError as exc:
        context = {"problems": exc.extra.get("problems", []), "message": exc.detail,
                   "results": []}  # fmt: skip
        return Template(IMPORT_PAGE, context=context, status_code=exc.status_code)
    return Template(IMPORT_PAGE, context={"problems": [], "message": name, "results": results})


def run_import(
    db: Database, registers: list, name: str, content: bytes, importing: Importing
) -> list[SheetResult]:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        path.write_bytes(content)
        with db.session(write=True) as session:
            return import_workbook(session, path, registers, importing)


ROUTES = [health, register_template, import_page, import_upload]
