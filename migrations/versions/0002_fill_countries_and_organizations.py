"""Fill the reference tables: countries (ISO, COW and Gleditsch-Ward codes) and international organisations.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-28 21:05:00

Current states and territories come from the `countrycode` package's code list (every row with an ISO3 code);
historical states that news of the 1990s names, and Kosovo, come from the small table below under their
ISO 3166-3 / user-assigned codes. Rows are written with Core tables, not the ORM models, so later model
changes cannot alter what this revision writes.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | Sequence[str] | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

countries = sa.table(
    "countries",
    sa.column("iso3", sa.String),
    sa.column("iso2", sa.String),
    sa.column("name", sa.String),
    sa.column("cow", sa.Integer),
    sa.column("gw", sa.Integer),
)
organizations = sa.table("organizations", sa.column("code", sa.String), sa.column("name", sa.String))

# (iso3, iso2, name, cow, gw). ISO2 is left empty where ISO reused it (CS: Czechoslovakia, then Serbia and
# Montenegro). COW/GW: Soviet Union 365 (COW and GW code Russia the same), Yugoslavia and Serbia and Montenegro
# 345, Czechoslovakia 315, German Democratic Republic 265, Kosovo 347.
HISTORICAL_STATES: tuple[tuple[str, str | None, str, int, int], ...] = (
    ("SUN", "SU", "Soviet Union", 365, 365),
    ("YUG", "YU", "Yugoslavia", 345, 345),
    ("SCG", None, "Serbia and Montenegro", 345, 345),
    ("CSK", None, "Czechoslovakia", 315, 315),
    ("DDR", "DD", "East Germany", 265, 265),
    ("XKX", "XK", "Kosovo", 347, 347),
)

# Where countrycode 0.6's short English name reads badly in a table, or a code is missing or wrong.
NAME_FIXES = {
    "COG": "Republic of the Congo",
    "COD": "Democratic Republic of the Congo",
    "MMR": "Myanmar",
    "PSE": "Palestine",
    "VAT": "Holy See",
    "HKG": "Hong Kong",
    "MAC": "Macao",
}
CODE_FIXES: dict[str, dict[str, int]] = {
    "SRB": {"cow": 345},  # COW codes Serbia as the continuation of Yugoslavia (345); countrycode has none.
    "VNM": {"gw": 816},  # GW 816 is (North, then unified) Vietnam; 817 is the Republic of Vietnam (South).
    "YEM": {"gw": 678},  # GW codes unified Yemen as the continuation of the Yemen Arab Republic (678).
}

ORGANIZATIONS: tuple[tuple[str, str], ...] = (
    ("UN", "United Nations"),
    ("EU", "European Union"),
    ("NATO", "North Atlantic Treaty Organization"),
    ("ASEAN", "Association of Southeast Asian Nations"),
    ("AU", "African Union"),
    ("OPEC", "Organization of the Petroleum Exporting Countries"),
    ("IAEA", "International Atomic Energy Agency"),
    ("IMF", "International Monetary Fund"),
    ("WB", "World Bank"),
    ("WTO", "World Trade Organization"),
    ("WHO", "World Health Organization"),
    ("OSCE", "Organization for Security and Co-operation in Europe"),
    ("ARAB", "League of Arab States (Arab League)"),
    ("GCC", "Gulf Cooperation Council"),
    ("OAS", "Organization of American States"),
    ("SCO", "Shanghai Cooperation Organisation"),
    ("BRICS", "BRICS"),
    ("G7", "Group of Seven"),
    ("G20", "Group of Twenty"),
    ("ADB", "Asian Development Bank"),
    ("AfDB", "African Development Bank"),
    ("OIC", "Organisation of Islamic Cooperation"),
    ("CIS", "Commonwealth of Independent States"),
    ("CSTO", "Collective Security Treaty Organization"),
    ("EAEU", "Eurasian Economic Union"),
    ("ECOWAS", "Economic Community of West African States"),
    ("SADC", "Southern African Development Community"),
    ("MERCOSUR", "Southern Common Market (Mercosur)"),
    ("CELAC", "Community of Latin American and Caribbean States"),
    ("CARICOM", "Caribbean Community"),
    ("ALBA", "Bolivarian Alliance for the Peoples of Our America"),
    ("APEC", "Asia-Pacific Economic Cooperation"),
    ("SAARC", "South Asian Association for Regional Cooperation"),
    ("PIF", "Pacific Islands Forum"),
    ("OECD", "Organisation for Economic Co-operation and Development"),
    ("COE", "Council of Europe"),
    ("ICC", "International Criminal Court"),
    ("ICJ", "International Court of Justice"),
    ("UNHCR", "United Nations High Commissioner for Refugees"),
    ("UNICEF", "United Nations Children's Fund"),
    ("UNESCO", "United Nations Educational, Scientific and Cultural Organization"),
    ("WFP", "World Food Programme"),
    ("FAO", "Food and Agriculture Organization of the United Nations"),
    ("ICRC", "International Committee of the Red Cross"),
    ("INTERPOL", "International Criminal Police Organization"),
    ("IGAD", "Intergovernmental Authority on Development"),
    ("EAC", "East African Community"),
    ("NAM", "Non-Aligned Movement"),
)


def _name(iso3: str, name: str) -> str:
    """Return the English name to store: countrycode's short name, with '&' and 'St.' spelt out."""
    if iso3 in NAME_FIXES:
        return NAME_FIXES[iso3]
    return name.replace(" & ", " and ").replace("St. ", "Saint ")


def country_rows() -> list[dict[str, Any]]:
    """Return every country row this revision writes, sorted by ISO3."""
    from countrycode import codelist

    rows: dict[str, dict[str, Any]] = {}
    for iso3, iso2, name, cow, gw in zip(
        codelist["iso3c"],
        codelist["iso2c"],
        codelist["country.name.en"],
        codelist["cown"],
        codelist["gwn"],
        strict=True,
    ):
        if not iso3:
            continue
        row = {"iso3": iso3, "iso2": iso2, "name": _name(iso3, name), "cow": cow, "gw": gw}
        row.update(CODE_FIXES.get(iso3, {}))
        rows[iso3] = row
    for iso3, iso2, name, cow, gw in HISTORICAL_STATES:
        rows[iso3] = {"iso3": iso3, "iso2": iso2, "name": name, "cow": cow, "gw": gw}
    return [rows[iso3] for iso3 in sorted(rows)]


def _fill(table: sa.TableClause, key: str, rows: list[dict[str, Any]]) -> None:
    """Insert the rows the table lacks and set the values of those it has (kept by an earlier downgrade)."""
    bind = op.get_bind()
    present = set(bind.execute(sa.select(table.c[key])).scalars())
    op.bulk_insert(table, [row for row in rows if row[key] not in present])
    for row in rows:
        if row[key] in present:
            values = {column: value for column, value in row.items() if column != key}
            bind.execute(table.update().where(table.c[key] == row[key]).values(**values))


def upgrade() -> None:
    """Fill countries and organisations."""
    _fill(countries, "iso3", country_rows())
    _fill(organizations, "code", [{"code": code, "name": name} for code, name in ORGANIZATIONS])


def _unreferenced(table: sa.TableClause, key: sa.ColumnClause[Any]) -> sa.ColumnElement[bool]:
    """Return a condition that no row of the archive refers to this row (found from the live schema)."""
    inspector = sa.inspect(op.get_bind())
    conditions = []
    for name in inspector.get_table_names():
        for fk in inspector.get_foreign_keys(name):
            if fk["referred_table"] == table.name and fk["referred_columns"] == [key.name]:
                column = sa.column(fk["constrained_columns"][0])
                referrer = sa.table(name, column)
                conditions.append(~sa.exists().where(column == key).select_from(referrer))
    return sa.and_(sa.true(), *conditions)


def downgrade() -> None:
    """Remove the rows this revision wrote, except those archive rows still refer to."""
    codes = [code for code, _ in ORGANIZATIONS]
    op.execute(
        organizations.delete().where(
            organizations.c.code.in_(codes), _unreferenced(organizations, organizations.c.code)
        )
    )
    iso3 = [row["iso3"] for row in country_rows()]
    op.execute(
        countries.delete().where(countries.c.iso3.in_(iso3), _unreferenced(countries, countries.c.iso3))
    )
