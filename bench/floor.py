"""The benchmark's server: the product's app, plus a bare handler that answers the same JSON
bytes from memory behind the same middleware (the floor the product is measured against)."""

from __future__ import annotations

import os

from litestar import Response, get

from facilities.app import create_app
from facilities.core.settings import Settings

FLOOR_BODIES: dict[str, bytes] = {}


@get("/bench/floor/{name:str}", sync_to_thread=False)
def floor(name: str) -> Response:
    return Response(FLOOR_BODIES[name], media_type="application/json")


def app_with_floor():
    app = create_app(Settings.from_env())
    app.register(floor)
    directory = os.environ["BENCH_FLOOR_DIR"]
    for entry in os.listdir(directory):
        with open(os.path.join(directory, entry), "rb") as f:
            FLOOR_BODIES[entry] = f.read()
    return app
