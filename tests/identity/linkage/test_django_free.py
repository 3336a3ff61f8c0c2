"""The engine and its commands run where Django is not set up (nor even imported)."""

import subprocess
import sys


def test_the_linkage_engine_and_commands_import_no_django():
    check = (
        "import sys, powerbase.identity.linkage, powerbase.identity.linkage.synthetic, "
        "powerbase.identity.linkage.explain, powerbase.cli.linkage; "
        "loaded = [m for m in sys.modules if m == 'django' or m.startswith('django.')]; "
        "print(loaded); sys.exit(1 if loaded else 0)"
    )
    completed = subprocess.run(
        [sys.executable, "-c", check],  # noqa: S603 - our own code
        capture_output=True,
        text=True,
        check=False,
        env={"PATH": "/usr/bin:/bin"},
    )
    assert completed.returncode == 0, completed.stdout + completed.stderr
