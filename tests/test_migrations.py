"""Migrations build exactly the models' schema, run both ways, and fill the reference tables."""

from __future__ import annotations

from importlib import resources

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine, inspect, select, text

from bilateral.store.engine import current_revision, downgrade, head_revision, upgrade
from bilateral.store.models import Base, Country, Organization

HISTORICAL = {
    "SUN": ("Soviet Union", 365, 365),
    "YUG": ("Yugoslavia", 345, 345),
    "SCG": ("Serbia and Montenegro", 345, 345),
    "CSK": ("Czechoslovakia", 315, 315),
    "DDR": ("East Germany", 265, 265),
    "XKX": ("Kosovo", 347, 347),
}


def test_migrated_schema_matches_the_models(engine: Engine) -> None:
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        diff = compare_metadata(context, Base.metadata)
    assert diff == []


def test_downgrade_to_base_and_upgrade_again(engine: Engine) -> None:
    downgrade(engine, "base")
    assert current_revision(engine) is None
    assert set(inspect(engine).get_table_names()) == {"alembic_version"}
    upgrade(engine)
    assert current_revision(engine) == head_revision()
    assert set(inspect(engine).get_table_names()) == set(Base.metadata.tables) | {"alembic_version"}
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM countries")).scalar_one() >= 195


def test_countries_carry_iso_cow_and_gw_codes(engine: Engine) -> None:
    with engine.connect() as conn:
        rows = {c.iso3: c for c in conn.execute(select(Country.__table__))}
    assert len(rows) >= 195
    assert (rows["IRN"].iso2, rows["IRN"].name, rows["IRN"].cow, rows["IRN"].gw) == ("IR", "Iran", 630, 630)
    assert (rows["VEN"].cow, rows["VEN"].gw) == (101, 101)
    assert (rows["DEU"].cow, rows["DEU"].gw) == (255, 260)
    assert (rows["USA"].iso2, rows["USA"].cow, rows["USA"].gw) == ("US", 2, 2)
    assert {"PSE", "TWN", "VAT"} <= rows.keys()
    for iso3, (name, cow, gw) in HISTORICAL.items():
        assert (rows[iso3].name, rows[iso3].cow, rows[iso3].gw) == (name, cow, gw)
    assert all(len(iso3) == 3 and iso3.isupper() for iso3 in rows)
    iso2 = [row.iso2 for row in rows.values() if row.iso2]
    assert len(iso2) == len(set(iso2)), "an ISO2 code names two countries"


def test_organizations_have_short_codes(engine: Engine) -> None:
    with engine.connect() as conn:
        codes = set(conn.execute(select(Organization.code)).scalars())
    assert {"UN", "EU", "NATO", "ASEAN", "AU", "OPEC", "IAEA", "IMF", "WB", "OSCE", "ARAB", "GCC"} <= codes


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_every_code_the_extractor_emits_is_in_the_archive(engine: Engine) -> None:
    data = resources.files("bilateral.extract") / "data"
    if not (data / "countries.txt").is_file() or not (data / "organizations.txt").is_file():
        pytest.skip("the extractor's gazetteer files are not there yet")

    def first_column(name: str) -> set[str]:
        lines = (data / name).read_text(encoding="utf-8").splitlines()
        return {line.split("\t")[0] for line in lines if line.strip() and not line.startswith("#")}

    with engine.connect() as conn:
        countries = set(conn.execute(select(Country.iso3)).scalars())
        organizations = set(conn.execute(select(Organization.code)).scalars())
    assert first_column("countries.txt") - countries == set()
    assert first_column("organizations.txt") - organizations == set()
