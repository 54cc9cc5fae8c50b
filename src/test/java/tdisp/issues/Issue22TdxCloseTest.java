package tdisp.issues;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;

import tdisp.platform.Platforms;
import tdisp.scenario.ScenarioResult;
import tdisp.scenario.ScenarioRun;
import tdisp.scenario.ScenarioRunner;
import tdisp.scenario.Scenarios;
import tdisp.strategy.StrategyCatalog;

/**
 * Issue 22, point 1, "The TDX close heals a leak that cannot heal": "after
 * {@code TDH.MMIO.UNMAP} is refused and KVM hits its bug check, the model revokes again,
 * blocks again and unmaps. In the kernel {@code vfio_pci_dma_buf_cleanup()} has already
 * unlinked the dma-buf ({@code priv->vdev = NULL}, {@code list_del_init}), so the later
 * {@code vfio_pci_dma_buf_move()} in the unbind notifies nobody, and {@code TDH.MMIO.BLOCK}
 * accepts only MAPPED or PENDING entries. The trace lines after the refusal, and the
 * {@code TDH.DEVIF.REMOVE} success, are false; the cell should also report I6." (The
 * module's BLOCK rule is held by TdxModuleTest.)
 */
class Issue22TdxCloseTest {
    private static final StrategyCatalog CATALOG = StrategyCatalog.load(Path.of("strategies"));

    private static ScenarioResult closeVfioBound(String... sets) {
        return ScenarioRunner.run(ScenarioRun.builder(CATALOG.get("iommufd-v5").withOverrides(List.of(sets)), Platforms.get("tdx-connect"), Scenarios.get("close-vfio-bound")).trace(ScenarioRun.Trace.RECORDED).build());
    }

    private static List<String> after(List<String> trace, String marker) {
        for (int i = 0; i < trace.size(); i++) if (trace.get(i).contains(marker)) return trace.subList(i + 1, trace.size());
        throw new AssertionError("no line with " + marker);
    }

    @Test
    void afterTheRefusedUnmapNothingBlocksOrUnmapsAgain() {
        List<String> tail = after(closeVfioBound().trace(), "TDH.MMIO.UNMAP = TDX_DEVIF_TDISP_INVALID_STATE");
        String rest = String.join("\n", tail);
        assertFalse(rest.contains("fw TDH.MMIO.BLOCK"), rest);
        assertFalse(rest.contains("fw TDH.MMIO.UNMAP"), rest);
        assertFalse(rest.contains("tdx_sept_zap_private_spte"), rest);
    }

    @Test
    void theDevifIsNotRemovedAndTheCellReportsI6() {
        ScenarioResult r = closeVfioBound();
        String trace = String.join("\n", r.trace());
        assertFalse(trace.contains("TDH.DEVIF.REMOVE = TDX_SUCCESS"), "the blocked private MMIO keeps the DEVIF");
        assertTrue(trace.contains("TDH.DEVIF.REMOVE = TDX_DEVIF_HAS_MAPPED_MMIO"), "the removal is tried and refused");
        assertTrue(r.violated().contains("I6"), r.violated().toString());
    }

    @Test
    void theUnbindAfterCleanupNotifiesNobody() {
        String rest = String.join("\n", after(closeVfioBound().trace(), "vfio_pci_dma_buf_move(dev0, revoke)"));
        assertTrue(rest.indexOf("no importer notified") >= 0
                && rest.indexOf("no importer notified") < rest.indexOf("TDH.DMAR.BLOCK"), rest);
    }
}
