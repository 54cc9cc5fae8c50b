package tdisp.world;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

import tdisp.platform.Platform;
import tdisp.platform.Platforms;
import tdisp.scenario.ScenarioResult;

/** Each knob changes what the model does, seen in the trace, counters or verdict. */
class KnobTest {
    private static final Platform SEV_TIO = Platforms.get("sev-tio");
    private static final Platform TDX_CONNECT = Platforms.get("tdx-connect");


    @Test
    void everyStrategyReachesRunWithSecureDmaOnBothPlatforms() {
        for (String s : Runs.CATALOG.ids()) {
            for (Platform p : Platforms.all()) {
                if (!tdisp.TestStrategies.bringsUp(Runs.CATALOG.get(s), p)) continue;
                ScenarioResult r = Runs.run(s, p, "happy-bringup");
                assertEquals("yes", r.secureDma(), s + "/" + p);
                assertTrue(Runs.trace(r).contains("CONFIG_LOCKED -> RUN"), s + "/" + p);
                assertEquals(ScenarioResult.Verdict.PASS, r.verdict(), s + "/" + p + ": " + r.firstViolation());
                assertEquals("CONFIG_UNLOCKED", r.tdiEndState(), "guest unbound at the end");
            }
        }
    }

    @Test
    void bindEntryPicksTheIoctl() {
        assertTrue(Runs.trace(Runs.run("iommufd-v5", SEV_TIO, "happy-bringup")).contains("IOMMU_VDEVICE_TSM_OP(BIND)"));
        String vfio = Runs.trace(Runs.run("iommufd-v5", SEV_TIO, "happy-bringup", "bind.entry=vfio", "vfio.bound-state=owned"));
        assertTrue(vfio.contains("VFIO_DEVICE_TSM_BIND"));
        assertTrue(vfio.contains("mutex_lock(dev_set->lock)"));
        String kvm = Runs.trace(Runs.run("iommufd-v5", SEV_TIO, "happy-bringup", "bind.entry=kvm"));
        assertFalse(kvm.contains("IOMMU_VDEVICE_TSM_OP"));
        assertTrue(kvm.contains("kvm_arch_tsm_bind"));
    }

    @Test
    void guestRequestEntryKvmRemovesEveryExitToTheVmm() {
        ScenarioResult viaVmm = Runs.run("iommufd-v5", SEV_TIO, "happy-bringup");
        ScenarioResult inKernel = Runs.run("kvm-direct", SEV_TIO, "happy-bringup");
        assertEquals(0, inKernel.counters().userExits() - countConfigExits(inKernel), "only config-space exits reach the VMM");
        assertTrue(viaVmm.counters().userExits() > inKernel.counters().userExits());
        assertEquals(viaVmm.counters().vmExits(), inKernel.counters().vmExits(), "the guest exits the same number of times");
        assertTrue(viaVmm.counters().ioctls() > inKernel.counters().ioctls());
        assertEquals(viaVmm.counters().fwCalls(), inKernel.counters().fwCalls(), "routing does not change firmware work");
    }

    private static long countConfigExits(ScenarioResult r) {
        return r.trace().stream().filter(l -> l.contains("exit to VMM: KVM_EXIT_MMIO")).count();
    }

    @Test
    void perMessageEntriesRouteSdteAndMmioSeparately() {
        String split = Runs.trace(Runs.run("split-sdte-mmio", SEV_TIO, "happy-bringup"));
        int mmio = split.indexOf("TIO_MSG_MMIO_VALIDATE_REQ(validated=1)");
        int sdte = split.indexOf("TIO_MSG_SDTE_WRITE_REQ(V=1)");
        assertTrue(split.indexOf("VFIO_DEVICE_TSM_GUEST_REQUEST", mmio) < sdte, "MMIO validate goes through VFIO");
        assertTrue(split.indexOf("IOMMU_VDEVICE_TSM_REQ", sdte) > sdte, "SDTE write goes through iommufd");
        assertFalse(split.substring(sdte).contains("VFIO_DEVICE_TSM_GUEST_REQUEST\n"), "SDTE write not through VFIO");
    }

    @Test
    void hostEventPolicyDecidesResetWhileBound() {
        ScenarioResult none = Runs.run("iommufd-v5", SEV_TIO, "vfio-reset-bound");
        assertTrue(none.violated().contains("I1"));
        ScenarioResult unbind = Runs.run("iommufd-v5", SEV_TIO, "vfio-reset-bound", "vfio.bound-state=notified", "vfio.on-host-event=unbind-first");
        // Unbind-first trades the ERROR (I1) for pulling the TDI out of RUN under the running guest (I11).
        assertEquals(java.util.List.of("I11"), java.util.List.copyOf(unbind.violated()), unbind.firstViolation());
        assertEquals("CONFIG_UNLOCKED", unbind.tdiEndState());
        ScenarioResult refuse = Runs.run("iommufd-v5", SEV_TIO, "vfio-reset-bound", "vfio.bound-state=notified", "vfio.on-host-event=refuse");
        assertEquals(ScenarioResult.Verdict.PASS, refuse.verdict(), refuse.firstViolation());
        assertEquals("RUN", refuse.tdiEndState(), "refused reset leaves the TDI running");
        assertTrue(Runs.trace(refuse).contains("VFIO_DEVICE_RESET = -EBUSY"));
    }

    @Test
    void configTrapDropsGuestBmeClear() {
        ScenarioResult on = Runs.run("iommufd-v5", SEV_TIO, "guest-clear-bme");
        assertEquals(ScenarioResult.Verdict.PASS, on.verdict(), on.firstViolation());
        assertEquals("yes", on.secureDma());
        ScenarioResult off = Runs.run("iommufd-v5", SEV_TIO, "guest-clear-bme", "vmm.config-trap=off");
        assertTrue(off.violated().contains("I1"));
        assertEquals("ERROR", off.tdiEndState());
        // KVM-direct: the VMM never carried the bind, so its trap has nothing to go on.
        assertTrue(Runs.run("kvm-direct", SEV_TIO, "guest-clear-bme").violated().contains("I1"));
    }

    @Test
    void destroyOrderAndLastCloseOrder() {
        String legacy = Runs.trace(Runs.run("iommufd-v5", TDX_CONNECT, "close-vfio-bound", "iommufd.destroy-order=legacy"));
        assertTrue(legacy.contains("iommufd_vdevice_destroy(dev0)") && legacy.contains("vDEVICE outlives its idevice"));
        String modern = Runs.trace(Runs.run("iommufd-v5", TDX_CONNECT, "close-vfio-bound"));
        assertTrue(modern.indexOf("iommufd_vdevice_abort(dev0)") < modern.indexOf("iommufd_device_destroy") || !modern.contains("iommufd_device_destroy"));
        assertTrue(modern.contains("iommufd_device_pre_destroy -> iommufd_device_remove_vdev"));
        assertFalse(legacy.contains("iommufd_device_remove_vdev"));
        ScenarioResult fixed = Runs.run("iommufd-v5", TDX_CONNECT, "close-vfio-bound", "vfio.last-close=unbind-first");
        assertEquals(java.util.List.of("I11"), java.util.List.copyOf(fixed.violated()), "a close under the running VM is still a yank");
    }

    @Test
    void sameSeedSameTrace() {
        ScenarioResult a = Runs.run("split-sdte-mmio", TDX_CONNECT, "unbind-races-request");
        ScenarioResult b = Runs.run("split-sdte-mmio", TDX_CONNECT, "unbind-races-request");
        assertEquals(a.trace(), b.trace());
        assertEquals(a, b);
    }
}
