package tdisp.explore;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import tdisp.platform.Platform;
import tdisp.platform.Platforms;
import tdisp.guest.GuestOp;
import tdisp.scenario.Actions;
import tdisp.sim.StateWriter;
import tdisp.world.DsmLayout;
import tdisp.world.World;
import tdisp.world.WorldConfig;

/** The canonical encoding with nonces and shared DSMs: what it merges and what it must not. */
class SharedDsmExploreTest {

    private static void act(WorldModel m, String name) {
        int a = m.actionIndex(name);
        assertTrue(a >= 0 && m.enabled(a), name);
        m.apply(a);
    }

    @Test
    void pf0IsNotRenamedAsAVfButVfsAreRenamedAmongThemselves() {
        WorldModel a = new WorldModel(WorldModelTest.v5(), Platforms.get("sev-tio"), 1, 2, DsmLayout.SHARED_PF0, false);
        act(a, "guest0 BIND");
        WorldModel b = new WorldModel(WorldModelTest.v5(), Platforms.get("sev-tio"), 1, 2, DsmLayout.SHARED_PF0, false);
        act(b, "guest1 BIND");
        assertNotEquals(List.of(a.canonical().ints()), List.of(b.canonical().ints()), "PF0 bound is not VF bound");
        WorldModel c = new WorldModel(WorldModelTest.v5(), Platforms.get("sev-tio"), 1, 3, DsmLayout.SHARED_PF0, false);
        act(c, "guest1 BIND");
        WorldModel d = new WorldModel(WorldModelTest.v5(), Platforms.get("sev-tio"), 1, 3, DsmLayout.SHARED_PF0, false);
        act(d, "guest2 BIND");
        assertArrayEquals(c.canonical().ints(), d.canonical().ints(), "VF1 bound == VF2 bound up to renaming");
        assertEquals(2, CanonicalEncoding.symmetries(3, DsmLayout.SHARED_PF0).length);
        assertEquals(6, CanonicalEncoding.symmetries(3, DsmLayout.ONE_PER_TDI).length);
    }

    private static int[] canonical(World w) {
        StateWriter cw = new StateWriter();
        cw.canonical(new int[] {0});
        w.save(cw);
        return cw.ints();
    }

    private static int[] exact(World w) {
        StateWriter ew = new StateWriter();
        ew.exact(1);
        w.save(ew);
        return ew.ints();
    }

    /**
     * A TSM holding "the current nonce" is one state however many LOCKs came before: the
     * canonical form encodes the relation, not the 32 bytes or the generation index.
     */
    @Test
    void lockStopCyclesDoNotMakeNewCanonicalStates() {
        for (Platform p : Platforms.all()) {
            World w = new World(WorldConfig.builder(WorldModelTest.v5(), p).slots(1).explorer(true).build());
            w.setup();
            Actions.guest(w, 0, GuestOp.BIND);
            int[] locked1 = canonical(w), locked1Exact = exact(w);
            Actions.guest(w, 0, GuestOp.UNBIND);
            int[] unlocked1 = canonical(w);
            Actions.guest(w, 0, GuestOp.BIND);
            assertArrayEquals(locked1, canonical(w), p + ": LOCKED again, the TSM holds the current nonce again");
            assertNotEquals(List.of(locked1Exact), List.of(exact(w)), p + ": exactly, the nonce is a new one");
            Actions.guest(w, 0, GuestOp.UNBIND);
            assertArrayEquals(unlocked1, canonical(w), p.id());
        }
    }

    /** sysfs tsm/disconnect is a PF0's attribute (pci_tsm_attr_visible()): a VF's admin has none. */
    @Test
    void onASharedDsmOnlyThePf0HasATsmDisconnect() {
        WorldModel shared = new WorldModel(WorldModelTest.v5(), Platforms.get("sev-tio"), 1, 2, DsmLayout.SHARED_PF0, false);
        List<String> names = new java.util.ArrayList<>();
        for (int a = 0; a < shared.actionCount(); a++) names.add(shared.actionName(a));
        assertTrue(names.contains("admin0 tsm-disconnect"), names.toString());
        assertTrue(!names.contains("admin1 tsm-disconnect"), names.toString());
        assertTrue(names.contains("admin1 hot-unplug"), "a VF can still be removed on its own");
        WorldModel separate = new WorldModel(WorldModelTest.v5(), Platforms.get("sev-tio"), 1, 2, DsmLayout.ONE_PER_TDI, false);
        List<String> sep = new java.util.ArrayList<>();
        for (int a = 0; a < separate.actionCount(); a++) sep.add(separate.actionName(a));
        assertTrue(sep.contains("admin1 tsm-disconnect"), sep.toString());
    }
}
