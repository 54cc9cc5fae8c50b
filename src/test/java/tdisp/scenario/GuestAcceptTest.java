package tdisp.scenario;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;

import tdisp.platform.Platform;
import tdisp.platform.Platforms;
import tdisp.strategy.StrategyCatalog;

/** The guest's pci_tsm_accept(): -EBUSY while a driver is bound, ->run once, no unaccept; the guest's locks are its own. */
class GuestAcceptTest {
    static final StrategyCatalog CATALOG = StrategyCatalog.load(Path.of("strategies"));

    @Test
    void acceptIsRefusedWhileADriverIsBoundThenRunsOnceAndTheGuestsLocksNeverTouchTheHostsLockdep() {
        for (String s : java.util.List.of("iommufd-v5", "iommufd-v7", "kvm-direct")) {
            for (Platform p : Platforms.all()) {
                ScenarioResult r = ScenarioRunner.run(ScenarioRun.builder(CATALOG.get(s), p, Scenarios.get("guest-accept-driver-bound")).trace(ScenarioRun.Trace.RECORDED).build());
                String t = String.join("\n", r.trace());
                assertEquals(ScenarioResult.Verdict.PASS, r.verdict(), s + "/" + p.id() + ": " + r.firstViolation());
                assertEquals("yes", r.secureDma(), s + "/" + p.id());
                assertTrue(t.contains("pci_tsm_accept = -EBUSY"), s + "/" + p.id());
                // ->run once: the second accept finds PCI_TSM_F_ACCEPT and returns at once.
                long runs = t.lines().filter(l -> l.contains("[guest0 ] VM exit") ).count();
                assertTrue(t.contains("pci_tsm_rwsem [guest vm0]"), t);
                // The host's lockdep never sees a guest lock.
                assertFalse(t.lines().anyMatch(l -> l.matches(".*\\] (down_read|down_write|mutex_lock|up_read)\\(.*\\[guest vm.*")), t);
                assertTrue(runs > 0);
            }
        }
        assertEquals(3, t("iommufd-v5", "sev-tio").lines().filter(l -> l.contains("guest: pci_tsm_accept(dev)")).count(),
                "three accepts: refused, run, idempotent");
        assertEquals(1, t("iommufd-v5", "sev-tio").lines().filter(l -> l.contains("sev_guest_accept -> SEV_TIO_OP(RUN)")).count(), "->run once");
    }

    static String t(String s, String p) {
        return String.join("\n", ScenarioRunner.run(ScenarioRun.builder(CATALOG.get(s), Platforms.get(p), Scenarios.get("guest-accept-driver-bound")).trace(ScenarioRun.Trace.RECORDED).build()).trace());
    }
}
