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


WORDS_ZH = {
    "red": "紅燈", "amber": "黃燈", "green": "綠燈",
    "complete": "完成", "overdue": "逾期", "in_progress": "進行中", "not_started": "未開始",
    "met": "達成", "missed": "未達成",
    "owned": "自有", "borrowed": "借用", "rented": "租用",
    "create": "新增", "update": "修改", "delete": "刪除", "correct": "更正", "withdraw": "撤回",
    "acknowledge": "確認", "disable": "停用", "enable": "啟用", "set_role": "變更角色",
    "set_password": "變更密碼", "seed": "初始資料",
    "admin": "管理者", "staff": "承辦人", "executive": "主管", "liaison": "國會聯絡人",
}  # fmt: skip
"""The Chinese word people read beside a status, tenure, action or role code."""


def zh(code: str) -> str:
    return WORDS_ZH.get(code, code)


FILTERS = {
    "zh": zh,
    "roc_year": roc_year,
    "roc_date": roc_date,
    "money": money,
    "figure": shown,
}
"""`figure`: a value as a file's number format shows it (`#,##0`, `0.0`)."""


def environment(
    folders: Mapping[str, Path], shared: Mapping[str, Any] | None = None
) -> Environment:
    """`shared`: globals every page sees (the agency's names, as `agency.name_zh`)."""
    loader = PrefixLoader({name: FileSystemLoader(path) for name, path in folders.items()})
    env = Environment(
        loader=loader, autoescape=select_autoescape(default=True), undefined=StrictUndefined,
        trim_blocks=True, lstrip_blocks=True,
    )  # fmt: skip
    env.filters.update(FILTERS)
    env.policies["json.dumps_kwargs"] = {"sort_keys": True, "ensure_ascii": False}
    env.globals.update(shared or {})
    return env


def template_config(env: Environment) -> TemplateConfig:
    return TemplateConfig(instance=JinjaTemplateEngine.from_environment(env))


def render(env: Environment, name: str, **context: Any) -> str:
    return env.get_template(name).render(**context)
