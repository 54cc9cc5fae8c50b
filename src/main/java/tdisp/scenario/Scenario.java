package tdisp.scenario;

import java.util.function.Consumer;

import tdisp.world.DsmLayout;
import tdisp.world.World;

/**
 * One scripted scenario: what the actors do after the common setup. Its verdict comes
 * only from the invariants the world checks while it runs.
 */
public record Scenario(String id, String title, Consumer<World> body, DsmLayout layout) {
    public Scenario(String id, String title, Consumer<World> body) { this(id, title, body, DsmLayout.ONE_PER_TDI); }
}
