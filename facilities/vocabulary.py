"""The register's controlled words, each with its Chinese label."""

from __future__ import annotations

from enum import StrEnum


class Ownership(StrEnum):
    owned = "owned"
    borrowed = "borrowed"
    leased = "leased"

    @property
    def zh(self) -> str:
        return {"owned": "自有", "borrowed": "無償借用", "leased": "有償租用"}[self.value]


class SiteType(StrEnum):
    headquarters = "headquarters"
    service_station = "service_station"
    specialized_operation_team = "specialized_operation_team"
    airport_border_post = "airport_border_post"
    port_border_post = "port_border_post"
    detention_centre = "detention_centre"
    service_center = "service_center"

    @property
    def zh(self) -> str:
        return {
            "headquarters": "署本部",
            "service_station": "服務站",
            "specialized_operation_team": "專勤隊",
            "airport_border_post": "機場國境事務隊",
            "port_border_post": "港口國境事務隊",
            "detention_centre": "收容所",
            "service_center": "移民服務中心",
        }[self.value]


class Provenance(StrEnum):
    budget_fy2014 = "budget_fy2014"
    illustrative = "illustrative"


def one_of(enum: type[StrEnum]) -> str:
    return ", ".join(member.value for member in enum)
