"""A private directory left by a SIGKILL (zcprobe.*, zcengine.* in TMPDIR)
is removed by the next run, only where that is provably safe: a real
directory (not a link), ours (same uid, mode 0700), whose owner file
(zc-owner: boot id, pid namespace, pid and start time of its creator)
names a process that is gone. A directory of a live run, another user's, a
link, one without an owner file or from another boot or pid namespace is
left alone."""
import os
import signal
import subprocess
import time

import safetytest as st

st.require_tools()
tmp = st.scratch_dir()
os.chmod(tmp, 0o755)
env = dict(os.environ, TMPDIR=tmp)
with open("/proc/sys/kernel/random/boot_id") as f:
    BOOT = f.read().split()[0]
PIDNS = os.stat("/proc/self/ns/pid").st_ino


def start_time(pid):
    with open(f"/proc/{pid}/stat") as f:
        return f.read().rsplit(")", 1)[1].split()[19]


def entries(prefix):
    return sorted(e for e in os.listdir(tmp) if e.startswith(prefix + "."))


# 1. A real SIGKILL while the engine runs.
p = subprocess.Popen([st.ZCENGINE, "--mode", "sendto", "--count", "100000000", "--time-limit", "30s"],
                     env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)
deadline = time.monotonic() + 15
while time.monotonic() < deadline and not any(
        os.path.exists(os.path.join(tmp, e, "zc-owner")) for e in entries("zcengine")):
    time.sleep(0.05)
os.killpg(p.pid, signal.SIGKILL)
p.wait()
killed = entries("zcengine")
if not killed:
    st.skip(f"zcengine never made its private directory: {p.stderr.read().decode()[-300:]}")
try:
    with open(os.path.join(tmp, killed[0], "zc-owner")) as f:
        owner = f.read().split()
except OSError as e:
    owner = [str(e)]
st.check(owner[:3] == [BOOT, str(PIDNS), str(p.pid)], f"owner file {owner} does not name the run {p.pid}")

# 2. Directories that must stay, and one more that must go.
dead = subprocess.Popen(["sleep", "0.1"])
dead_line = f"{BOOT} {PIDNS} {dead.pid} {start_time(dead.pid)}\n"
dead.wait()
alive_line = f"{BOOT} {PIDNS} {os.getpid()} {start_time(os.getpid())}\n"


def make(name, line, mode=0o700, uid=None):
    path = os.path.join(tmp, name)
    os.mkdir(path, mode)
    os.chmod(path, mode)
    if line is not None:
        with open(os.path.join(path, "zc-owner"), "w") as f:
            f.write(line)
    if uid is not None:
        os.chown(path, uid, uid)
    return path


make("zcprobe.dead01", dead_line)  # must go
keep = {
    "zcprobe.alive1": alive_line,  # its creator (this test) runs
    "zcprobe.nofile": None,  # no record
    "zcprobe.oboot1": dead_line.replace(BOOT, "00000000-0000-0000-0000-000000000000"),
    "zcprobe.opidns": dead_line.replace(f" {PIDNS} ", " 1 "),
    "zcprobe.mode75": dead_line,
}
for name, line in keep.items():
    make(name, line, mode=0o755 if name == "zcprobe.mode75" else 0o700)
target = make("victim", dead_line)
os.symlink(target, os.path.join(tmp, "zcprobe.link01"))
if os.geteuid() == 0:
    make("zcprobe.other1", dead_line, uid=65534)
    keep["zcprobe.other1"] = dead_line

# 3. The next runs clean up.
r = st.run([st.ZCPROBE, "--only", "pipe.*"], env=env)
st.check(r.returncode == 0, f"zcprobe failed: {r.stderr.strip()[-300:]}")
r = st.run([st.ZCENGINE, "--mode", "sendto", "--count", "1000"], env=env)
st.check(r.returncode == 0, f"zcengine failed: {r.stderr.strip()[-300:]}")
left = set(os.listdir(tmp))
st.check(not set(killed) & left, f"the SIGKILLed run's directory {killed} is still there")
st.check("zcprobe.dead01" not in left, "a directory whose creator is gone is still there")
for name in keep:
    st.check(name in left, f"{name} was removed, but it was not provably stale")
st.check("zcprobe.link01" in left and os.path.isdir(target) and os.path.exists(os.path.join(target, "zc-owner")),
         "a link named like a private directory, or what it points to, was removed")
st.finish()
