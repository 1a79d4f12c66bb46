"""What the account tests share: argon2 at its cheapest, so tests that add accounts stay fast (the
hash's strength is argon2-cffi's business; these tests check how dnh-graph uses it)."""

from __future__ import annotations

import argon2
import pytest

from dnh_graph import accounts


@pytest.fixture(autouse=True)
def fast_hashes(monkeypatch):
    monkeypatch.setattr(accounts, "_HASHER", argon2.PasswordHasher(time_cost=1, memory_cost=8, parallelism=1))
