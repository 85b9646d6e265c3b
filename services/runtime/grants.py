"""Who may grant access to a document, and so who may replace or delete one (issue 18).

A rag-writer may give a document only groups they belong to. An empty access list means
everyone in the realm; a writer may give it only where the deployment allows it
(``RAGMESH_WRITERS_MAY_GRANT_EVERYONE``, default off). What is stored is guarded the same
way: a writer may replace or delete a document only if they could have given it its
current access list, so nobody overwrites or removes what a group they are not in reads.
rag-admin (and every caller when auth is off) may grant any list.

The gateway checks a new list before any work (the groups are in the token: no call), the
vector store checks both lists again under its write lock (the authority, for callers that
reach it directly too), and the indexer checks when a change is notified, since it applies
changes later with its own admin token. Every refusal is PERMISSION_DENIED naming the
group, with an audit line.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass

from services.runtime.errors import PermissionDenied
from services.runtime.identity import Identity

audit = logging.getLogger("ragmesh.audit")

GRANT_DENIED = "ACCESS_GRANT_DENIED"
EVERYONE_SETTING = "RAGMESH_WRITERS_MAY_GRANT_EVERYONE"


@dataclass(frozen=True)
class Grantor:
    """The access lists one caller may give (and so replace or delete)."""

    # None: any list (rag-admin, auth off); otherwise the caller's groups.
    groups: frozenset[str] | None
    everyone_allowed: bool = False
    # For the audit line only.
    username: str = ""

    @classmethod
    def of(cls, identity: Identity | None, everyone_allowed: bool) -> Grantor:
        if identity is None or identity.is_admin:
            return cls(None, True, identity.username if identity else "")
        return cls(identity.groups, everyone_allowed, identity.username)

    def refused_group(self, access_groups: Iterable[str]) -> str | None:
        """The first group of the list this caller may not grant, ``""`` for an empty list
        (everyone) they may not grant, None when they may grant the list."""
        if self.groups is None:
            return None
        wanted = sorted(set(access_groups))
        if not wanted:
            return None if self.everyone_allowed else ""
        return next((g for g in wanted if g not in self.groups), None)

    def check(self, document_id: str, access_groups: Iterable[str], stored: bool = False) -> None:
        """Raise PERMISSION_DENIED (and audit it) unless this caller may give the document
        ``access_groups``; ``stored``: the list is the stored version's (replace, delete)."""
        group = self.refused_group(access_groups)
        if group is None:
            return
        raise self._refusal(document_id, group, stored)

    def _refusal(self, document_id: str, group: str, stored: bool) -> PermissionDenied:
        if stored and group:
            message = (
                f"document {document_id!r} is readable by group {group!r}, which you are not "
                "in: only its members or a rag-admin may replace or delete it"
            )
        elif stored:
            message = (
                f"document {document_id!r} is readable by everyone in the realm: only a "
                f"rag-admin may replace or delete it ({EVERYONE_SETTING} is off)"
            )
        elif group:
            message = (
                f"access_groups: you are not in group {group!r}, so you may not give it "
                f"access to document {document_id!r}; list only your own groups, or ask a "
                "rag-admin"
            )
        else:
            message = (
                f"access_groups: empty means readable by everyone in the realm, which only "
                f"rag-admin may grant here ({EVERYONE_SETTING} is off); name one of your "
                "groups"
            )
        audit.warning(
            "access grant refused: %s on %r (%s)",
            self.username or "anonymous",
            document_id,
            f"group {group}" if group else "everyone",
            extra={"audit": True, "user": self.username, "reason": GRANT_DENIED},
        )
        return PermissionDenied(
            message=message,
            reason=GRANT_DENIED,
            metadata={"document_id": document_id, "group": group or "*"},
        )


# May grant any list: in-process callers that are not serving a user (and tests).
ANYONE = Grantor(None, True)
