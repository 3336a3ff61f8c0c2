"""The import layer runs without Django, so the reader can be used and measured alone."""

import subprocess
import sys

MODULES = [
    "reading",
    "tables",
    "csv_files",
    "workbooks",
    "mapping",
    "normalizing",
    "addresses",
    "validating",
    "exporting",
    "formulas",
    "vocabularies",
    "errors",
]


def test_importing_the_import_layer_does_not_import_django():
    imports = "; ".join(f"import powerbase.imports.{module}" for module in MODULES)
    check = (
        "import sys; "
        "assert not any(m.split('.')[0] == 'django' for m in sys.modules), 'django loaded'"
    )
    result = subprocess.run(
        [sys.executable, "-c", f"{imports}; {check}"],  # noqa: S603
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
