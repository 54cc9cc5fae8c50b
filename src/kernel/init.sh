#!/bin/busybox sh
# /init of the recorder's initramfs (busybox sh). Binds the emulated
# functions to vfio-pci, sets up function_graph ftrace on the filter
# list, runs tdisp-drv for the scenario named on the kernel command
# line (tdisp.scenario=ID), then prints the trace between markers on
# the serial console for src/kernel/qemu-run.py and powers off.
/bin/busybox --install -s /bin
export PATH=/bin
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev 2>/dev/null
mount -t tracefs tracefs /sys/kernel/tracing
T=/sys/kernel/tracing
scen=$(sed -n 's/.*tdisp\.scenario=\([^ ]*\).*/\1/p' /proc/cmdline)
fail() { echo "TDISP-FAIL: $*"; echo "TDISP-END"; poweroff -f; }

# BDF of the first function with this vendor:device.
find_dev() {
  for d in /sys/bus/pci/devices/*; do
    [ "$(cat $d/vendor):$(cat $d/device)" = "$1" ] && { basename $d; return; }
  done
}
bind_vfio() {
  d=/sys/bus/pci/devices/$1
  [ -e $d/driver ] && [ "$(basename $(readlink $d/driver))" != vfio-pci ] &&
    echo $1 > $d/driver/unbind
  echo vfio-pci > $d/driver_override
  [ -e $d/driver ] || echo $1 > /sys/bus/pci/drivers_probe
  [ -d $d/vfio-dev ] || fail "$1 did not bind to vfio-pci"
}

# virtio-rng (modern, 1af4:1044): FLR, PM and AER (aer=on) in QEMU 7.2.
dev=$(find_dev 0x1af4:0x1044)
# nvme (1b36:0010): the SR-IOV PF.
pf=$(find_dev 0x1b36:0x0010)
[ -n "$dev" ] || fail "no virtio-rng function"
bind_vfio $dev
args="$dev"
if [ "$scen" = sriov-vf-reset-via-pf ]; then
  [ -n "$pf" ] || fail "no nvme PF"
  bind_vfio $pf
  echo 1 > /sys/bus/pci/devices/$pf/sriov_numvfs || fail "sriov_numvfs"
  vf=$(basename $(readlink /sys/bus/pci/devices/$pf/virtfn0))
  bind_vfio $vf
  args="$vf $pf"
fi
for f in $dev $pf $vf; do
  echo "TDISP-DEV: $f $(cat /sys/bus/pci/devices/$f/vendor):$(cat /sys/bus/pci/devices/$f/device) reset_method=$(cat /sys/bus/pci/devices/$f/reset_method 2>/dev/null)"
done

echo 0 > $T/tracing_on
echo 16384 > $T/buffer_size_kb
while read f; do echo "$f" >> $T/set_ftrace_filter 2>/dev/null; done < /filter.txt
grep -q . $T/set_ftrace_filter || fail "no filter name was accepted by ftrace"
echo function_graph > $T/current_tracer
for o in funcgraph-proc funcgraph-tail; do echo 1 > $T/options/$o; done
# no calls from hard interrupt context: they would nest under
# whatever task they interrupted
for o in funcgraph-duration funcgraph-overhead funcgraph-irqs; do echo 0 > $T/options/$o 2>/dev/null; done
echo "TDISP-FILTER-BEGIN"; cat $T/set_ftrace_filter; echo "TDISP-FILTER-END"
echo > $T/trace
echo 1 > $T/tracing_on
/tdisp-drv $scen $args; rc=$?
echo 0 > $T/tracing_on
echo "TDISP-RC: $rc"
echo 1 > /proc/sys/kernel/printk
echo "TDISP-TRACE-BEGIN"; cat $T/trace; echo "TDISP-TRACE-END"
echo "TDISP-CMDLINES-BEGIN"; cat $T/saved_cmdlines; echo "TDISP-CMDLINES-END"
echo "TDISP-DMESG-BEGIN"; dmesg; echo "TDISP-DMESG-END"
echo "TDISP-END"
poweroff -f
