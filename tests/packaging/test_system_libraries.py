"""packaging/system_libraries.py: `make run` finds every system library the app loads from the
installed Qt plugins and WeasyPrint, and names the Debian packages that provide them."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "packaging" / "system_libraries.py"


@pytest.fixture(scope="module")
def system_libraries() -> ModuleType:
    spec = importlib.util.spec_from_file_location("system_libraries", SCRIPT)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


LDD_OF_LIBQXCB_ON_A_MINIMAL_MACHINE = """\
\tlinux-vdso.so.1 (0x00007ffd1d5f5000)
\tlibQt6XcbQpa.so.6 => /venv/PySide6/Qt/lib/libQt6XcbQpa.so.6 (0x00007f)
\tlibxcb-cursor.so.0 => /lib/x86_64-linux-gnu/libxcb-cursor.so.0 (0x00007f)
\tlibxcb-icccm.so.4 => not found
\tlibxcb-keysyms.so.1 => not found
\tlibxkbcommon-x11.so.0 => not found
"""


def test_libraries_ldd_cannot_find_are_the_missing_ones(system_libraries: ModuleType) -> None:
    found = system_libraries.missing_linked_libraries(LDD_OF_LIBQXCB_ON_A_MINIMAL_MACHINE)
    assert found == {"libxcb-icccm.so.4", "libxcb-keysyms.so.1", "libxkbcommon-x11.so.0"}


@pytest.mark.parametrize(
    ("soname", "package"),
    [
        ("libxcb-keysyms.so.1", "libxcb-keysyms1"),
        ("libxcb-icccm.so.4", "libxcb-icccm4"),
        ("libxkbcommon-x11.so.0", "libxkbcommon-x11-0"),
        ("libEGL.so.1", "libegl1"),
        ("libpango-1.0.so.0", "libpango-1.0-0"),
        ("libharfbuzz.so.0", "libharfbuzz0b"),
        ("libdbus-1.so.3", "libdbus-1-3"),
    ],
)
def test_each_library_maps_to_the_debian_package_that_ships_it(
    system_libraries: ModuleType, soname: str, package: str
) -> None:
    assert package in system_libraries.debian_package_candidates(soname)


def test_the_pdf_libraries_are_read_from_weasyprint_itself(system_libraries: ModuleType) -> None:
    folder = system_libraries.package_folder("weasyprint")
    source = (folder / "text" / "ffi.py").read_text(encoding="utf-8")
    required, optional = system_libraries.weasyprint_libraries(source)
    assert {"libpango-1.0.so.0", "libfontconfig.so.1", "libharfbuzz-subset.so.0"} <= required
    assert "libharfbuzz-vector.so.0" in optional


def test_the_xcb_platform_plugin_and_the_imported_modules_are_checked(
    system_libraries: ModuleType,
) -> None:
    pyside = system_libraries.package_folder("PySide6")
    names = {path.name for path in system_libraries.qt_binaries(pyside)}
    assert {"libqxcb.so", "libqxcb-glx-integration.so", "libqsvg.so"} <= names
    assert any(name.startswith("QtPdfWidgets.") for name in names)


def test_after_make_installs_them_no_library_the_app_loads_is_missing(
    system_libraries: ModuleType,
) -> None:
    # `make test` runs the check (and apt-get) before the tests: this is what it left.
    required, _optional = system_libraries.missing_libraries()
    assert required == set()
