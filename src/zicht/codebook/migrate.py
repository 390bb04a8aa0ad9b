"""Move coded data from one codebook version to the next without inventing codes."""

from __future__ import annotations

from collections.abc import Iterable

from zicht.codebook.model import NOT_CODED, Codebook, CodedCase, Value, Values
from zicht.errors import MigrationError


def migrate_values(values: Values, source: Codebook, target: Codebook) -> dict[str, Value]:
    """The codes of one case under `target`.

    A variable the source did not have, or did not apply to this case, becomes *not coded
    yet* where the target applies it: nobody has looked, so it is not 'unknown'.
    """
    if target.previous != source.id:
        raise MigrationError(
            f"cannot migrate from {source.id} to {target.id}: {target.id} follows {target.previous or 'no earlier codebook'}"
        )
    migrated: dict[str, Value] = {}
    for variable in target:
        known_before = variable.id in source and source.applies(source[variable.id], values)
        migrated[variable.id] = values.get(variable.id) if known_before else NOT_CODED
    # Variables that do not apply under the target's rules stay empty, not "not coded".
    for variable in target:
        if migrated[variable.id] is NOT_CODED and not _may_apply(target, variable.id, migrated):
            migrated[variable.id] = None
    return migrated


def _may_apply(codebook: Codebook, variable_id: str, values: Values) -> bool:
    """Whether the variable applies, or might once its not-coded conditions are coded."""
    cond = codebook[variable_id].applies_when
    if cond is None:
        return True
    if values.get(cond.variable) is NOT_CODED:
        return _may_apply(codebook, cond.variable, values)
    return codebook.applies(codebook[variable_id], values)


def migrate_cases(cases: Iterable[CodedCase], source: Codebook, target: Codebook) -> list[CodedCase]:
    """Coded cases of `source` as cases of `target` (`zicht codebook migrate`)."""
    return [CodedCase(c.visitor_id, target.id, migrate_values(c.values, source, target), c.conversation_ids) for c in cases]
