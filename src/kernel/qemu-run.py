#!/usr/bin/env python3
"""Boot one scenario of src/kernel/record under QEMU and keep its log.

  qemu-run.py BZIMAGE INITRAMFS SCENARIO LOG [TIMEOUT]

Reads the guest's serial console; a line "TDISP-HOST: <command>" from
the guest driver is typed into the QEMU monitor (AER injection,
hot-unplug), because only the host side of QEMU can do those. The whole
console goes to LOG; the recorder cuts the trace out of it. Exit 0 when
the guest printed TDISP-END, 1 otherwise. Progress on stderr.
"""
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time


def machine(bzimage, initramfs, scenario, mon):
    # TCG: on these machines nested KVM does not boot Linux, and ftrace
    # records call order, not timing. q35 with an emulated VT-d
    # (caching mode: the guest's vfio-pci maps through it), native PCIe
    # hot-plug and AER (ACPI hot-plug off, pcie_ports=native).
    return [
        "qemu-system-x86_64", "-accel", "tcg,thread=multi", "-cpu", "max",
        "-machine", "q35,kernel-irqchip=split", "-m", "1G", "-smp", "2",
        "-global", "ICH9-LPC.acpi-pci-hotplug-with-bridge-support=off",
        "-device", "intel-iommu,intremap=on,caching-mode=on",
        "-device", "pcie-root-port,id=rp1,slot=1,chassis=1",
        "-device", "virtio-rng-pci,bus=rp1,id=dev0,aer=on,disable-legacy=on",
        "-device", "pcie-root-port,id=rp2,slot=2,chassis=2",
        "-device", "nvme-subsys,id=subsys0,nqn=tdisp0",
        "-device", "nvme,bus=rp2,id=pf0,serial=pf0,subsys=subsys0,"
                   "sriov_max_vfs=2,sriov_vq_flexible=4,sriov_vi_flexible=2",
        "-kernel", bzimage, "-initrd", initramfs,
        "-append", "console=ttyS0 intel_iommu=on pcie_ports=native "
                   "vfio_pci.enable_sriov=1 pci=realloc panic=-1 "
                   "tdisp.scenario=" + scenario,
        "-display", "none", "-serial", "stdio", "-no-reboot",
        "-monitor", "unix:" + mon + ",server=on,wait=off",
    ]


def monitor(path, command):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.connect(path)
    s.settimeout(2)
    try:
        s.recv(4096)  # the banner
    except socket.timeout:
        pass
    s.sendall(command.encode() + b"\n")
    time.sleep(0.5)
    try:
        reply = s.recv(4096).decode(errors="replace")
    except socket.timeout:
        reply = ""
    s.close()
    return reply


def main():
    bzimage, initramfs, scenario, log = sys.argv[1:5]
    timeout = float(sys.argv[5]) if len(sys.argv) > 5 else 900
    mon = os.path.join(tempfile.mkdtemp(prefix="tdisp-mon-"), "mon")
    p = subprocess.Popen(machine(bzimage, initramfs, scenario, mon),
                         stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                         stderr=subprocess.STDOUT)
    # A guest that hangs without a word is killed at the timeout.
    timer = threading.Timer(timeout, p.kill)
    timer.start()
    ok = False
    with open(log, "w") as out:
        for raw in p.stdout:
            line = raw.decode(errors="replace").rstrip("\r\n")
            out.write(line + "\n")
            if line.startswith("TDISP-HOST: "):
                cmd = line[len("TDISP-HOST: "):]
                sys.stderr.write("record:   monitor: %s\n" % cmd)
                reply = monitor(mon, cmd)
                out.write("TDISP-MONITOR: %s -> %s\n" % (cmd, reply.strip().replace("\n", " | ")))
            elif line.startswith("TDISP-FAIL") or line.startswith("TDISP-RC"):
                sys.stderr.write("record:   guest: %s\n" % line)
            elif line == "TDISP-END":
                ok = True
    timer.cancel()
    if not ok:
        sys.stderr.write("record:   no TDISP-END (timeout %d s?)\n" % timeout)
    if p.poll() is None:
        p.kill()
    p.wait()
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
