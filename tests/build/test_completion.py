#!/usr/bin/env python3
"""The hand-written bash completion (apps/<tool>/completion.bash) offers
exactly the options each tool's --help lists (zcreport: its commands, and
each command's options from `zcreport COMMAND --help`), and its function
completes in bash (bash-completion's helpers stubbed: the test host need not
have that package).

Env: ZCPROBE, ZCENGINE, ZCREPORT, ZC_SOURCE_DIR. Exit 0 pass, 1 fail."""
import os
import re
import subprocess
from buildtest import check, finish, help_options

src = os.environ["ZC_SOURCE_DIR"]
tools = {name: os.environ[name.upper()] for name in ("zcprobe", "zcengine", "zcreport")}


def help_text(*argv):
    return subprocess.run(list(argv) + ["--help"], check=True, capture_output=True, text=True).stdout


def help_commands(text):
    part = text.split("\nSubcommands:\n", 1)[1] if "\nSubcommands:\n" in text else ""
    return {m.group(1) for m in re.finditer(r"^  (\w+)\s", part, re.M)}


def completion(tool):
    with open(os.path.join(src, "apps", tool, "completion.bash")) as f:
        return f.read()


for tool in ("zcprobe", "zcengine"):
    m = re.search(r"local opts='([^']*)'", completion(tool))
    check(m is not None and set(m.group(1).split()) == help_options(help_text(tools[tool])),
          f"{tool}: the completion's options are --help's "
          f"(completion only: {sorted(set(m.group(1).split()) - help_options(help_text(tools[tool]))) if m else '?'}; "
          f"--help only: {sorted(help_options(help_text(tools[tool])) - set(m.group(1).split())) if m else '?'})")

text = completion("zcreport")
table = dict(re.findall(r"\[([\w.]+)\]='([^']*)'", text))
top = help_text(tools["zcreport"])
commands = help_commands(top)
check(commands == {"validate", "render", "matrix", "diff", "fleet"} and set(table) == commands | {"."},
      f"zcreport: the completion's commands are --help's ({sorted(commands)})")
m = re.search(r"compgen -W '([^']*)' -- \"\$cur\"\)\)\n    elif", text)
check(m is not None and set(m.group(1).split()) == commands, "zcreport: the command words offered are the commands")
check(set(table.get(".", "").split()) == help_options(top), "zcreport: top-level options are --help's")
for command in sorted(commands):
    want = help_options(help_text(tools["zcreport"], command))
    got = set(table.get(command, "").split())
    check(got == want, f"zcreport {command}: options are its --help's (completion only: {sorted(got - want)}; "
                       f"--help only: {sorted(want - got)})")

# The functions themselves, with bash-completion's helpers stubbed.
stubs = r'''
_init_completion() { words=("${COMP_WORDS[@]}"); cword=$COMP_CWORD; cur=${COMP_WORDS[COMP_CWORD]}; prev=${COMP_WORDS[COMP_CWORD-1]}; }
_filedir() { COMPREPLY=(FILES); }
compopt() { :; }
'''
cases = [
    ("zcprobe", ["zcprobe", "--fo"], {"--format"}),
    ("zcprobe", ["zcprobe", "--format", "ma"], {"markdown"}),
    ("zcprobe", ["zcprobe", "--only", "pipe.vmsplice,pipe.vmsplice_g"], {"pipe.vmsplice,pipe.vmsplice_gift"}),
    ("zcengine", ["zcengine", "--modes", "page,pac"], {"page,packed"}),
    ("zcprobe", ["zcprobe", "--color", ""], {"auto", "always", "never"}),
    ("zcprobe", ["zcprobe", "-"], help_options(help_text(tools["zcprobe"]))),
    ("zcengine", ["zcengine", "--q"], {"--quiet"}),
    ("zcengine", ["zcengine", "--reuse", ""], {"safe", "eager"}),
    ("zcreport", ["zcreport", "matrix", "--color", "al"], {"always"}),
    ("zcreport", ["zcreport", "m"], {"matrix"}),
    ("zcreport", ["zcreport", "diff", "--f"], {"--format"}),
    ("zcreport", ["zcreport", "render", "--format", "j"], {"junit", "json"}),
    ("zcreport", ["zcreport", "validate", "x"], {"FILES"}),
]
for tool, words, want in cases:
    path = os.path.join(src, "apps", tool, "completion.bash")
    script = (stubs + f"source '{path}'\n" + "COMP_WORDS=(" + " ".join(f"'{w}'" for w in words) + ")\n" +
              f"COMP_CWORD={len(words) - 1}\n_{tool}\nprintf '%s\\n' \"${{COMPREPLY[@]}}\"\n")
    env = dict(os.environ, PATH=os.path.dirname(os.path.abspath(tools[tool])) + ":" + os.environ.get("PATH", ""))
    r = subprocess.run(["bash", "-c", script], capture_output=True, text=True, env=env)
    got = set(r.stdout.split())
    check(r.returncode == 0 and got == want, f"{' '.join(words)!r} completes to {sorted(want)} (got {sorted(got)})")

finish()
