package tdisp.world;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.EnumSet;
import java.util.Set;

import org.junit.jupiter.api.Test;

import tdisp.platform.Platforms;

/** Issue 23.4: World is built from one immutable configuration with named defaults. */
class WorldConfigTest {
    private static WorldConfig.Builder v5() { return WorldConfig.builder(Runs.strategy("iommufd-v5"), Platforms.get("sev-tio")); }

    @Test
    void theBuilderStartsFromTheNamedDefaults() {
        WorldConfig c = v5().build();
        assertEquals(WorldConfig.DEFAULT_SEED, c.seed());
        assertEquals(WorldConfig.DEFAULT_SLOTS, c.slots());
        assertEquals(WorldConfig.DEFAULT_LAYOUT, c.layout());
        assertEquals(Set.of(), c.faults());
        assertFalse(c.explorer());
        assertEquals(c, c.toBuilder().build());
    }

    @Test
    void aBadSlotCountIsRejectedNamingTheOption() {
        var e = assertThrows(IllegalArgumentException.class, () -> v5().slots(World.MAX_SLOTS + 1).build());
        assertEquals("slots: a world has 1..4 VMs, not 5", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> v5().slots(0).build());
    }

    @Test
    void theFaultsAreCopiedSoTheConfigurationStaysAsBuilt() {
        EnumSet<Fault> f = EnumSet.of(Fault.FW_ACCEPTS_REPLAY);
        WorldConfig c = v5().faults(f).build();
        f.add(Fault.TDCM_TIMEOUT);
        assertEquals(Set.of(Fault.FW_ACCEPTS_REPLAY), c.faults());
    }

    @Test
    void theWorldIsAssembledAsConfigured() {
        World w = new World(v5().slots(3).layout(DsmLayout.SHARED_PF0).build());
        assertEquals(3, w.slots());
        assertEquals(DsmLayout.SHARED_PF0, w.layout());
        assertEquals(w.config().slots(), w.devices().size());
    }
}
