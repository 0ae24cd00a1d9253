"""What the build tests share: a check that prints ok/FAIL and remembers
failures, the exit that reports them, and the option names of a CLI11
--help text."""
import re
import sys

failures = []


def check(ok, what):
    print(("ok: " if ok else "FAIL: ") + what)
    if not ok:
        failures.append(what)


def finish():
    """Exit 1 when a check failed, else 0."""
    sys.exit(1 if failures else 0)


def help_options(text):
    """Option names of CLI11's help: '  -o,--output FILE   ...' -> {-o, --output}."""
    names = set()
    for line in text.splitlines():
        m = re.match(r"^\s+(-[\w-]+(?:,--?[\w-]+)*)(?:\s|$)", line)
        if m:
            names.update(m.group(1).split(","))
    return names
