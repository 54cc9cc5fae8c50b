package tdisp.world;

import static org.junit.jupiter.api.Assertions.*;

import java.util.EnumSet;
import java.util.List;

import org.junit.jupiter.api.Test;

import tdisp.device.TdiState;
import tdisp.device.TlpResult;
import tdisp.platform.Platform;
import tdisp.platform.Platforms;
import tdisp.guest.GuestOp;
import tdisp.scenario.Actions;
import tdisp.scenario.ScenarioResult;

/**
 * Each invariant both holding and, under a deliberately broken knob or fault, failing:
 * a pass in the matrix means something only if the same check can fail.
 */
class InvariantTest {
    private static final Platform SEV_TIO = Platforms.get("sev-tio");
    private static final Platform TDX_CONNECT = Platforms.get("tdx-connect");


    private static void holds(ScenarioResult r, String inv) {
        assertFalse(r.violated().contains(inv), () -> inv + " should hold in " + r.strategy() + "/" + r.platform() + "/" + r.scenario() + ": " + r.firstViolation());
    }

    private static void fails(ScenarioResult r, String inv) {
        assertTrue(r.violated().contains(inv), () -> inv + " should fail in " + r.strategy() + "/" + r.platform() + "/" + r.scenario() + ", got " + r.violated());
    }

    @Test
    void i1_vfioCloseBeforeUnbindPutsTdiInError_unbindFirstDoesNot() {
        for (Platform p : Platforms.all()) {
            // The 6.19 revoke order isolates the disable: with 7.2's order the revoke runs first, and
            // on TDX and CCA the first violation is then the refused unmap (I2) or the yank (I11).
            ScenarioResult merged = Runs.run("iommufd-v5", p, "close-vfio-bound", "vfio.dma-buf-cleanup=after-disable");
            fails(merged, "I1");
            fails(Runs.run("iommufd-v5", p, "close-vfio-bound"), "I1");
            assertTrue(merged.firstViolation().contains("from HOST"), merged.firstViolation());
            holds(Runs.run("iommufd-v5", p, "happy-bringup"), "I1");
        }
        // x86: unbinding first is the whole fix (Arm must unmap before it can unbind: CcaOrderingTest).
        for (Platform p : List.of(SEV_TIO, TDX_CONNECT)) {
            holds(Runs.run("iommufd-v5", p, "close-vfio-bound", "vfio.last-close=unbind-first"), "I1");
        }
    }

    @Test
    void i1_injectedDeviceErrorIsAllowed() {
        ScenarioResult r = Runs.run("vfio-ioctl", SEV_TIO, "device-error-injected");
        holds(r, "I1");
        assertEquals(ScenarioResult.Verdict.PASS, r.verdict(), r.firstViolation());
    }

    @Test
    void i2_tdxRefusesPrivateMmioUnmapWhileBound() {
        ScenarioResult bad = Runs.run("iommufd-v5", TDX_CONNECT, "bar-zap-bound");
        fails(bad, "I2");
        assertTrue(Runs.trace(bad).contains("TDH.MMIO.UNMAP = TDX_DEVIF_TDISP_INVALID_STATE"));
        holds(Runs.run("vfio-ioctl", TDX_CONNECT, "bar-zap-bound"), "I2");
        // AMD has no such firmware rule: the same host bug shows only as I1 there.
        holds(Runs.run("iommufd-v5", SEV_TIO, "bar-zap-bound"), "I2");
    }

    @Test
    void i3_hostAccessBlockedAfterLock_unlessDeviceIgnoresTeeBit() {
        for (Platform p : Platforms.all()) {
            holds(Runs.run("iommufd-v5", p, "host-access-after-lock"), "I3");
            fails(Runs.run("iommufd-v5", p, "host-access-after-lock", EnumSet.of(Fault.DEVICE_IGNORES_TEE_BIT)), "I3");
        }
    }

    @Test
    void i3_secureDmaNeedsValidSecureEntry() {
        for (boolean broken : new boolean[] {false, true}) {
            World w = new World(WorldConfig.builder(Runs.strategy("iommufd-v5"), SEV_TIO).faults(broken ? EnumSet.of(Fault.IOMMU_IGNORES_SECURE_ENTRY) : EnumSet.noneOf(Fault.class)).build());
            w.setup();
            Actions.guest(w, 0, GuestOp.BIND);
            Actions.guest(w, 0, GuestOp.RUN); // RUN, but no SDTE written yet
            assertEquals(TdiState.RUN, w.device(0).tdiState());
            TlpResult r = Actions.deviceSecureDma(w, 0);
            boolean i3 = w.sim().violations().stream().anyMatch(v -> v.invariant().equals("I3"));
            assertEquals(broken, r == TlpResult.COMPLETED);
            assertEquals(broken, i3);
        }
    }

    @Test
    void i4_tamperAndReplayRefused_unlessFirmwareAcceptsReplay() {
        for (Platform p : Platforms.all()) {
            ScenarioResult tamper = Runs.run("iommufd-v5", p, "tamper-guest-request");
            if (!new World(WorldConfig.builder(Runs.strategy("iommufd-v5"), p).build()).guest(0).abi().sealsMessagesForHost()) {
                // Nothing sealed crosses this platform's host: the scenario says so rather than passing.
                assertEquals(ScenarioResult.Verdict.NOT_APPLICABLE, tamper.verdict(), p.id());
                assertEquals(ScenarioResult.Verdict.NOT_APPLICABLE, Runs.run("iommufd-v5", p, "replay-guest-request").verdict(), p.id());
                continue;
            }
            holds(tamper, "I4");
            assertTrue(Runs.trace(tamper).contains("authentication tag mismatch"));
            holds(Runs.run("iommufd-v5", p, "replay-guest-request"), "I4");
            fails(Runs.run("iommufd-v5", p, "replay-guest-request", EnumSet.of(Fault.FW_ACCEPTS_REPLAY)), "I4");
        }
    }

    @Test
    void i4_plaintextOnTheHostIsCaught() {
        fails(Runs.run("kvm-direct", SEV_TIO, "happy-bringup", EnumSet.of(Fault.GUEST_SENDS_PLAINTEXT)), "I4");
    }

    @Test
    void i5_secondVmGetsEbusy_unlessTheCheckIsGone() {
        ScenarioResult ok = Runs.run("kvm-direct", SEV_TIO, "bind-second-vm");
        holds(ok, "I5");
        assertTrue(Runs.trace(ok).contains("pci_tsm_bind = -EBUSY"), "KVM-direct reaches pci_tsm_bind, which must say -EBUSY");
        assertEquals("yes", ok.secureDma(), "the first VM keeps its secure DMA");
        fails(Runs.run("kvm-direct", SEV_TIO, "bind-second-vm", EnumSet.of(Fault.PCI_TSM_NO_BUSY_CHECK)), "I5");
        // Through iommufd the second VMM cannot even open the device's cdev.
        assertTrue(Runs.trace(Runs.run("iommufd-v5", SEV_TIO, "bind-second-vm")).contains("vfio_df_open(dev0) = -EINVAL"));
    }

    @Test
    void i6_hotUnplugUnbinds_theOldTodoLeaksTheFirmwareTdi() {
        // x86: unbind needs nothing unmapped first (Arm's unmap-before-unlock: CcaRmmTest).
        for (Platform p : List.of(SEV_TIO, TDX_CONNECT)) {
            if (p == SEV_TIO) holds(Runs.run("kvm-direct", p, "hot-unplug-bound"), "I6");
            fails(Runs.run("kvm-direct", p, "hot-unplug-bound", EnumSet.of(Fault.PCI_TSM_FN_EXIT_NO_UNBIND)), "I6");
            holds(Runs.run("iommufd-v5", p, "teardown/vdevice-vfio-iommufd-kvm"), "I6");
        }
        // TDX: VFIO's release revoked the dma-buf while the TDI was bound (TDH.MMIO.UNMAP
        // refused, the entry stays BLOCKED) and unlinked it; the later unbind notifies nobody,
        // so TDH.DEVIF.REMOVE meets mapped MMIO and the DEVIF leaks (issue 22, point 1).
        ScenarioResult tdx = Runs.run("kvm-direct", TDX_CONNECT, "hot-unplug-bound");
        fails(tdx, "I6");
        assertTrue(Runs.trace(tdx).contains("TDH.DEVIF.REMOVE = TDX_DEVIF_HAS_MAPPED_MMIO"), Runs.trace(tdx));
    }

    @Test
    void i7_vmFreedUnderABoundTdiWhenTheVIommuHoldsNoReference() {
        // Pre-6.17 order: the vDEVICE (and the binding) outlives VFIO's close, which drops
        // VFIO's kvm reference; only the vIOMMU's reference keeps the VM alive.
        for (Platform p : Platforms.all()) {
            holds(Runs.run("iommufd-rfc-v2", p, "teardown/kvm-vfio-iommufd-vdevice"), "I7");
            fails(Runs.run("iommufd-rfc-v2", p, "teardown/kvm-vfio-iommufd-vdevice", EnumSet.of(Fault.VIOMMU_NO_KVM_REF)), "I7");
        }
        // Pre-6.17 the vDEVICE held the struct device, not the idevice: no use after free,
        // only an unbind after VFIO let the device go.
        ScenarioResult legacy = Runs.run("iommufd-rfc-v2", SEV_TIO, "close-vfio-bound");
        holds(legacy, "I7");
        assertTrue(Runs.trace(legacy).contains("vDEVICE outlives its idevice"));
    }

    @Test
    void i8_i9_vfioGuestRequestUnderMemoryLockDeadlocksAgainstTdxUnbind() {
        // memory_lock(R) -> pci_tsm_pf0::lock on the request, pf0 -> memory_lock(W) in TDX unbind.
        ScenarioResult r = Runs.run("iommufd-v5", TDX_CONNECT, "unbind-races-request", "guest-request.entry=vfio");
        fails(r, "I8");
        fails(r, "I9");
        ScenarioResult fine = Runs.run("iommufd-v5", TDX_CONNECT, "unbind-races-request");
        holds(fine, "I8");
        holds(fine, "I9");
    }

    @Test
    void i10_staleFirmwareAnswerIsCaught() {
        holds(Runs.run("iommufd-v5", SEV_TIO, "device-error-injected"), "I10");
        fails(Runs.run("iommufd-v5", SEV_TIO, "device-error-injected", EnumSet.of(Fault.FW_STALE_TDI_INFO)), "I10");
    }
}
