package tdisp.scenario;

import java.util.function.Consumer;
import java.util.function.Predicate;

import tdisp.guest.GuestAbi;
import tdisp.world.DsmLayout;
import tdisp.world.Stage;
import tdisp.world.World;

/**
 * One scripted scenario: what the actors do after the common setup, on the device layout
 * it needs. Its verdict comes only from the invariants the world checks while it runs. A
 * scenario about a mechanism some platform lacks (a sealed request page to tamper with)
 * says so in {@code appliesTo}, and reports not-applicable there instead of passing
 * vacuously. {@code stage} is how far TDI 0's bring-up must get for the scenario to test
 * what it is about (a host event "while RUN"); a run that never got there is not reached.
 */
public record Scenario(String id, String title, Consumer<World> body, DsmLayout layout,
        Predicate<GuestAbi> appliesTo, String needs, Stage stage) {
    /** Most scenarios are a host event while the guest uses its TDI: they need RUN. */
    public static final Stage DEFAULT_STAGE = Stage.RUN;

    public Scenario(String id, String title, Consumer<World> body, DsmLayout layout, Predicate<GuestAbi> appliesTo, String needs) {
        this(id, title, body, layout, appliesTo, needs, DEFAULT_STAGE);
    }

    public Scenario(String id, String title, Consumer<World> body) {
        this(id, title, body, DsmLayout.ONE_PER_TDI, abi -> true, "", DEFAULT_STAGE);
    }

    public Scenario(String id, String title, Consumer<World> body, DsmLayout layout) {
        this(id, title, body, layout, abi -> true, "", DEFAULT_STAGE);
    }

    /** The same scenario needing another stage. */
    public Scenario needing(Stage s) { return new Scenario(id, title, body, layout, appliesTo, needs, s); }
}
