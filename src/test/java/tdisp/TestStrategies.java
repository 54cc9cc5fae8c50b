package tdisp;

import java.util.List;

import tdisp.platform.Platform;
import tdisp.strategy.GuestRequestUapi;
import tdisp.strategy.Strategy;
import tdisp.world.World;
import tdisp.world.WorldConfig;

/** Test shorthand for which shipped strategies can bring a TDI up on a platform. */
public final class TestStrategies {
    private TestStrategies() {}

    /**
     * False for the typed-op uAPI where the guest seals its state query for the host: the
     * typed uAPI has no op for it (TypedOpTest), so that bring-up never reaches secure DMA.
     */
    public static boolean bringsUp(Strategy s, Platform p) {
        return s.knobs().guestRequestUapi() != GuestRequestUapi.TYPED_OP
                || !new World(WorldConfig.builder(s, p).build()).guest(0).abi().sealsMessagesForHost();
    }

    public static List<Strategy> bringingUp(List<Strategy> all, Platform p) {
        return all.stream().filter(s -> bringsUp(s, p)).toList();
    }
}
