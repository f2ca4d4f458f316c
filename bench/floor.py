"""The benchmark's servers, each answering the same JSON bytes from memory: the bare framework
(a Litestar app with no middleware: what the framework and server can do), and a handler
registered in the product's app behind the product's middleware (what that middleware costs).
The product is measured against both, in the same server, in the same run."""

from __future__ import annotations

import os

from litestar import Litestar, Response, get

from facilities.app import create_app
from facilities.core.settings import Settings

FLOOR_BODIES: dict[str, bytes] = {}


@get("/api/bench/floor/{name:str}", sync_to_thread=False)
def floor(name: str) -> Response:
    return Response(FLOOR_BODIES[name], media_type="application/json")


def load_bodies() -> None:
    directory = os.environ["BENCH_FLOOR_DIR"]
    for entry in os.listdir(directory):
        with open(os.path.join(directory, entry), "rb") as f:
            FLOOR_BODIES[entry] = f.read()


def app_with_floor() -> Litestar:
    app = create_app(Settings.from_env())
    app.register(floor)
    load_bodies()
    return app


def bare_app() -> Litestar:
    load_bodies()
    return Litestar(route_handlers=[floor], openapi_config=None)
