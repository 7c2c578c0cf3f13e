"""The built-in forms of forms/authoring/library/, stored in every database that opens."""

from __future__ import annotations

from typing import TYPE_CHECKING

from forms.authoring.loader import load_builtin_forms

if TYPE_CHECKING:
    from forms.storage import Store


def install_builtin_forms(store: Store) -> list[int]:
    """Store each built-in form version (unchanged ones are not stored twice); their ids."""
    if store.read_only is not None:
        return []  # a database that can only be read shows the forms it holds
    return [store.add_form(form) for form in load_builtin_forms()]
