"""Create the archive schema: every table, constraint and index (countries are filled by 0002).

Revision ID: 0001
Revises:
Create Date: 2026-11-28 20:54:58.829620
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Upgrade the schema."""
    op.create_table(
        "articles",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("date", sa.Date(), nullable=True),
        sa.Column("title", sa.Text(), nullable=True),
        sa.Column("url", sa.Text(), nullable=True),
        sa.Column("source", sa.String(length=200), nullable=True),
        sa.Column("ref", sa.Text(), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("words", sa.Integer(), nullable=False),
        sa.Column("extractor_version", sa.String(length=40), nullable=True),
        sa.Column("ingested_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_articles")),
        sa.UniqueConstraint("sha256", name=op.f("uq_articles_sha256")),
    )
    op.create_index(op.f("ix_articles_date"), "articles", ["date"])

    op.create_table(
        "countries",
        sa.Column("iso3", sa.String(length=3), nullable=False),
        sa.Column("iso2", sa.String(length=2), nullable=True),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("cow", sa.Integer(), nullable=True),
        sa.Column("gw", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("iso3", name=op.f("pk_countries")),
    )
    op.create_table(
        "organizations",
        sa.Column("code", sa.String(length=16), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_organizations")),
    )
    op.create_table(
        "agreements",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("type", sa.String(length=16), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("date", sa.Date(), nullable=True),
        sa.Column("date_precision", sa.String(length=16), nullable=False),
        sa.Column("place", sa.String(length=300), nullable=True),
        sa.Column("place_country", sa.String(length=3), nullable=True),
        sa.Column("confidence", sa.Float(), nullable=False),
        sa.Column("first_source_id", sa.Integer(), nullable=True),
        sa.CheckConstraint(
            "(date IS NULL AND date_precision = 'unknown') OR (date IS NOT NULL AND date_precision <> 'unknown')",
            name=op.f("ck_agreements_date_precision_matches"),
        ),
        sa.CheckConstraint(
            "date_precision IN ('day', 'month', 'year', 'unknown')", name=op.f("ck_agreements_date_precision")
        ),
        sa.CheckConstraint(
            "status IN ('signed', 'reached', 'planned', 'discussed', 'implemented')",
            name=op.f("ck_agreements_status"),
        ),
        sa.CheckConstraint(
            "type IN ('agreement', 'memorandum', 'treaty', 'accord', 'contract', 'declaration', 'plan', 'other')",
            name=op.f("ck_agreements_type"),
        ),
        sa.CheckConstraint("confidence >= 0 AND confidence <= 1", name=op.f("ck_agreements_confidence")),
        sa.ForeignKeyConstraint(
            ["first_source_id"],
            ["articles.id"],
            name=op.f("fk_agreements_first_source_id_articles"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["place_country"], ["countries.iso3"], name=op.f("fk_agreements_place_country_countries")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_agreements")),
    )
    op.create_index(op.f("ix_agreements_date"), "agreements", ["date"])
    op.create_index(op.f("ix_agreements_first_source_id"), "agreements", ["first_source_id"])

    op.create_table(
        "article_urls",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("article_id", sa.Integer(), nullable=False),
        sa.Column("url", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["article_id"],
            ["articles.id"],
            name=op.f("fk_article_urls_article_id_articles"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_article_urls")),
        sa.UniqueConstraint("article_id", "url", name=op.f("uq_article_urls_article_id_url")),
    )
    op.create_index(op.f("ix_article_urls_url"), "article_urls", ["url"])

    op.create_table(
        "meetings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("date", sa.Date(), nullable=True),
        sa.Column("date_precision", sa.String(length=16), nullable=False),
        sa.Column("place", sa.String(length=300), nullable=True),
        sa.Column("place_country", sa.String(length=3), nullable=True),
        sa.Column("confidence", sa.Float(), nullable=False),
        sa.Column("first_source_id", sa.Integer(), nullable=True),
        sa.CheckConstraint(
            "(date IS NULL AND date_precision = 'unknown') OR (date IS NOT NULL AND date_precision <> 'unknown')",
            name=op.f("ck_meetings_date_precision_matches"),
        ),
        sa.CheckConstraint(
            "date_precision IN ('day', 'month', 'year', 'unknown')", name=op.f("ck_meetings_date_precision")
        ),
        sa.CheckConstraint("kind IN ('meeting', 'call', 'visit')", name=op.f("ck_meetings_kind")),
        sa.CheckConstraint("status IN ('occurred', 'planned')", name=op.f("ck_meetings_status")),
        sa.CheckConstraint("confidence >= 0 AND confidence <= 1", name=op.f("ck_meetings_confidence")),
        sa.ForeignKeyConstraint(
            ["first_source_id"],
            ["articles.id"],
            name=op.f("fk_meetings_first_source_id_articles"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["place_country"], ["countries.iso3"], name=op.f("fk_meetings_place_country_countries")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_meetings")),
    )
    op.create_index(op.f("ix_meetings_date"), "meetings", ["date"])
    op.create_index(op.f("ix_meetings_first_source_id"), "meetings", ["first_source_id"])
    op.create_index("ix_meetings_kind_date", "meetings", ["kind", "date"])
    op.create_index(op.f("ix_meetings_place_country"), "meetings", ["place_country"])

    op.create_table(
        "officials",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("name_key", sa.String(length=300), nullable=False),
        sa.Column("country", sa.String(length=3), nullable=True),
        sa.Column("org", sa.String(length=16), nullable=True),
        sa.Column("country_key", sa.String(length=16), nullable=False),
        sa.Column("first_seen", sa.Date(), nullable=True),
        sa.Column("last_seen", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(["country"], ["countries.iso3"], name=op.f("fk_officials_country_countries")),
        sa.ForeignKeyConstraint(["org"], ["organizations.code"], name=op.f("fk_officials_org_organizations")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_officials")),
        sa.UniqueConstraint("name_key", "country_key", name=op.f("uq_officials_name_key_country_key")),
    )
    op.create_index(op.f("ix_officials_country"), "officials", ["country"])

    op.create_table(
        "agreement_parties",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("agreement_id", sa.Integer(), nullable=False),
        sa.Column("country", sa.String(length=3), nullable=True),
        sa.Column("org", sa.String(length=16), nullable=True),
        sa.Column("signatory_id", sa.Integer(), nullable=True),
        sa.Column("party_key", sa.String(length=40), nullable=False),
        sa.CheckConstraint(
            "country IS NOT NULL OR org IS NOT NULL", name=op.f("ck_agreement_parties_has_party")
        ),
        sa.ForeignKeyConstraint(
            ["agreement_id"],
            ["agreements.id"],
            name=op.f("fk_agreement_parties_agreement_id_agreements"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["country"], ["countries.iso3"], name=op.f("fk_agreement_parties_country_countries")
        ),
        sa.ForeignKeyConstraint(
            ["org"], ["organizations.code"], name=op.f("fk_agreement_parties_org_organizations")
        ),
        sa.ForeignKeyConstraint(
            ["signatory_id"],
            ["officials.id"],
            name=op.f("fk_agreement_parties_signatory_id_officials"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_agreement_parties")),
        sa.UniqueConstraint(
            "agreement_id", "party_key", name=op.f("uq_agreement_parties_agreement_id_party_key")
        ),
    )
    op.create_index(op.f("ix_agreement_parties_country"), "agreement_parties", ["country"])
    op.create_index(op.f("ix_agreement_parties_org"), "agreement_parties", ["org"])
    op.create_index(op.f("ix_agreement_parties_signatory_id"), "agreement_parties", ["signatory_id"])

    op.create_table(
        "agreement_sources",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("agreement_id", sa.Integer(), nullable=False),
        sa.Column("article_id", sa.Integer(), nullable=False),
        sa.Column("evidence", sa.Text(), nullable=False),
        sa.Column("start_offset", sa.Integer(), nullable=False),
        sa.Column("end_offset", sa.Integer(), nullable=False),
        sa.Column("observation", sa.Text(), nullable=True),
        sa.CheckConstraint(
            "start_offset >= 0 AND end_offset >= start_offset", name=op.f("ck_agreement_sources_offsets")
        ),
        sa.ForeignKeyConstraint(
            ["agreement_id"],
            ["agreements.id"],
            name=op.f("fk_agreement_sources_agreement_id_agreements"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["article_id"],
            ["articles.id"],
            name=op.f("fk_agreement_sources_article_id_articles"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_agreement_sources")),
        sa.UniqueConstraint(
            "agreement_id", "article_id", name=op.f("uq_agreement_sources_agreement_id_article_id")
        ),
    )
    op.create_index(op.f("ix_agreement_sources_article_id"), "agreement_sources", ["article_id"])

    op.create_table(
        "meeting_participants",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("official_id", sa.Integer(), nullable=True),
        sa.Column("country", sa.String(length=3), nullable=True),
        sa.Column("org", sa.String(length=16), nullable=True),
        sa.Column("title", sa.String(length=200), nullable=True),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("participant_key", sa.String(length=40), nullable=False),
        sa.CheckConstraint(
            "role IN ('host', 'guest', 'visitor', 'caller', 'participant')",
            name=op.f("ck_meeting_participants_role"),
        ),
        sa.CheckConstraint(
            "official_id IS NOT NULL OR country IS NOT NULL OR org IS NOT NULL",
            name=op.f("ck_meeting_participants_has_participant"),
        ),
        sa.ForeignKeyConstraint(
            ["country"], ["countries.iso3"], name=op.f("fk_meeting_participants_country_countries")
        ),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["meetings.id"],
            name=op.f("fk_meeting_participants_meeting_id_meetings"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["official_id"],
            ["officials.id"],
            name=op.f("fk_meeting_participants_official_id_officials"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["org"], ["organizations.code"], name=op.f("fk_meeting_participants_org_organizations")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_meeting_participants")),
        sa.UniqueConstraint(
            "meeting_id", "participant_key", name=op.f("uq_meeting_participants_meeting_id_participant_key")
        ),
    )
    op.create_index(op.f("ix_meeting_participants_country"), "meeting_participants", ["country"])
    op.create_index(op.f("ix_meeting_participants_official_id"), "meeting_participants", ["official_id"])
    op.create_index(op.f("ix_meeting_participants_org"), "meeting_participants", ["org"])

    op.create_table(
        "meeting_sources",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("article_id", sa.Integer(), nullable=False),
        sa.Column("evidence", sa.Text(), nullable=False),
        sa.Column("start_offset", sa.Integer(), nullable=False),
        sa.Column("end_offset", sa.Integer(), nullable=False),
        sa.Column("observation", sa.Text(), nullable=True),
        sa.CheckConstraint(
            "start_offset >= 0 AND end_offset >= start_offset", name=op.f("ck_meeting_sources_offsets")
        ),
        sa.ForeignKeyConstraint(
            ["article_id"],
            ["articles.id"],
            name=op.f("fk_meeting_sources_article_id_articles"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["meetings.id"],
            name=op.f("fk_meeting_sources_meeting_id_meetings"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_meeting_sources")),
        sa.UniqueConstraint(
            "meeting_id", "article_id", name=op.f("uq_meeting_sources_meeting_id_article_id")
        ),
    )
    op.create_index(op.f("ix_meeting_sources_article_id"), "meeting_sources", ["article_id"])

    op.create_table(
        "official_aliases",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("official_id", sa.Integer(), nullable=False),
        sa.Column("alias", sa.String(length=300), nullable=False),
        sa.Column("alias_key", sa.String(length=300), nullable=False),
        sa.ForeignKeyConstraint(
            ["official_id"],
            ["officials.id"],
            name=op.f("fk_official_aliases_official_id_officials"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_official_aliases")),
        sa.UniqueConstraint(
            "official_id", "alias_key", name=op.f("uq_official_aliases_official_id_alias_key")
        ),
    )
    op.create_index(op.f("ix_official_aliases_alias_key"), "official_aliases", ["alias_key"])

    op.create_table(
        "positions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("official_id", sa.Integer(), nullable=False),
        sa.Column("country", sa.String(length=3), nullable=True),
        sa.Column("org", sa.String(length=16), nullable=True),
        sa.Column("country_key", sa.String(length=16), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("first_seen", sa.Date(), nullable=True),
        sa.Column("last_seen", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(["country"], ["countries.iso3"], name=op.f("fk_positions_country_countries")),
        sa.ForeignKeyConstraint(
            ["official_id"],
            ["officials.id"],
            name=op.f("fk_positions_official_id_officials"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(["org"], ["organizations.code"], name=op.f("fk_positions_org_organizations")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_positions")),
        sa.UniqueConstraint(
            "official_id", "country_key", "title", name=op.f("uq_positions_official_id_country_key_title")
        ),
    )
    op.create_index(op.f("ix_positions_country"), "positions", ["country"])


def downgrade() -> None:
    """Downgrade the schema."""
    op.drop_table("positions")
    op.drop_table("official_aliases")
    op.drop_table("meeting_sources")
    op.drop_table("meeting_participants")
    op.drop_table("agreement_sources")
    op.drop_table("agreement_parties")
    op.drop_table("officials")
    op.drop_table("meetings")
    op.drop_table("article_urls")
    op.drop_table("agreements")
    op.drop_table("organizations")
    op.drop_table("countries")
    op.drop_table("articles")
