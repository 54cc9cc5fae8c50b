package tdisp.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static tdisp.cli.Cli.STRATEGIES;

import java.util.List;

import org.junit.jupiter.api.Test;

/** {@code tdisp trace}: the step-by-step run in kernel names. */
class CliTraceTest {

    private static Cli.Result trace(String strategy) {
        return Cli.run("trace", "--strategies-dir", STRATEGIES, "--strategy", strategy,
                "--platform", "sev-tio", "--scenario", "happy-bringup");
    }

    /** Index of the first line at or after {@code from} containing {@code needle}; fails if none. */
    private static int find(List<String> lines, int from, String needle) {
        for (int i = from; i < lines.size(); i++) if (lines.get(i).contains(needle)) return i;
        throw new AssertionError("'" + needle + "' not found after line " + from + " of trace:\n" + String.join("\n", lines));
    }

    @Test
    void iommufdV5BindAndGuestRequestsAppearInKernelOrder() {
        Cli.Result r = trace("iommufd-v5");
        assertEquals(0, r.code(), r.err());
        assertEquals("", r.err());
        List<String> lines = r.outLines();
        int at = 0;
        for (String step : List.of("IOMMU_VDEVICE_TSM_OP(BIND)", "pci_tsm_bind", "mutex_lock(pci_tsm_pf0::lock)",
                "TIO_TDI_BIND", "IOMMU_VDEVICE_TSM_REQ", "TIO_GUEST_REQUEST(TIO_MSG_SDTE_WRITE_REQ)")) {
            at = find(lines, at, step) + 1;
        }
        // On SEV-TIO the guest asks for RUN before MMIO validate / SDTE write (Actions.bringUp),
        // so the CONFIG_LOCKED -> RUN transition comes after the bind, not after SDTE_WRITE.
        int bind = find(lines, 0, "TIO_TDI_BIND");
        int run = find(lines, bind, "CONFIG_LOCKED -> RUN");
        assertTrue(lines.get(run).contains("TDI"), "state change line: " + lines.get(run));
        int verdict = find(lines, Math.max(at, run), "# verdict pass");
        assertEquals(lines.size() - 1, verdict, "the verdict is the last line");
    }

    @Test
    void kvmDirectHandlesBindInKernelWithoutIommufd() {
        Cli.Result r = trace("kvm-direct");
        assertEquals(0, r.code(), r.err());
        assertFalse(r.out().contains("IOMMU_VDEVICE_TSM"), "kvm-direct must not go through iommufd:\n" + r.out());
        assertTrue(r.out().contains("kvm_arch_tsm_bind"), r.out());
        List<String> lines = r.outLines();
        int request = find(lines, 0, "SEV_TIO_OP(BIND)");
        int tsm = find(lines, request, "pci_tsm_bind");
        assertTrue(find(lines, request, "kvm_arch_tsm_bind") < tsm, "kvm_arch_tsm_bind calls pci_tsm_bind");
        for (int i = request; i < tsm; i++) {
            assertFalse(lines.get(i).contains("exit to VMM"), "KVM handles BIND in-kernel, but: " + lines.get(i));
        }
        assertTrue(lines.get(lines.size() - 1).startsWith("# verdict pass"), lines.get(lines.size() - 1));
    }
}
