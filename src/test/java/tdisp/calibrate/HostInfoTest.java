package tdisp.calibrate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Nested detection from what a made-up machine says under a fake root. */
class HostInfoTest {
    @TempDir Path root;

    private void put(String rel, String text) throws IOException {
        Path p = root.resolve(rel);
        Files.createDirectories(p.getParent());
        Files.writeString(p, text);
    }

    private void cpuinfo(String flags) throws IOException {
        put("proc/cpuinfo", "processor\t: 0\nmodel name\t: AMD EPYC 9755 128-Core Processor\nflags\t\t: " + flags + "\n\nprocessor\t: 1\n");
        put("proc/sys/kernel/osrelease", "6.18.0-test\n");
        put("proc/loadavg", "0.50 0.40 0.30 1/100 42\n");
    }

    @Test
    void aHostWithoutAnyWitnessIsNotNested() throws IOException {
        cpuinfo("fpu vme svm sse2");
        Files.createDirectories(root.resolve("sys/module/kvm_amd"));
        put("sys/class/dmi/id/sys_vendor", "Supermicro\n");
        HostInfo h = HostInfo.detect(root);
        assertFalse(h.nested(), h.nestedEvidence());
        assertEquals("AMD EPYC 9755 128-Core Processor", h.cpuModel());
        assertEquals("6.18.0-test", h.kernel());
        assertEquals("kvm_amd", h.kvmModule());
        assertEquals("0.50 0.40 0.30", h.loadAverage());
    }

    @Test
    void theCpuidHypervisorFlagMakesItNested() throws IOException {
        cpuinfo("fpu vme hypervisor svm");
        HostInfo h = HostInfo.detect(root);
        assertTrue(h.nested());
        assertEquals("cpuinfo hypervisor flag", h.nestedEvidence());
    }

    @Test
    void aVirtualDmiVendorOrXenMakesItNestedEvenWithoutTheFlag() throws IOException {
        cpuinfo("fpu vme svm");
        put("sys/class/dmi/id/sys_vendor", "QEMU\n");
        put("sys/class/dmi/id/product_name", "Standard PC (Q35 + ICH9, 2009)\n");
        put("sys/hypervisor/type", "xen\n");
        HostInfo h = HostInfo.detect(root);
        assertTrue(h.nested());
        assertEquals("/sys/hypervisor/type xen, DMI QEMU Standard PC (Q35 + ICH9, 2009)", h.nestedEvidence());
    }

    @Test
    void theFlagMustBeAWholeWord() throws IOException {
        cpuinfo("fpu hypervisorish svm");
        assertFalse(HostInfo.detect(root).nested());
    }
}
