"""Find the shared libraries that Rapport's Qt plugins and PDF module load and this machine
lacks, and name (or install) the Debian packages that provide them.

Run by `make run` and `make test` with the project's virtual environment, after the Python
packages are installed and before anything imports Qt or WeasyPrint:

    python packaging/system_libraries.py            # exit 0, or 2 with the apt-get line
    python packaging/system_libraries.py --install  # as root: apt-get install what is missing

The list is read from the installed programs themselves, never written by hand: `ldd` on the
Qt plugins the app loads (the xcb and Wayland platforms, their GL integrations, image formats,
icon engines, input methods) and the PySide6 modules it imports, plus the library names that
WeasyPrint opens at run time (it opens them with dlopen, so ldd cannot see them). Qt aborts
with a misleading "xcb-cursor0 is needed" when any of libqxcb.so's libraries is missing;
checking them all first means `make run` never ends in that message.

Imports nothing from the project and does not import PySide6 or WeasyPrint (that would load
the very libraries being checked).
"""

from __future__ import annotations

import argparse
import ctypes
import importlib.util
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path

# Plugin folders and files (under PySide6/Qt/plugins) that a running Rapport window loads.
QT_PLUGINS = (
    "platforms/libqxcb.so",
    "platforms/libqwayland.so",
    "platforms/libqoffscreen.so",
    "xcbglintegrations",
    "imageformats",
    "iconengines",
    "platforminputcontexts/libcomposeplatforminputcontextplugin.so",
    "platforminputcontexts/libibusplatforminputcontextplugin.so",
    "platformthemes/libqxdgdesktopportal.so",
)
# The PySide6 extension modules that desktop/ imports.
QT_MODULES = ("QtCore", "QtGui", "QtWidgets", "QtSvg", "QtPdf", "QtPdfWidgets")

_NOT_FOUND = re.compile(r"^\s*(\S+)\s+=>\s+not found", re.MULTILINE)
_SONAME = re.compile(r"^(lib[\w.+-]+?)\.so\.(\d+)$")
_DLOPEN_CALL = re.compile(r"_dlopen\((.*?)\)", re.DOTALL)
_QUOTED_SONAME = re.compile(r"'(lib[\w.+-]+\.so\.\d+)'")


def package_folder(name: str) -> Path | None:
    """Where a top-level Python package is installed, found without importing it."""
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations)))


def qt_binaries(pyside: Path) -> list[Path]:
    """The plugin and module files whose linked libraries must all be present."""
    plugins = pyside / "Qt" / "plugins"
    found: list[Path] = []
    for entry in QT_PLUGINS:
        path = plugins / entry
        found.extend(sorted(path.glob("*.so")) if path.is_dir() else [path])
    for module in QT_MODULES:
        found.extend(sorted(pyside.glob(f"{module}.*.so"))[:1])
    return [path for path in found if path.is_file()]


def missing_linked_libraries(ldd_output: str) -> set[str]:
    """The sonames that `ldd` reports as "not found"."""
    return set(_NOT_FOUND.findall(ldd_output))


def weasyprint_libraries(ffi_source: str) -> tuple[set[str], set[str]]:
    """The Linux sonames WeasyPrint opens: (required, optional), read from its ffi module.

    A call with `allow_fail=True` is optional, except that WeasyPrint warns when HarfBuzz
    subset is missing, and the tests treat every warning as an error: subset is required.
    """
    required: set[str] = set()
    optional: set[str] = set()
    for call in _DLOPEN_CALL.findall(ffi_source):
        names = set(_QUOTED_SONAME.findall(call))
        may_fail = "allow_fail=True" in call and "harfbuzz-subset" not in call
        (optional if may_fail else required).update(names)
    return required, optional


def debian_package_candidates(soname: str) -> list[str]:
    """Debian package names that may ship `soname`, most likely first.

    Debian's library packaging policy names the package after the soname: libfoo.so.1 is in
    libfoo1, and a name ending in a digit takes a hyphen (libpango-1.0.so.0: libpango-1.0-0).
    Some packages carry a suffix from an ABI transition (libharfbuzz0b, ...t64).
    """
    match = _SONAME.match(soname)
    if match is None:
        return []
    stem, major = match.group(1).lower(), match.group(2)
    base = f"{stem}-{major}" if stem[-1].isdigit() else f"{stem}{major}"
    return [base, f"{base}b", f"{base}t64"]


def loadable(soname: str) -> bool:
    """Whether the dynamic loader finds `soname` on this machine."""
    try:
        ctypes.CDLL(soname)
    except OSError:
        return False
    return True


def missing_libraries() -> tuple[set[str], set[str]]:
    """(required, optional) sonames that the app would fail to load here."""
    required: set[str] = set()
    optional: set[str] = set()
    pyside = package_folder("PySide6")
    if pyside is not None and shutil.which("ldd"):
        for binary in qt_binaries(pyside):
            result = subprocess.run(
                ["ldd", str(binary)], capture_output=True, text=True, check=False
            )
            required |= missing_linked_libraries(result.stdout)
    weasyprint = package_folder("weasyprint")
    ffi = weasyprint / "text" / "ffi.py" if weasyprint else None
    if ffi is not None and ffi.is_file():
        needed, may_fail = weasyprint_libraries(ffi.read_text(encoding="utf-8"))
        required |= {name for name in needed if not loadable(name)}
        optional |= {name for name in may_fail if not loadable(name)}
    return required, optional - required


def known_packages(candidates: Iterable[str]) -> set[str]:
    """Which of these package names apt knows on this machine."""
    names = sorted(set(candidates))
    if not names or not shutil.which("apt-cache"):
        return set()
    result = subprocess.run(
        ["apt-cache", "show", "--no-all-versions", *names],
        capture_output=True,
        text=True,
        check=False,
    )
    return set(re.findall(r"^Package: (\S+)$", result.stdout, re.MULTILINE))


def packages_for(sonames: Iterable[str]) -> tuple[dict[str, str], set[str]]:
    """Map each soname to the Debian package that provides it; also the unmapped ones."""
    candidates = {soname: debian_package_candidates(soname) for soname in sonames}
    known = known_packages(name for names in candidates.values() for name in names)
    mapped: dict[str, str] = {}
    unmapped: set[str] = set()
    for soname, names in candidates.items():
        package = next((name for name in names if name in known), None)
        if package is None:
            unmapped.add(soname)
        else:
            mapped[soname] = package
    return mapped, unmapped


def has_fonts() -> bool:
    """Whether fontconfig knows at least one font (reports need one to print text)."""
    if not shutil.which("fc-list"):
        return False
    result = subprocess.run(["fc-list"], capture_output=True, text=True, check=False)
    return bool(result.stdout.strip())


def apt_get_install(packages: Sequence[str]) -> int:
    """Install packages non-interactively; the exit code of apt-get."""
    environment = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    return subprocess.run(
        ["apt-get", "install", "-y", "-qq", *packages], check=False, env=environment
    ).returncode


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--install", action="store_true", help="apt-get install what is missing")
    args = parser.parse_args(argv)

    required, optional = missing_libraries()
    fonts = [] if has_fonts() else ["fontconfig", "fonts-dejavu-core"]
    if not required and not fonts:
        return 0
    if shutil.which("apt-get") and args.install and os.geteuid() == 0 and required:
        # apt-cache knows nothing before the first update on a fresh machine.
        subprocess.run(["apt-get", "update", "-qq"], check=False)
    mapped, unmapped = packages_for(required | optional)
    packages = sorted({mapped[name] for name in required if name in mapped} | set(fonts))
    packages += sorted({mapped[name] for name in optional if name in mapped} - set(packages))
    unmapped &= required
    if unmapped:
        print(
            "Rapport needs these system libraries, and no Debian package for them was found:\n  "
            + " ".join(sorted(unmapped))
            + "\nInstall them with your system's package manager, then run this again.",
            file=sys.stderr,
        )
        return 2
    if args.install and os.geteuid() == 0 and shutil.which("apt-get"):
        print("Installing the system libraries that Qt and WeasyPrint need: " + " ".join(packages))
        if apt_get_install(packages) != 0:
            return 2
        still, _ = missing_libraries()
        if still:
            print("Still missing after apt-get: " + " ".join(sorted(still)), file=sys.stderr)
            return 2
        return 0
    print(
        "Rapport needs these system libraries (for Qt and WeasyPrint). Install them with:\n"
        "  sudo apt-get install " + " ".join(packages),
        file=sys.stderr,
    )
    return 2


if __name__ == "__main__":
    sys.exit(main())
