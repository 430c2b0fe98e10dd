"""Transaction-scoped locks on natural keys: taken together, held until commit, nothing on SQLite."""

from __future__ import annotations

from sqlalchemy import Engine, text
from sqlalchemy.orm import Session

from bilateral.store.locks import lock_id, lock_keys


def test_lock_ids_are_stable_signed_64_bit_numbers() -> None:
    assert lock_id("pair:FRA|DEU") == lock_id("pair:FRA|DEU") != lock_id("pair:DEU|FRA")
    assert all(-(2**63) <= lock_id(key) < 2**63 for key in ("", "officials:IRN", "é" * 100))


def test_locks_are_held_until_the_transaction_ends(engine: Engine) -> None:
    keys = ["officials:VEN", "pair:IRN|VEN", "officials:IRN"]
    with Session(engine) as holder:
        lock_keys(holder, keys)
        if engine.dialect.name != "postgresql":
            return  # SQLite: one writer at a time already, nothing to take
        with engine.connect() as other:
            free = [
                other.execute(text("SELECT pg_try_advisory_xact_lock(:id)"), {"id": lock_id(k)}).scalar()
                for k in [*keys, "pair:CUB|VEN"]
            ]
            other.rollback()
            assert free == [False, False, False, True]
            holder.commit()
            taken = other.execute(
                text("SELECT pg_try_advisory_xact_lock(:id)"), {"id": lock_id("pair:IRN|VEN")}
            ).scalar()
            assert taken is True
