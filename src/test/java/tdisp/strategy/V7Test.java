package tdisp.strategy;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import tdisp.platform.Platform;
import tdisp.platform.Platforms;
import tdisp.scenario.Actions;
import tdisp.scenario.ScenarioResult;
import tdisp.scenario.ScenarioRun;
import tdisp.scenario.ScenarioRunner;
import tdisp.scenario.Scenarios;
import tdisp.sim.Event;
import tdisp.world.World;
import tdisp.world.WorldConfig;

/**
 * The v7 strategy (strategies/iommufd-v7.desc) and its three knobs: bind at
 * IOMMU_VDEVICE_ALLOC, the guest's LOCK, the 48-byte request struct.
 */
class V7Test {
    static final StrategyCatalog CATALOG = StrategyCatalog.load(Path.of("strategies"));

    static ScenarioResult run(String strategy, Platform p, String scenario, String... sets) {
        return ScenarioRunner.run(ScenarioRun.builder(CATALOG.get(strategy).withOverrides(List.of(sets)), p, Scenarios.get(scenario)).trace(ScenarioRun.Trace.RECORDED).build());
    }

    static String trace(ScenarioResult r) { return String.join("\n", r.trace()); }

    @Test
    void happyBringupPassesOnEveryPlatformWithTheBindInsideVdeviceAllocAndNoTsmOp() {
        for (Platform p : Platforms.all()) {
            ScenarioResult r = run("iommufd-v7", p, "happy-bringup");
            String t = trace(r);
            assertEquals(ScenarioResult.Verdict.PASS, r.verdict(), p.id() + ": " + r.firstViolation());
            assertEquals("yes", r.secureDma(), p.id());
            int alloc = t.indexOf("iommufd_vdevice_alloc_ioctl(");
            int init = t.indexOf("vdevice_init(vdev) -> tsm_bind(dev0");
            int bind = t.indexOf("pci_tsm_bind(dev0");
            int unlock = t.indexOf("mutex_unlock(igroup->lock)", bind);
            assertTrue(alloc >= 0 && alloc < init && init < bind && bind < unlock, p.id() + "\n" + t);
            assertFalse(t.contains("IOMMU_VDEVICE_TSM_OP"), p.id());
            assertTrue(t.contains("IOMMU_VDEVICE_TSM_REQ(size=48, op=TSM_REQ_SET_TDI_STATE"), p.id());
            // The VMM's object order: the KVM file reaches VFIO before the iommufd bind.
            assertTrue(t.indexOf("KVM_DEV_VFIO_FILE_ADD") < t.indexOf("VFIO_DEVICE_BIND_IOMMUFD"), p.id());
        }
    }

    @Test
    void onCcaTheHostBindOnlyCreatesTheVdevAndTheRealmsSetTdiStateLocks() {
        String t = trace(run("iommufd-v7", Platforms.get("cca"), "happy-bringup"));
        int create = t.indexOf("RMI_VDEV_CREATE");
        int done = t.indexOf("---- setup done ----");
        int lock = t.indexOf("RMI_VDEV_LOCK");
        assertTrue(create >= 0 && create < done && done < lock, t);
        assertTrue(t.lastIndexOf("SET_TDI_STATE(LOCKED) -> rmi_vdev_lock", lock) > t.lastIndexOf("rhi_vdev_set_tdi_state(LOCKED)", lock), t);
        // v5 locks inside the bind the guest's exit asked for.
        String v5 = trace(run("iommufd-v5", Platforms.get("cca"), "happy-bringup"));
        assertTrue(v5.indexOf("IOMMU_VDEVICE_TSM_OP(BIND)") < v5.indexOf("RMI_VDEV_LOCK"), v5);
    }

    @Test
    void vdeviceAllocBindNeedsTheIommufdEntry() {
        StrategyException e = assertThrows(StrategyException.class,
                () -> CATALOG.get("vfio-ioctl").withOverrides(List.of("bind.trigger=vdevice-alloc")));
        assertTrue(e.getMessage().contains("bind.trigger=vdevice-alloc requires bind.entry=iommufd"), e.getMessage());
    }

    /** LOCK_INTERFACE_REQUESTs that reach VM 0's device, and those the device refused. */
    static int[] locks(Strategy s, Platform p) {
        World w = new World(WorldConfig.builder(s, p).build());
        w.sim().trace().setRecording(true);
        w.setup();
        Actions.bringUp(w, 0);
        int sent = 0, refused = 0;
        var tr = w.sim().trace();
        for (Event e : tr.events()) {
            if (!(e instanceof Event.Doe d) || !d.request().startsWith("LOCK_INTERFACE_REQUEST")) continue;
            String who = tr.threadName(d.thread());
            if (!who.endsWith("0")) continue;
            sent++;
            if (!d.result().startsWith("ok")) refused++;
        }
        return new int[] {sent, refused};
    }

    @Test
    void noCombinationOfTheV7KnobsLocksTwice() {
        List<String> bad = new ArrayList<>();
        for (String base : List.of("iommufd-v5", "iommufd-v7", "kvm-direct", "vfio-ioctl")) {
            for (String trigger : BindTrigger.tokens()) {
                for (String lock : BindLock.tokens()) {
                    for (String uapi : GuestRequestUapi.tokens()) {
                        Strategy s;
                        try {
                            s = CATALOG.get(base).withOverrides(List.of("bind.trigger=" + trigger, "bind.lock=" + lock, "guest-request.uapi=" + uapi));
                        } catch (StrategyException e) {
                            continue; // vdevice-alloc without the iommufd entry
                        }
                        for (Platform p : Platforms.all()) {
                            int[] n = locks(s, p);
                            if (n[0] != 1 || n[1] != 0) bad.add(base + " " + s.knobs().describe() + " on " + p.id() + ": " + n[0] + " LOCKs, " + n[1] + " refused");
                        }
                    }
                }
            }
        }
        assertTrue(bad.isEmpty(), String.join("\n", bad));
    }

    @Test
    void eachV7KnobAloneOnV5ChangesTheRoute() {
        Platform cca = Platforms.get("cca");
        String v5 = trace(run("iommufd-v5", cca, "happy-bringup"));
        String trigger = trace(run("iommufd-v5", cca, "happy-bringup", "bind.trigger=vdevice-alloc"));
        String lock = trace(run("iommufd-v5", cca, "happy-bringup", "bind.lock=guest-request"));
        String uapi = trace(run("iommufd-v5", cca, "happy-bringup", "guest-request.uapi=v7"));
        // Trigger alone: the bind (with its LOCK) moves into the VMM's setup; the guest's exit only gets an answer.
        assertTrue(trigger.contains("vdevice_init(vdev) -> tsm_bind") && !trigger.contains("IOMMU_VDEVICE_TSM_OP"), trigger);
        assertTrue(trigger.indexOf("RMI_VDEV_LOCK") < trigger.indexOf("---- setup done ----"), trigger);
        // Lock alone: TSM_OP(BIND) creates, SET_TDI_STATE(LOCKED) follows on the same exit.
        assertTrue(lock.indexOf("IOMMU_VDEVICE_TSM_OP(BIND)") < lock.indexOf("SET_TDI_STATE(LOCKED) -> rmi_vdev_lock"), lock);
        // uAPI alone: the struct and its ops, the bind as in v5.
        assertTrue(uapi.contains("IOMMU_VDEVICE_TSM_OP(BIND)") && uapi.contains("IOMMU_VDEVICE_TSM_REQ(size=48, op=TSM_REQ_REGEN_OBJECT"), uapi);
        assertFalse(v5.contains("size=48") || v5.contains("vdevice_init") || v5.contains("SET_TDI_STATE(LOCKED)"));
    }

    @Test
    void v7RefusesTheSealedMessageOpOnCcaAndPassesItOnSevAndTdxAsANamedAssumption() {
        assertFalse(tdisp.kernel.TsmReqOp.TSM_REQ_TVM_MESSAGE.validForV7(tdisp.kernel.TvmArch.CCA));
        assertTrue(tdisp.kernel.TsmReqOp.TSM_REQ_TVM_MESSAGE.validForV7(tdisp.kernel.TvmArch.SEV));
        assertFalse(tdisp.kernel.TsmReqOp.TSM_REQ_TVM_MESSAGE.validFor(tdisp.kernel.TvmArch.SEV), "not in the typed uAPI of the review");
        assertFalse(tdisp.kernel.TsmReqOp.TSM_REQ_SEV_ENABLE_DMA.validForV7(tdisp.kernel.TvmArch.TDX));
        String t = trace(run("iommufd-v7", Platforms.get("sev-tio"), "happy-bringup"));
        assertTrue(t.contains("op=TSM_REQ_TVM_MESSAGE"), t);
    }
}
