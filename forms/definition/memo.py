"""What is worked out from a form once (its compiled logic, its scoring plan), remembered.

A stored form never changes, and the same form is checked and scored at every Finalize, so
the work is kept for the last few forms seen: found by the form object itself (the store
hands out the same object each time), else by its content hash (the same form read again).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import Generic, TypeVar

from forms.definition.model import FormDefinition

Worked = TypeVar("Worked")


class FormMemo(Generic[Worked]):
    """`work(form)` for the last `size` forms, computed once for each."""

    def __init__(self, work: Callable[[FormDefinition], Worked], *, size: int = 64) -> None:
        self._work = work
        self._size = size
        self._by_hash: OrderedDict[str, Worked] = OrderedDict()
        # Keeping the form itself in the entry keeps its id from being reused by another object.
        self._by_object: OrderedDict[int, tuple[FormDefinition, Worked]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, form: FormDefinition) -> Worked:
        """What `work` gives for `form`, from memory when this form was seen already."""
        with self._lock:
            entry = self._by_object.get(id(form))
            if entry is not None and entry[0] is form:
                self._by_object.move_to_end(id(form))
                return entry[1]
        digest = form.sha256()
        with self._lock:
            found = self._by_hash.get(digest)
        if found is None:
            # Outside the lock: a slow form does not hold up the others (two threads may
            # both work out the same form once; either result is the same).
            found = self._work(form)
        with self._lock:
            self._by_hash[digest] = found
            self._by_hash.move_to_end(digest)
            self._by_object[id(form)] = (form, found)
            self._by_object.move_to_end(id(form))
            while len(self._by_hash) > self._size:
                self._by_hash.popitem(last=False)
            while len(self._by_object) > self._size:
                self._by_object.popitem(last=False)
        return found
