package tdisp.world;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import tdisp.platform.Platforms;
import tdisp.scenario.ScenarioResult;
import tdisp.scenario.ScenarioRun;
import tdisp.scenario.ScenarioRunner;
import tdisp.scenario.Scenarios;
import tdisp.strategy.StrategyCatalog;

/**
 * The faults seen in the v7 bring-ups (issue 21, point 4) and the TDCM timeout: each one
 * changes the result of a scenario against the run without it.
 */
class V7FaultsTest {
    static final StrategyCatalog CATALOG = StrategyCatalog.load(Path.of("strategies"));

    static ScenarioResult run(String strategy, String platform, String scenario, Set<Fault> faults) {
        return ScenarioRunner.run(ScenarioRun.builder(CATALOG.get(strategy), Platforms.get(platform), Scenarios.get(scenario)).trace(ScenarioRun.Trace.RECORDED).faults(faults).build());
    }

    static ScenarioResult clean(String strategy, String platform, String scenario) {
        return run(strategy, platform, scenario, EnumSet.noneOf(Fault.class));
    }

    static String trace(ScenarioResult r) { return String.join("\n", r.trace()); }

    static String outcome(ScenarioResult r) {
        return r.verdict() + " " + r.violated() + " " + r.tdiEndState() + " dma=" + r.secureDma();
    }

    @Test
    void aBusyVdeviceDestroyLeavesTheBindingToVfiosCloseWhichThenResetsALockedTdi() {
        String sc = "teardown/vdevice-vfio-iommufd-kvm";
        for (String p : List.of("sev-tio", "tdx-connect", "cca")) {
            ScenarioResult ok = clean("iommufd-v7", p, sc);
            ScenarioResult busy = run("iommufd-v7", p, sc, EnumSet.of(Fault.IOMMUFD_DESTROY_EBUSY));
            assertTrue(trace(busy).contains("iommufd_object_remove = -EBUSY"), p);
            assertNotEquals(outcome(ok), outcome(busy), p + ": " + outcome(ok));
        }
    }

    @Test
    void aFailedCopyBackAfterTheLockLeavesTheGuestWithAnErrorForALockThatHappened() {
        ScenarioResult ok = clean("iommufd-v7", "cca", "happy-bringup");
        ScenarioResult efault = run("iommufd-v7", "cca", "happy-bringup", EnumSet.of(Fault.TSM_REQ_COPYBACK_EFAULT));
        String t = trace(efault);
        int lock = t.indexOf("fw RMI_VDEV_LOCK = RMI_SUCCESS");
        int err = t.indexOf("iommufd_vdevice_tsm_req_ioctl = -EFAULT");
        assertTrue(lock >= 0 && lock < err, t);
        assertNotEquals(outcome(ok), outcome(efault));
    }

    @Test
    void aCcaAcceptThatIgnoresAFailedDmaEnableLeavesTheDevicesSecureDmaBlocked() {
        for (String s : List.of("iommufd-v7", "iommufd-v5")) {
            ScenarioResult ok = clean(s, "cca", "happy-bringup");
            ScenarioResult bad = run(s, "cca", "happy-bringup", EnumSet.of(Fault.CCA_ACCEPT_IGNORES_DMA_FAILURE));
            assertEquals("yes", ok.secureDma(), s);
            assertEquals("no", bad.secureDma(), s);
            assertTrue(trace(bad).contains("cca_device_accept ignores RSI_ERROR_DEVICE and returns 0"), s);
        }
    }

    @Test
    void aTdcmRequestTheVmmNeverCompletesTimesOutAfterTenSecondsOfModeledTime() {
        ScenarioResult ok = clean("iommufd-v7", "tdx-connect", "happy-bringup");
        ScenarioResult late = run("iommufd-v7", "tdx-connect", "happy-bringup", EnumSet.of(Fault.TDCM_TIMEOUT));
        assertTrue(trace(late).contains("-ETIMEDOUT"), trace(late));
        assertNotEquals(outcome(ok), outcome(late));
        assertTrue(late.counters().modeledNs() >= 10_000_000_000L, "10 s of polls: " + late.counters().modeledNs());
    }

    @Test
    void everyTdxTdcmRequestWaitsAtLeastOnePollInTheTraceAndInModeledTime() {
        for (String s : List.of("iommufd-v5", "iommufd-v7", "kvm-direct")) {
            ScenarioResult r = clean(s, "tdx-connect", "happy-bringup");
            String t = trace(r);
            // lock: CHECK_TEEIO_SUPP, BIND, GET_TDI_REPORT; run: START_TDI; unlock: UNBIND.
            assertEquals(1, t.lines().filter(l -> l.contains("fw TDCM_STATUS_WAIT(polls=3) = TDCM_STATUS_COMPLETED")).count(), s + "\n" + t);
            assertEquals(2, t.lines().filter(l -> l.contains("fw TDCM_STATUS_WAIT(polls=1) = TDCM_STATUS_COMPLETED")).count(), s + "\n" + t);
            assertTrue(r.counters().modeledNs() >= 5 * 10_000_000L, s);
        }
    }

    @Test
    void aCcaHostThatCommitsLockedBeforeTheExchangeFailsTheLockYetTheVdevReadsLocked() {
        for (String s : List.of("iommufd-v7", "iommufd-v5")) {
            ScenarioResult ok = clean(s, "cca", "happy-bringup");
            ScenarioResult bad = run(s, "cca", "happy-bringup", EnumSet.of(Fault.CCA_COMMIT_BEFORE_EXCHANGE));
            String t = trace(bad);
            int commit = t.indexOf("VDEV UNLOCKED->LOCKED committed before the device exchange");
            int err = t.indexOf("fw RMI_VDEV_LOCK = RMI_ERROR_DEVICE");
            assertTrue(commit >= 0 && commit < err, s + "\n" + t);
            assertNotEquals(outcome(ok), outcome(bad), s);
        }
    }

    /**
     * The STARTED half: RMI_VDEV_START commits STARTED, the START exchange fails. The realm's
     * next RSI_VDEV_GET_INFO is told RUN while the device is CONFIG_LOCKED (I10), and the DMA
     * enable the RMM allows on a STARTED VDEV reaches a device that drops T=1 traffic.
     */
    @Test
    void aCcaHostThatCommitsStartedBeforeTheExchangeTellsTheRealmRunWhileTheDeviceIsLocked() {
        for (String s : List.of("iommufd-v7", "iommufd-v5")) {
            ScenarioResult ok = clean(s, "cca", "happy-bringup");
            ScenarioResult bad = run(s, "cca", "happy-bringup", EnumSet.of(Fault.CCA_COMMIT_STARTED_BEFORE_EXCHANGE));
            String t = trace(bad);
            int commit = t.indexOf("VDEV LOCKED->STARTED committed before the device exchange");
            int err = t.indexOf("fw RMI_VDEV_START = RMI_ERROR_DEVICE");
            assertTrue(commit >= 0 && commit < err, s + "\n" + t);
            assertFalse(t.contains("fw RMI_VDEV_LOCK = RMI_ERROR_DEVICE"), "the LOCK half is another fault");
            assertTrue(bad.violated().contains("I10"), s + ": " + outcome(bad));
            assertEquals("yes", ok.secureDma(), s);
            assertEquals("no", bad.secureDma(), s);
            assertNotEquals(outcome(ok), outcome(bad), s);
        }
    }
}
