"""Every page's Content-Security-Policy runs only the app's script files and the page's own
inline scripts (by hash): no 'unsafe-inline' for scripts, on every page."""

from __future__ import annotations

import base64
import hashlib
import re

PAGES = ["/maps/ownership", "/maps/projects", "/dashboard", "/reports/rent-reduction",
         "/reports/relocation-savings", "/login"]  # fmt: skip


def script_src(policy: str) -> list[str]:
    directive = next(d for d in policy.split(";") if d.strip().startswith("script-src"))
    return directive.split()[1:]


def test_every_page_allows_only_its_own_inline_scripts(client):
    for path in PAGES:
        response = client.get(path, headers={"accept": "text/html"})
        assert response.status_code == 200, path
        allowed = script_src(response.headers["content-security-policy"])
        assert "'unsafe-inline'" not in allowed and allowed[0] == "'self'", path
        inline = re.findall(r"<script(?![^>]*\bsrc\s*=)[^>]*>(.*?)</script\s*>",
                            response.text, re.S | re.I)  # fmt: skip
        expected = {
            f"'sha256-{base64.b64encode(hashlib.sha256(s.encode()).digest()).decode()}'"
            for s in inline
        }
        assert set(allowed[1:]) == expected, path


def test_api_answers_allow_no_script_at_all(client):
    policy = client.get("/api/v1/sites").headers["content-security-policy"]
    assert script_src(policy) == ["'self'"]
    assert "x-content-type-options" in client.get("/api/v1/sites").headers
