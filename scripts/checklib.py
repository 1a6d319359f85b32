"""Pieces shared by the check_*.py scripts that `make test` runs."""
import os
import shutil
import subprocess
import sys


class Checks:
    """The failed checks of one script, each printed to standard error as it happens."""

    def __init__(self, script: str) -> None:
        self.script = script
        self.failures: list[str] = []

    def check(self, condition: bool, message: str) -> bool:
        if not condition:
            self.failures.append(message)
            print(f"{self.script}: FAIL: {message}", file=sys.stderr)
        return condition


def ensure_apt_command(script: str, command: str, package: str, what: str, *, strict: bool, missing: str) -> str:
    """The path of `command`, installed from Debian's `package` (as root, or with sudo) when missing.

    `strict` makes a failing apt-get an error at once; otherwise the script goes on and exits
    with `missing` when the command is still absent."""
    found = shutil.which(command)
    if found:
        return found
    print(f"{script}: installing {what}", file=sys.stderr)
    sudo = [] if os.geteuid() == 0 else ["sudo"]
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    subprocess.run(sudo + ["apt-get", "update", "-qq"], check=strict, env=env)
    subprocess.run(sudo + ["apt-get", "install", "-y", "-qq", package], check=strict, env=env, stdout=subprocess.DEVNULL)
    found = shutil.which(command)
    if not found:
        sys.exit(f"{script}: {missing}")
    return found
