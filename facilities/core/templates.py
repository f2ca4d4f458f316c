"""One Jinja environment for every page: each package's `templates/` folder under the package's
name (`auth/login.html`, `maps/dashboard.html`), autoescaped. Pages drawn in a worker thread
and cached (the maps, the dashboard) render through `render`; others return Litestar's
`Template`."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, PrefixLoader, StrictUndefined, select_autoescape
from litestar.plugins.jinja import JinjaTemplateEngine
from litestar.template import TemplateConfig

from facilities.core.files import shown
from facilities.core.roc import roc_date, roc_year


def money(amount: int) -> str:
    return f"NT${amount:,}"


RAG_ZH = {"red": "紅燈", "amber": "黃燈", "green": "綠燈"}


def rag_zh(status: str) -> str:
    return RAG_ZH.get(status, status)


FILTERS = {
    "rag_zh": rag_zh,
    "roc_year": roc_year,
    "roc_date": roc_date,
    "money": money,
    "figure": shown,
}
"""`figure`: a value as a file's number format shows it (`#,##0`, `0.0`)."""


def environment(folders: Mapping[str, Path]) -> Environment:
    loader = PrefixLoader({name: FileSystemLoader(path) for name, path in folders.items()})
    env = Environment(
        loader=loader, autoescape=select_autoescape(default=True), undefined=StrictUndefined,
        trim_blocks=True, lstrip_blocks=True,
    )  # fmt: skip
    env.filters.update(FILTERS)
    env.policies["json.dumps_kwargs"] = {"sort_keys": True, "ensure_ascii": False}
    return env


def template_config(env: Environment) -> TemplateConfig:
    return TemplateConfig(instance=JinjaTemplateEngine.from_environment(env))


def render(env: Environment, name: str, **context: Any) -> str:
    return env.get_template(name).render(**context)
