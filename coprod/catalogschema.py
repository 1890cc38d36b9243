"""The catalog file's tables and schema version, shared by building, checking and loading it."""

from __future__ import annotations

from coprod.knowledge import CONCEPT_COLUMNS, RELATION_COLUMNS, SYSTEM_COLUMNS

SCHEMA_VERSION = "1"

# Tables in build order; partners and capabilities are required in a user's folder.
TABLES: tuple[str, ...] = (
    "partners",
    "capabilities",
    "codevelopers",
    "countries",
    "requirements",
    "synonyms",
    "concepts",
    "systems",
    "system_relations",
)
# The knowledge base's tables: a catalog without them uses the shipped knowledge base.
KNOWLEDGE_TABLES: tuple[str, ...] = ("concepts", "systems", "system_relations")
# The knowledge tables' stored columns, in order.
KNOWLEDGE_COLUMNS: dict[str, tuple[str, ...]] = {
    "concepts": (*CONCEPT_COLUMNS, "source"),
    "systems": (*SYSTEM_COLUMNS, "source"),
    "system_relations": (*RELATION_COLUMNS, "source"),
}
# meta "knowledge": the tables hold the shipped knowledge base merged with the user's
KNOWLEDGE_MERGED = "shipped+own"
REQUIRED_TABLES: tuple[str, ...] = ("partners", "capabilities")
