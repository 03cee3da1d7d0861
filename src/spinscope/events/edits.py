"""Replay manual event edits (merge, split, rename) on top of an automatic clustering.

Edits name articles, not event ids, so they keep their meaning when a rebuild changes the
clusters (see ``EventEdit``). Articles an edit names that are no longer in the corpus are
ignored. Edits apply in the order they were made; a later edit wins.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from spinscope.events.records import EventEdit

__all__ = ["EditedGroups", "apply_edits"]


@dataclass
class EditedGroups:
    """Groups after edits; ``names``/``edited`` are keyed by group index."""

    groups: list[list[str]]
    names: dict[int, str] = field(default_factory=dict)
    edited: set[int] = field(default_factory=set)
    applied: int = 0


def apply_edits(groups: Sequence[Sequence[str]], edits: Sequence[EventEdit]) -> EditedGroups:
    """Apply ``edits`` to ``groups`` (member ids, singletons included)."""
    out = EditedGroups([list(g) for g in groups])
    where: dict[str, int] = {a: i for i, g in enumerate(out.groups) for a in g}
    for edit in edits:
        if edit.action == "merge":
            targets = sorted({where[a] for g in edit.groups for a in g if a in where})
            if len(targets) < 2:
                continue
            keep = targets[0]
            for t in targets[1:]:
                for a in out.groups[t]:
                    where[a] = keep
                out.groups[keep].extend(out.groups[t])
                out.groups[t] = []
                if t in out.names and keep not in out.names:
                    out.names[keep] = out.names.pop(t)
            out.edited.add(keep)
            out.applied += 1
        elif edit.action == "split":
            moved = [a for a in dict.fromkeys(edit.groups[0] if edit.groups else ()) if a in where]
            if not moved:
                continue
            touched = {where[a] for a in moved}
            moved_set = set(moved)
            for t in touched:
                out.groups[t] = [a for a in out.groups[t] if a not in moved_set]
                out.edited.add(t)
            out.groups.append(moved)
            new = len(out.groups) - 1
            for a in moved:
                where[a] = new
            out.edited.add(new)
            out.applied += 1
        elif edit.action == "rename" and edit.name:
            votes: dict[int, int] = {}
            for a in edit.groups[0] if edit.groups else ():
                if a in where:
                    votes[where[a]] = votes.get(where[a], 0) + 1
            if not votes:
                continue
            best = max(votes, key=lambda i: (votes[i], -i))
            out.names[best] = edit.name
            out.edited.add(best)
            out.applied += 1
    return out
