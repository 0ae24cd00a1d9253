#!/bin/busybox sh
# /init of the kernel-matrix initramfs (busybox sh, as PID 1 under QEMU or
# UML). Loads the modules the host listed, runs the static zcprobe (and
# zcengine when present), and sends every result file over a dedicated serial
# line in raw mode, framed with its size and SHA-256 so the host can prove it
# arrived byte-exact. The console is left to the kernel: its messages and
# SeaBIOS's output would corrupt anything sent there.
#
# Kernel command line words read here (from /proc/cmdline, because words
# with a dot never reach init's argv or environment):
#   zcm.chan=/dev/ttyS1     the results line
#   zcm.name=LABEL          the hostname, so the report names the kernel
#   zcm.timeout=10s         zcprobe's per-probe time limit
#   zcm.engine=0|1          run zcengine's short verification too
#   zcm.jobs=N              zcprobe --jobs N (default: zcprobe's own)

/bin/busybox mkdir -p /bin /sbin /usr/bin /usr/sbin /proc /sys /dev /tmp /run
/bin/busybox --install -s
export PATH=/bin:/sbin:/usr/bin:/usr/sbin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev 2>/dev/null
mount -t tmpfs tmpfs /tmp

chan=/dev/ttyS1
name=guest
timeout=10s
engine=1
jobs=
for word in $(cat /proc/cmdline); do
  case "$word" in
    zcm.chan=*) chan=${word#zcm.chan=} ;;
    zcm.name=*) name=${word#zcm.name=} ;;
    zcm.timeout=*) timeout=${word#zcm.timeout=} ;;
    zcm.engine=*) engine=${word#zcm.engine=} ;;
    zcm.jobs=*) jobs=${word#zcm.jobs=} ;;
  esac
done
hostname "$name"

out=/tmp/out
mkdir -p $out
log=$out/guest.log
{
  echo "uname: $(uname -a)"
  echo "uid: $(id -u)"
  echo "cmdline: $(cat /proc/cmdline)"
} >$log

# Modules the host resolved (dependencies first); a failure is logged and
# the probes that needed the module report it themselves.
if [ -f /modules/order ]; then
  while read -r ko; do
    [ -n "$ko" ] || continue
    if msg=$(insmod "/modules/$ko" 2>&1); then
      echo "insmod $ko: ok" >>$log
    else
      echo "insmod $ko: failed: $msg" >>$log
    fi
  done </modules/order
fi

net_drops() { # backlog drops summed over CPUs (hex column 2 of softnet_stat)
  sum=0
  while read -r _processed dropped _rest; do
    sum=$((sum + 0x$dropped))
  done </proc/net/softnet_stat
  echo "softnet_dropped=$sum"
}

# The virtio-net NIC QEMU gives the guest (its backend goes nowhere): up,
# and named to zcprobe for the zero-copy bind probe. UML has none.
xdp_dev=
for d in /sys/class/net/*; do
  drv=$(readlink "$d/device/driver" 2>/dev/null)
  if [ "${drv##*/}" = virtio_net ]; then
    xdp_dev=${d##*/}
    break
  fi
done
set --
if [ -n "$xdp_dev" ]; then
  if ip link set "$xdp_dev" up 2>>$log; then
    set -- --xdp-device "$xdp_dev"
    echo "xdp device: $xdp_dev (virtio_net), up" >>$log
  else
    echo "xdp device: ip link set $xdp_dev up failed" >>$log
  fi
else
  echo "xdp device: none (no virtio_net link)" >>$log
fi

# Nothing can be loaded on demand here (no /lib/modules in the initramfs):
# tell the kernel, so zcprobe's module gate reads it from kernel.modprobe
# (empty: request_module() calls nothing) instead of assuming it may load.
echo >/proc/sys/kernel/modprobe 2>>$log
echo "kernel.modprobe: '$(cat /proc/sys/kernel/modprobe)'" >>$log

start=$(cat /proc/uptime)
/zcprobe --timeout "$timeout" ${jobs:+--jobs "$jobs"} "$@" -o $out/probe.json >$out/probe.txt 2>$out/probe.err
echo "zcprobe exit: $? (uptime ${start%% *} -> $(cut -d' ' -f1 /proc/uptime))" >>$log

if [ "$engine" = 1 ] && [ -x /zcengine ]; then
  # A short verification, not a benchmark: TCG speed says nothing about the
  # kernel. Arguments come from the host (engine-args in the initramfs).
  set -- $(cat /engine-args 2>/dev/null)
  drops_before=$(net_drops)
  /zcengine "$@" -o $out/engine.json >$out/engine.txt 2>$out/engine.err
  echo "zcengine exit: $? (args: $*)" >>$log
  # Where a lost packet can go uncounted by the socket and SNMP: the
  # per-CPU backlog (softnet_stat column 2, global, unlike the engine's
  # private netns's lo).
  echo "net drops before zcengine: $drops_before; after: $(net_drops)" >>$log
else
  echo "zcengine: not run (no /zcengine in the initramfs or zcm.engine=0)" >>$log
fi
dmesg >$out/dmesg.txt 2>&1

send() { # send NAME FILE
  [ -f "$2" ] || return 0
  size=$(wc -c <"$2")
  sum=$(sha256sum "$2")
  printf '\nZCMATRIX-FILE %s %s %s\n' "$1" "$size" "${sum%% *}" >&3
  cat "$2" >&3
  printf '\nZCMATRIX-END\n' >&3
}

if exec 3>"$chan"; then
  # raw: no \n -> \r\n, no echo, 8 bits clean.
  stty raw -echo <&3 2>>$log || echo "stty raw on $chan failed" >>$log
  for f in probe.json probe.txt probe.err engine.json engine.txt engine.err dmesg.txt; do
    send "$f" "$out/$f"
  done
  send guest.log $log
  printf '\nZCMATRIX-DONE\n' >&3
  # Closing a serial line waits until its transmitter has drained.
  exec 3>&-
else
  echo "zcmatrix: cannot open $chan" >/dev/console
fi
sync
poweroff -f
# UML and some machines return from poweroff -f only to panic; make it quick.
echo o >/proc/sysrq-trigger 2>/dev/null
sleep 5
