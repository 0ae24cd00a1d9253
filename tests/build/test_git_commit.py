#!/usr/bin/env python3
"""cmake/git_commit.cmake, the build step behind --version's "(git ...)":
the commit of a git checkout, "-dirty" when tracked files changed, nothing
(--version says "unknown") for a tree without git, even one unpacked inside
another repository; and the generated file is rewritten only when the value
changes, so an unchanged tree rebuilds nothing.

Env: ZC_SOURCE_DIR. Exit 0 pass, 1 fail, 77 skip (no git)."""
import os
import re
import shutil
import subprocess
import sys
import tempfile
from buildtest import check, finish

src = os.environ.get("ZC_SOURCE_DIR", os.path.join(os.path.dirname(__file__), "..", ".."))
script = os.path.join(src, "cmake", "git_commit.cmake")
git = shutil.which("git")
if git is None:
    print("skip: git is not installed")
    sys.exit(77)


def generate(tree, out, git_exe=git):
    subprocess.run(["cmake", f"-DSOURCE_DIR={tree}", f"-DOUTPUT={out}", f"-DGIT_EXECUTABLE={git_exe}", "-P", script],
                   check=True)
    with open(out) as f:
        m = re.search(r'return "([^"]*)";', f.read())
    return m.group(1) if m else None


def run_git(tree, *args):
    env = dict(os.environ, GIT_AUTHOR_NAME="t", GIT_AUTHOR_EMAIL="t@example.org", GIT_COMMITTER_NAME="t",
               GIT_COMMITTER_EMAIL="t@example.org", GIT_CONFIG_GLOBAL="/dev/null", GIT_CONFIG_NOSYSTEM="1")
    return subprocess.run([git, "-C", tree, *args], check=True, env=env, capture_output=True, text=True).stdout.strip()


with tempfile.TemporaryDirectory() as tmp:
    out = os.path.join(tmp, "build_commit.cpp")

    plain = os.path.join(tmp, "tarball")
    os.mkdir(plain)
    check(generate(plain, out) == "", "a tree without git gives an empty commit (unknown)")
    check(generate(plain, out, git_exe="") == "", "no git program gives an empty commit")

    repo = os.path.join(tmp, "repo")
    os.mkdir(repo)
    run_git(repo, "init", "-q")
    with open(os.path.join(repo, "a.txt"), "w") as f:
        f.write("one\n")
    run_git(repo, "add", "a.txt")
    run_git(repo, "commit", "-q", "-m", "one")
    head = run_git(repo, "rev-parse", "--short", "HEAD")
    check(generate(repo, out) == head, f"a clean checkout gives its commit {head}")

    before = os.stat(out).st_mtime_ns
    os.utime(out, ns=(before - 10**9, before - 10**9))
    before = os.stat(out).st_mtime_ns
    generate(repo, out)
    check(os.stat(out).st_mtime_ns == before, "an unchanged commit leaves the generated file untouched")

    with open(os.path.join(repo, "untracked.txt"), "w") as f:
        f.write("x\n")
    check(generate(repo, out) == head, "an untracked file does not make the tree dirty")

    with open(os.path.join(repo, "a.txt"), "w") as f:
        f.write("two\n")
    check(generate(repo, out) == head + "-dirty", "a changed tracked file gives COMMIT-dirty")

    run_git(repo, "commit", "-q", "-am", "two")
    second = run_git(repo, "rev-parse", "--short", "HEAD")
    check(second != head and generate(repo, out) == second, "a new commit shows at the next build")

    inner = os.path.join(repo, "unpacked-tarball")
    os.mkdir(inner)
    check(generate(inner, out) == "", "a tree unpacked inside another repository does not take its commit")

finish()
