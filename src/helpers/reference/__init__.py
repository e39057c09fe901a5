"""Reference data (``data/reference/``): everything city-specific, loaded and validated once.

Belongs here: reading the reference tables, checking them (one-line errors naming file, row and
column), the alias lookups, the indicator registry and the vocabulary roles the code asks for.
May import: ``helpers.errors``, ``helpers.paths``, ``helpers.normalize`` — nothing above.
"""

from helpers.reference.tables import Reference, alias_map, load_reference

__all__ = ["Reference", "alias_map", "load_reference"]
