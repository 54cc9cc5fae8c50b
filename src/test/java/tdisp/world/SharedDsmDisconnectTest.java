package tdisp.world;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;


import org.junit.jupiter.api.Test;

import tdisp.cost.CostOptions;
import tdisp.platform.Platforms;
import tdisp.scenario.Actions;

/**
 * pci_tsm_disconnect() on a PF0 whose DSM a VF shares: pci_tsm_unbind_all() walks the DSM's
 * functions in reverse (pci_tsm_walk_fns_reverse(), drivers/pci/tsm.c in 7.2) and unbinds
 * the VF's TDI before the PF0's and before ops->disconnect ends the SPDM session; remove_fn()
 * then drops the VF's pci_tsm. Before this the model unbound only the PF0's own TDI and the
 * VF's went to ERROR by the session's end, an order the kernel cannot take.
 */
class SharedDsmDisconnectTest {

    private static World running(String strategy) {
        World w = new World(WorldConfig.builder(Runs.strategy(strategy), Platforms.get("sev-tio")).seed(1).costs(CostOptions.defaults()).slots(2).layout(DsmLayout.SHARED_PF0).build());
        w.setup();
        Actions.bringUp(w, 0);
        Actions.bringUp(w, 1);
        return w;
    }

    private static String text(World w, int from) {
        var ev = w.sim().trace().events();
        StringBuilder sb = new StringBuilder();
        for (int i = from; i < ev.size(); i++) sb.append(w.sim().trace().render(ev.get(i))).append('\n');
        return sb.toString();
    }

    @Test
    void disconnectUnbindsTheVfsTdiFirstThenThePf0sThenEndsTheSession() {
        World w = running("iommufd-v5");
        assertEquals(0, w.pciTsm().boundKvm(0));
        assertEquals(1, w.pciTsm().boundKvm(1));
        int from = w.sim().trace().events().size();
        Actions.tsmDisconnect(w, 0);
        String t = text(w, from);
        int vf = t.indexOf("__pci_tsm_unbind(dev1)"), pf = t.indexOf("pci_tsm_unbind(dev0)"), remove = t.indexOf("remove_fn(dev1)");
        assertTrue(vf >= 0 && remove > vf, t);
        assertEquals(-1, w.pciTsm().boundKvm(1), "the VF's TDI is unbound");
        assertEquals(-1, w.pciTsm().boundKvm(0), "and the PF0's");
        assertFalse(w.pciTsm().linked(1), "remove_fn dropped the VF's pci_tsm");
        assertFalse(w.sim().violations().stream().anyMatch(v -> v.detail().contains("dev1 RUN -> ERROR")),
                w.sim().violations().toString());
        assertTrue(pf < 0 || pf > vf, "PF0 after its VFs");
    }

    @Test
    void oneDsmPerFunctionRunsTheStepsItRanBefore() {
        World w = new World(WorldConfig.builder(Runs.strategy("iommufd-v5"), Platforms.get("sev-tio")).seed(1).build());
        w.setup();
        Actions.bringUp(w, 0);
        int from = w.sim().trace().events().size();
        Actions.tsmDisconnect(w, 0);
        assertFalse(text(w, from).contains("pci_tsm_walk_fns_reverse"));
    }
}
