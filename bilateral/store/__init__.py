"""The archive: models, engine, resolution and ingest; importing it registers every table's model."""

from bilateral.store import aggregates as aggregates  # noqa: F401  (aggregate tables join Base.metadata)
