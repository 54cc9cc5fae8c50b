package tdisp.scenario;

import java.util.function.Consumer;
import java.util.function.Predicate;

import tdisp.guest.GuestAbi;
import tdisp.world.DsmLayout;
import tdisp.world.World;

/**
 * One scripted scenario: what the actors do after the common setup, on the device layout
 * it needs. Its verdict comes only from the invariants the world checks while it runs. A
 * scenario about a mechanism some platform lacks (a sealed request page to tamper with)
 * says so in {@code appliesTo}, and reports not-applicable there instead of passing
 * vacuously.
 */
public record Scenario(String id, String title, Consumer<World> body, DsmLayout layout,
        Predicate<GuestAbi> appliesTo, String needs) {
    public Scenario(String id, String title, Consumer<World> body) {
        this(id, title, body, DsmLayout.ONE_PER_TDI, abi -> true, "");
    }

    public Scenario(String id, String title, Consumer<World> body, DsmLayout layout) {
        this(id, title, body, layout, abi -> true, "");
    }
}
