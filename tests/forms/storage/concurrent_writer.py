"""One of the two processes of the concurrency test: writes as fast as it can, then reports.

Usage (from the repository root):
  python -m tests.forms.storage.concurrent_writer URL FORM_ID SHARED_SUBMISSION WRITER COUNT
It waits for a line on stdin (so both writers start together), then autosaves COUNT rounds
into its own new submission and into the shared one, attaches the same photo as the other
writer, and stores the same new form version and location as the other writer. It prints
one JSON line: its submission id and the last value it saved for every question.
"""

from __future__ import annotations

import json
import sys

from forms.storage import Store
from tests.forms.storage.sample_forms import counter_form

PHOTO = b"\xff\xd8\xff\xe0" + b"the same photo taken by both shoppers" * 50


def main() -> None:
    url, form_id, shared, number, count = sys.argv[1:6]
    writer = int(number)
    sys.stdin.readline()
    with Store.open(url) as store:
        own = store.start_submission(int(form_id), actor=f"writer {writer}")
        own_last: dict[str, int] = {}
        shared_last: dict[str, int] = {}
        for step in range(int(count)):
            question = f"q{step % 8}"
            store.save_answer(own, question, step)
            own_last[question] = step
            # Writer 1 owns q0-q3 of the shared submission, writer 2 q4-q7; both write q9.
            mine = f"q{(writer - 1) * 4 + step % 4}"
            for target in (mine, "q9"):
                value = writer * 1_000_000 + step
                store.save_answer(shared, target, value)
                shared_last[target] = value
            if step % 25 == 0:
                store.attach(own, PHOTO, filename=f"w{writer}-{step}.jpg", media_type="image/jpeg")
                store.upsert_location("SHARED", f"Lobby seen by writer {writer}")
                store.add_form(counter_form(12).model_copy(update={"version": "2"}))
    print(json.dumps({"own": own, "own_last": own_last, "shared_last": shared_last}))


if __name__ == "__main__":
    main()
