"""Who may grant access (services/runtime/grants.py): the rule, its messages and its audit."""

from __future__ import annotations

import logging

import pytest

from services.runtime.errors import PermissionDenied
from services.runtime.grants import GRANT_DENIED, Grantor
from services.runtime.identity import Identity

BOB = Identity("u-bob", "bob", frozenset({"rag-writer"}), frozenset({"engineering"}))
ERIN = Identity("u-erin", "erin", frozenset({"rag-writer"}), frozenset({"finance", "hr"}))
CAROL = Identity("u-carol", "carol", frozenset({"rag-admin"}), frozenset())


def test_a_writer_grants_only_their_own_groups_and_everyone_only_when_allowed() -> None:
    bob = Grantor.of(BOB, everyone_allowed=False)
    assert bob.refused_group(["engineering"]) is None
    assert bob.refused_group(["engineering", "finance"]) == "finance"
    assert bob.refused_group([]) == ""
    assert Grantor.of(BOB, everyone_allowed=True).refused_group([]) is None
    erin = Grantor.of(ERIN, everyone_allowed=False)
    assert erin.refused_group(["hr", "finance"]) is None
    assert erin.refused_group(["legal", "hr"]) == "legal"


def test_admins_and_unauthenticated_deployments_grant_anything() -> None:
    for grantor in (Grantor.of(CAROL, False), Grantor.of(None, False)):
        assert grantor.groups is None
        for groups in ([], ["finance"], ["legal", "hr"]):
            grantor.check("doc", groups)
            grantor.check("doc", groups, stored=True)


def test_a_refusal_names_the_group_and_is_audited(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level("INFO", logger="ragmesh.audit")
    bob = Grantor.of(BOB, everyone_allowed=False)
    with pytest.raises(PermissionDenied) as new:
        bob.check("q3-budget", ["finance"])
    assert "'finance'" in new.value.message and "q3-budget" in new.value.message
    assert new.value.reason == GRANT_DENIED
    assert new.value.metadata == {"document_id": "q3-budget", "group": "finance"}
    with pytest.raises(PermissionDenied) as stored:
        bob.check("plan", ["engineering", "hr"], stored=True)
    assert "'hr'" in stored.value.message and "replace or delete" in stored.value.message
    with pytest.raises(PermissionDenied) as everyone:
        bob.check("memo", [])
    assert "RAGMESH_WRITERS_MAY_GRANT_EVERYONE" in everyone.value.message
    assert everyone.value.metadata["group"] == "*"
    audits = [r for r in caplog.records if r.name == "ragmesh.audit"]
    assert len(audits) == 3
    assert all(getattr(r, "user", "") == "bob" and r.levelno == logging.WARNING for r in audits)
    assert all(getattr(r, "reason", "") == GRANT_DENIED for r in audits)
