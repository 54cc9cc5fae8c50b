package tdisp.report;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import tdisp.output.Columns;

class RediscoveryReportTest {
    private static RediscoveryReport.PorCheck check(boolean exhausted, Map<String, Integer> reducedSites, Map<String, Integer> fullSites) {
        return new RediscoveryReport.PorCheck("case-bug", exhausted, 100, 100, reducedSites, fullSites, 7, 7, 900, 1000);
    }

    @Test
    void aReducedRunThatLosesAViolationSiteIsAMismatchOnlyWhenBothRunsWereExhausted() {
        Map<String, Integer> both = Map.of("I1@pci_clear_master", 3, "I2@tdx_sept_drop_private_spte", 5);
        Map<String, Integer> lost = Map.of("I1@pci_clear_master", 3);
        assertTrue(check(true, lost, both).mismatch());
        assertFalse(check(false, lost, both).mismatch());
        assertFalse(check(true, both, both).mismatch());
    }

    @Test
    void theVerdictComesFirstOnEveryLineAndTheEndingIsTheLastLine() {
        String t = RediscoveryReport.text(
                List.of(new RediscoveryReport.Verdict("vfio-close-device-first", true, true, true, "I1", "pci_clear_master"),
                        new RediscoveryReport.Verdict("vfio-close-device-first", false, false, false, "I1", "pci_clear_master")),
                List.of(), List.of(check(true, Map.of("I1@x", 1), Map.of("I1@x", 1))), RediscoveryReport.Ending.MISSED,
                List.of("tdx-zap-while-bound (I2 at tdx_sept_drop_private_spte)"), 6);
        List<String> lines = t.lines().toList();
        assertTrue(lines.get(0).startsWith("rediscover: FOUND: vfio-close-device-first bug"), t);
        assertTrue(lines.get(1).startsWith("rediscover: absent (partial): vfio-close-device-first fixed"), t);
        assertTrue(lines.get(3).startsWith("rediscover: reduced = full: case-bug, 100 states, 1 violation sites, 900"), t);
        assertTrue(lines.get(4).endsWith("transitions against 1,000 (1.11x)"), t);
        assertTrue(t.contains("rediscover: MISSED tdx-zap-while-bound"), t);
        assertTrue(Columns.widest(t) <= Columns.WIDTH, t);
    }
}
