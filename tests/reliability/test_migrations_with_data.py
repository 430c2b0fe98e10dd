"""Migrations with data: an archive filled at the first revision is upgraded with nothing lost, and a filled
archive goes down and up again (to the first revision, and to base) on both backends.

The first-revision archive is written with Core inserts against the tables as that revision built them
(reflected from the database), never through the current models.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine, MetaData, Table, func, insert, inspect, select, text

from bilateral.store.check import check_archive, problems
from bilateral.store.engine import current_revision, downgrade, head_revision, make_engine, upgrade
from bilateral.store.models import Base

TEXT_1 = "Iranian Foreign Minister Ana Ardalan met Venezuelan President Bruno Valdez in Caracas on Friday."
TEXT_2 = "Iran and Venezuela signed a trade agreement. UN envoy Carla Mendez attended."
REFERENCE = ("countries", "organizations")


def _rows(engine: Engine, tables: dict[str, list[str]]) -> dict[str, list[tuple[Any, ...]]]:
    """Return, per table, its rows restricted to the given columns, sorted."""
    result = {}
    with engine.connect() as conn:
        for name, columns in tables.items():
            quoted = ", ".join(f'"{c}"' for c in columns)
            rows = conn.execute(text(f'SELECT {quoted} FROM "{name}"')).all()
            result[name] = sorted(
                (tuple(r) for r in rows), key=lambda r: tuple((v is None, str(v)) for v in r)
            )
    return result


def _fill_first_revision(engine: Engine) -> dict[str, int]:
    """Write real rows into an archive at revision 0001 through its own (reflected) tables."""
    meta = MetaData()
    with engine.begin() as conn:
        meta.reflect(conn)
        t: dict[str, Table] = dict(meta.tables)

        def add(table: str, **values: Any) -> int:
            result = conn.execute(insert(t[table]).values(**values))
            key = result.inserted_primary_key
            return int(key[0]) if key and isinstance(key[0], int) else 0

        for iso3, iso2, name in (("IRN", "IR", "Iran"), ("VEN", "VE", "Venezuela")):
            add("countries", iso3=iso3, iso2=iso2, name=name, cow=None, gw=None)
        add("organizations", code="UN", name="United Nations")
        now = dt.datetime(2023, 2, 5, 12, 0, tzinfo=dt.UTC)
        a1 = add(
            "articles", sha256="1" * 64, date=dt.date(2023, 2, 4), title="Talks", url="https://example.org/1",
            source="Wire", ref="one.txt", text=TEXT_1, words=len(TEXT_1.split()), extractor_version="0.0.1",
            ingested_at=now,
        )  # fmt: skip
        a2 = add(
            "articles", sha256="2" * 64, date=None, title=None, url=None, source=None, ref="two.txt",
            text=TEXT_2, words=len(TEXT_2.split()), extractor_version=None, ingested_at=now,
        )  # fmt: skip
        add("article_urls", article_id=a1, url="https://example.org/1")
        add("article_urls", article_id=a1, url="https://mirror.example.org/1")
        people = {}
        for name, country, org, title in (
            ("Ana Ardalan", "IRN", None, "Foreign Minister"),
            ("Bruno Valdez", "VEN", None, "President"),
            ("Carla Mendez", None, "UN", "Special Envoy"),
        ):
            key = name.lower()
            ckey = country or org or ""
            person = add(
                "officials", name=name, name_key=key, country=country, org=org, country_key=ckey,
                first_seen=dt.date(2023, 2, 3), last_seen=dt.date(2023, 2, 4),
            )  # fmt: skip
            add("official_aliases", official_id=person, alias=name.split()[-1], alias_key=key.split()[-1])
            add(
                "positions", official_id=person, country=country, org=org, country_key=ckey, title=title,
                first_seen=dt.date(2023, 2, 3), last_seen=dt.date(2023, 2, 3),
            )  # fmt: skip
            people[name] = person
        meeting = add(
            "meetings", kind="meeting", status="occurred", date=dt.date(2023, 2, 3), date_precision="day",
            place="Caracas", place_country="VEN", confidence=0.9, first_source_id=a1,
        )  # fmt: skip
        for name, country, role in (("Ana Ardalan", "IRN", "guest"), ("Bruno Valdez", "VEN", "host")):
            add(
                "meeting_participants", meeting_id=meeting, official_id=people[name], country=country,
                org=None, title=None, role=role, participant_key=f"o:{people[name]}",
            )  # fmt: skip
        add(
            "meeting_sources", meeting_id=meeting, article_id=a1, evidence=TEXT_1, start_offset=0,
            end_offset=len(TEXT_1), observation='[{"date": "2023-02-03"}]',
        )  # fmt: skip
        call = add(
            "meetings", kind="call", status="planned", date=None, date_precision="unknown", place=None,
            place_country=None, confidence=0.5, first_source_id=a2,
        )  # fmt: skip
        add(
            "meeting_participants", meeting_id=call, official_id=None, country="IRN", org=None, title=None,
            role="participant", participant_key="c:IRN",
        )  # fmt: skip
        add(
            "meeting_participants", meeting_id=call, official_id=people["Carla Mendez"], country=None,
            org="UN", title="Special Envoy", role="caller", participant_key=f"o:{people['Carla Mendez']}",
        )  # fmt: skip
        add(
            "meeting_sources", meeting_id=call, article_id=a2, evidence=TEXT_2[:44], start_offset=0,
            end_offset=44, observation=None,
        )  # fmt: skip
        deal = add(
            "agreements", title="trade agreement", type="agreement", status="signed",
            date=dt.date(2023, 2, 1), date_precision="month", place=None, place_country=None,
            confidence=0.8, first_source_id=a2,
        )  # fmt: skip
        for code, key in (("IRN", "c:IRN"), ("VEN", "c:VEN")):
            add(
                "agreement_parties", agreement_id=deal, country=code, org=None,
                signatory_id=people["Ana Ardalan"] if code == "IRN" else None, party_key=key,
            )  # fmt: skip
        add(
            "agreement_parties",
            agreement_id=deal,
            country=None,
            org="UN",
            signatory_id=None,
            party_key="g:UN",
        )
        add(
            "agreement_sources", agreement_id=deal, article_id=a2, evidence=TEXT_2[:44], start_offset=0,
            end_offset=44, observation="[]",
        )  # fmt: skip
    return {"meetings": 2, "agreements": 1}


def test_an_archive_filled_at_the_first_revision_is_upgraded_with_nothing_lost(db_url: str) -> None:
    engine = make_engine(db_url)
    try:
        upgrade(engine, "0001")
        assert current_revision(engine) == "0001"
        counts = _fill_first_revision(engine)
        first = inspect(engine)
        tables = {name: [c["name"] for c in first.get_columns(name)] for name in first.get_table_names()}
        tables.pop("alembic_version")
        before = _rows(engine, tables)
        assert all(before[name] for name in tables), "every first-revision table holds rows"

        upgrade(engine)
        assert current_revision(engine) == head_revision()
        after = _rows(engine, tables)
        for name in tables:
            if name in REFERENCE:
                assert set(before[name][i][0] for i in range(len(before[name]))) <= {
                    r[0] for r in after[name]
                }
            else:
                assert after[name] == before[name], name
        with engine.connect() as conn:
            assert conn.execute(text("SELECT name, cow FROM countries WHERE iso3 = 'IRN'")).one() == (
                "Iran",
                630,
            )
            assert conn.execute(text("SELECT count(*) FROM countries")).scalar_one() >= 195
            facts = conn.execute(
                text("SELECT event, count(*) FROM event_facts GROUP BY event ORDER BY 1")
            ).all()
            assert dict(facts) == {"agreement": counts["agreements"], "meeting": counts["meetings"]}
        found = check_archive(engine)
        assert problems(found) == 0, found
    finally:
        engine.dispose()


def _schema_matches_models(engine: Engine) -> None:
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        assert compare_metadata(context, Base.metadata) == []


def test_a_filled_archive_goes_down_and_up_again(db_url: str, tmp_path: Path, bl) -> None:  # type: ignore[no-untyped-def]
    folder = bl.write_corpus(tmp_path / "corpus", range(16))
    assert bl.invoke(db_url, "ingest", "--quiet", str(folder)).exit_code == 0
    engine = make_engine(db_url)
    try:
        tables = {
            t.name: [c.name for c in t.columns]
            for t in Base.metadata.sorted_tables
            if t.name not in REFERENCE and t.name in inspect(engine).get_table_names()
        }
        before = _rows(engine, tables)
        dumped = bl.dump(db_url)
        assert dumped["meetings"] and dumped["agreements"]

        # Down to the first revision: the rows stay, and so do the countries they name.
        downgrade(engine, "0001")
        assert current_revision(engine) == "0001"
        upgrade(engine)
        assert _rows(engine, tables) == before
        assert bl.dump(db_url) == dumped
        assert problems(check_archive(engine)) == 0

        # Down to base: nothing is left but alembic's table; up again: the schema of the models.
        downgrade(engine, "base")
        assert current_revision(engine) is None
        assert set(inspect(engine).get_table_names()) == {"alembic_version"}
        upgrade(engine)
        _schema_matches_models(engine)
        with engine.connect() as conn:
            assert conn.execute(select(func.count()).select_from(text("countries"))).scalar_one() >= 195
            assert conn.execute(text("SELECT count(*) FROM meetings")).scalar_one() == 0
    finally:
        engine.dispose()
    again = bl.invoke(db_url, "ingest", "--quiet", str(folder))
    assert again.exit_code == 0
    assert bl.dump(db_url) == dumped
