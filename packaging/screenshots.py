"""Make the README's screenshots from the real app, on the sample data, offscreen.

Run with `make screenshots`; the PNG files land in packaging/screenshots/.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

OUT = Path(__file__).resolve().parent / "screenshots"


def main() -> int:
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from desktop.main_window import MainWindow
    from forms.sample_data import load_sample_data
    from forms.store import Store

    OUT.mkdir(exist_ok=True)
    app = QApplication.instance() or QApplication(sys.argv)
    app.setOrganizationName("Rapport-screenshots")
    QSettings().clear()
    with tempfile.TemporaryDirectory() as folder:
        store = Store.open(f"sqlite:///{Path(folder) / 'screenshots.db'}")
        load_sample_data(store)
        window = MainWindow(store, actor="shopper")
        window.resize(1100, 700)
        window.show()
        app.processEvents()
        window.grab().save(str(OUT / "home.png"))
        print(f"Wrote {OUT / 'home.png'}")
        locations = window.home.model
        first = locations.row_at(0)
        forms = {info.key: info.id for info in store.list_forms()}
        submission = store.start_submission(
            forms["mystery_shop_empathy"], location_id=first.id, channel="phone", actor="shopper"
        )
        window.open_evaluation(submission)
        evaluation = window.evaluation
        assert evaluation is not None
        evaluation.go_next()
        app.processEvents()
        window.grab().save(str(OUT / "evaluation.png"))
        print(f"Wrote {OUT / 'evaluation.png'}")
        window.close()
        store.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
