package tdisp.explore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

/** explore --actions / --skip-actions: globs over whole action names; a continue always passes. */
class ActionFilterTest {
    static final List<String> NAMES = List.of("guest0 BIND", "guest1 BIND", "vmm0 tamper-request", "vmm0 close-vfio",
            "vmm0 foreign-BIND(dev1)", "admin0 hot-unplug", "guest0 continue", "vmm0 continue");

    @Test
    void globsMatchWholeNamesWithStarAndQuestionMarkOnly() {
        ActionFilter f = new ActionFilter(List.of("guest? *", "vmm0 close-*"), List.of());
        assertTrue(f.allows("guest1 BIND"));
        assertTrue(f.allows("vmm0 close-vfio"));
        assertFalse(f.allows("vmm0 tamper-request"));
        assertFalse(f.allows("admin0 hot-unplug"));
        // Parentheses and dots are literal, not regular-expression syntax.
        ActionFilter paren = new ActionFilter(List.of("vmm0 foreign-BIND(dev1)"), List.of());
        assertTrue(paren.allows("vmm0 foreign-BIND(dev1)"));
        assertFalse(new ActionFilter(List.of("guest0 BIN."), List.of()).allows("guest0 BIND"));
        // A glob matches the whole name, not a part of it.
        assertFalse(new ActionFilter(List.of("BIND"), List.of()).allows("guest0 BIND"));
    }

    @Test
    void skipWinsOverOnlyAndAStartedActionAlwaysContinues() {
        ActionFilter f = new ActionFilter(List.of("vmm0 *"), List.of("* tamper-request"));
        assertTrue(f.allows("vmm0 close-vfio"));
        assertFalse(f.allows("vmm0 tamper-request"));
        assertTrue(f.allows("guest0 continue"), "a continue passes even when --actions leaves its actor out");
        assertEquals(2, f.allowedCount(NAMES), "close-vfio and foreign-BIND; continues are not counted");
        assertEquals(6, ActionFilter.ALL.allowedCount(NAMES));
        assertTrue(ActionFilter.ALL.all());
        assertEquals("only vmm0 *; skipping * tamper-request", f.shown());
    }

    @Test
    void aGlobThatMatchesNoStartableActionIsNamed() {
        assertNull(new ActionFilter(List.of("guest? *"), List.of("* hot-unplug")).unmatched(NAMES));
        assertEquals("* DPC", new ActionFilter(List.of(), List.of("* hot-unplug", "* DPC")).unmatched(NAMES));
        assertEquals("guest0 continue", new ActionFilter(List.of("guest0 continue"), List.of()).unmatched(NAMES),
                "continues are not the user's to pick");
    }

    @Test
    void aRestrictedModelNeverTakesALeftOutActionAndReachesFewerStates() {
        ExplorerConfig c = ExplorerConfig.builder().maxDepth(4).threads(1).build();
        WorldModel whole = new WorldModel(StartStateTest.V5, tdisp.platform.Platforms.get("sev-tio"), 1, 1);
        whole.setPreemptionBound(0);
        ExplorerResult all = new Explorer(() -> whole, c, null).run(Cancel.NEVER);
        ActionFilter f = new ActionFilter(List.of(), List.of("* tamper-request", "* capture-request", "* replay-request"));
        WorldModel part = new WorldModel(StartStateTest.V5, tdisp.platform.Platforms.get("sev-tio"), 1, 1);
        part.setPreemptionBound(0);
        part.restrictTo(f::allows);
        ExplorerResult some = new Explorer(() -> part, c, null).run(Cancel.NEVER);
        assertTrue(some.distinct() < all.distinct(), some.distinct() + " vs " + all.distinct());
        for (Counterexample ce : some.counterexamples().values()) {
            for (int a : ce.actions()) assertTrue(f.allows(part.actionName(a)), part.actionName(a));
        }
        int tamper = part.actionIndex("vmm0 tamper-request");
        part.reset();
        assertFalse(part.enabled(tamper));
        whole.reset();
        assertTrue(whole.enabled(tamper));
    }
}
