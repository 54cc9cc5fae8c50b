package tdisp.explore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import tdisp.platform.Platforms;
import tdisp.sim.StateWriter;
import tdisp.strategy.Strategy;

/**
 * The host stack's declared footprints against what its actions really do, so that a
 * wrong footprint cannot silently prune a real interleaving: from many reached states,
 * every action's writes must be declared, an action must not notice a change to an object
 * it does not declare reading, and every pair declared independent must commute; then
 * the reduced search must report what the full one does on every rediscovery case.
 */
class WorldModelFootprintTest {
    private static WorldModel model(Strategy s, String platform, int slots, int preemptions) {
        WorldModel m = new WorldModel(s, Platforms.get(platform), 1, slots);
        m.setPreemptionBound(preemptions);
        return m;
    }

    private static long[] digests(WorldModel m, FootprintProbe probe) {
        long[] d = new long[m.footprints().footprintObjects()];
        for (int b = 0; b < d.length; b++) d[b] = probe.digest(b);
        return d;
    }

    @ParameterizedTest(name = "{0} on {1}, {2} slots, preemptions {3}")
    @CsvSource({"iommufd-v5, sev-tio, 1, 1", "iommufd-v5, sev-tio, 2, 0", "vfio-ioctl, tdx-connect, 1, 0", "kvm-direct, cca, 2, 1"})
    void everyActionWritesOnlyWhatItDeclaresAndIgnoresWhatItDoesNotRead(String strategy, String platform, int slots, int preemptions) {
        WorldModel m = model(WorldModelTest.CATALOG.get(strategy), platform, slots, preemptions);
        FootprintProbe probe = new FootprintProbe(m);
        Footprints fp = m.footprints();
        List<StateWriter.Snapshot> states = new ArrayList<>(Commutation.reachable(m, 5, 400));
        states.addAll(Commutation.walks(m, 11, 20, 14));
        int writesChecked = 0, readsChecked = 0;
        for (StateWriter.Snapshot s : states) {
            for (int a = 0; a < m.actionCount(); a++) {
                m.load(s);
                if (!m.enabled(a)) continue;
                long declaredWrites = fp.declaredWrites(a), declaredReads = fp.declaredReads(a);
                long[] before = digests(m, probe);
                String effect = Commutation.effect(m, a);
                long[] after = digests(m, probe);
                for (int b = 0; b < before.length; b++) {
                    if (before[b] != after[b] && (declaredWrites & (1L << b)) == 0) {
                        fail(m.actionName(a) + " wrote " + fp.objectName(b) + " but does not declare it");
                    }
                }
                writesChecked++;
                for (int o = 0; o < before.length; o++) {
                    if ((declaredReads & (1L << o)) != 0) continue;
                    m.load(s);
                    if (!probe.perturb(o)) continue;
                    if (!m.enabled(a)) fail(m.actionName(a) + " is disabled by a change to " + fp.objectName(o) + ", which it does not read");
                    String perturbed = Commutation.effect(m, a);
                    assertEquals(effect, perturbed, m.actionName(a) + " noticed a change to " + fp.objectName(o));
                    long[] afterPerturbed = digests(m, probe);
                    for (int b = 0; b < before.length; b++) {
                        if (b != o) assertEquals(after[b], afterPerturbed[b], m.actionName(a) + " wrote " + fp.objectName(b) + " differently after a change to "
                                + fp.objectName(o) + ", which it does not read");
                    }
                    readsChecked++;
                }
            }
        }
        assertTrue(writesChecked > 1000, writesChecked + " transitions checked");
        assertTrue(readsChecked > 500, readsChecked + " unread objects checked");
    }

    @ParameterizedTest(name = "{0} on {1}, {2} slots, preemptions {3}")
    @CsvSource({"iommufd-v5, sev-tio, 1, 0", "iommufd-v5, sev-tio, 1, 1", "iommufd-v5, sev-tio, 2, 0", "vfio-ioctl, tdx-connect, 2, 1", "kvm-direct, cca, 1, 0"})
    void everyPairDeclaredIndependentCommutesInTheHostStack(String strategy, String platform, int slots, int preemptions) {
        WorldModel m = model(WorldModelTest.CATALOG.get(strategy), platform, slots, preemptions);
        long[] pairs = new long[1];
        assertNull(Commutation.firstBroken(m, Commutation.reachable(m, 5, 300), pairs));
        assertTrue(pairs[0] > 100, pairs[0] + " independent pairs checked");
    }

    /** Two VMs on two devices, where kernel paths of different slots commute: every strategy on every platform, deep states included. */
    @ParameterizedTest(name = "{0} on {1}, 2 slots, preemptions {2}")
    @org.junit.jupiter.params.provider.MethodSource("twoSlotCases")
    void kernelPathsOfTwoSlotsCommuteWhereDeclared(String strategy, String platform, int preemptions) {
        WorldModel m = model(WorldModelTest.CATALOG.get(strategy), platform, 2, preemptions);
        List<StateWriter.Snapshot> states = new ArrayList<>(Commutation.walks(m, 7, 40, 14));
        long[] pairs = new long[1];
        assertNull(Commutation.firstBroken(m, states, pairs));
        // Not vacuous: kernel paths of the two slots were paired, not only the attacker's page operations.
        long slots = Footprints.slotBit(0) | Footprints.slotBit(1);
        long kernelPairs = 0;
        for (StateWriter.Snapshot s : states) {
            m.load(s);
            for (int a = 0; a < m.actionCount(); a++) for (int b = a + 1; b < m.actionCount(); b++) {
                long wa = m.footprints().declaredWrites(a), wb = m.footprints().declaredWrites(b);
                if (m.enabled(a) && m.enabled(b) && m.independent(a, b) && (wa & wb & ~(1L << Footprints.HOST)) == 0
                        && Long.bitCount(wa & slots) == 1 && Long.bitCount(wb & slots) == 1) kernelPairs++;
            }
        }
        assertTrue(kernelPairs > 100, kernelPairs + " pairs of kernel paths declared independent");
    }

    static List<Object[]> twoSlotCases() {
        List<Object[]> out = new ArrayList<>();
        for (Strategy s : WorldModelTest.CATALOG.all()) {
            for (tdisp.platform.Platform p : Platforms.all()) {
                out.add(new Object[] {s.id(), p.id(), 0});
                if (s.id().equals("iommufd-v5")) out.add(new Object[] {s.id(), p.id(), 1});
            }
        }
        return out;
    }

    /** Where the reduction bites: two VMs on two devices, full and reduced search side by side. */
    @ParameterizedTest(name = "{0} on {1}, 2 slots, depth 4")
    @CsvSource({"iommufd-v5, sev-tio", "vfio-ioctl, tdx-connect", "kvm-direct, cca", "iommufd-typed-op, sev-tio"})
    void theReducedSearchOfTwoSlotsReportsWhatTheFullOneDoes(String strategy, String platform) {
        Strategy s = WorldModelTest.CATALOG.get(strategy);
        ExplorerConfig cfg = ExplorerConfig.builder().maxDepth(4).exactLimit(0).threads(2).build();
        ExplorerResult full = new Explorer(() -> model(s, platform, 2, 0), cfg.withPor(false), null).run();
        ExplorerResult reduced = new Explorer(() -> model(s, platform, 2, 0), cfg, null).run();
        assertTrue(full.exhausted() && reduced.exhausted());
        assertEquals(full.distinct(), reduced.distinct());
        assertEquals(full.generated(), reduced.generated() + reduced.slept());
        assertTrue(reduced.slept() * 20 > full.generated(), reduced.slept() + " of " + full.generated() + " transitions slept");
        assertEquals(PorTest.violations(full), PorTest.violations(reduced));
        assertEquals(full.goal() == null ? -1 : full.goal().size(), reduced.goal() == null ? -1 : reduced.goal().size());
    }

    @Test
    void theReducedSearchReportsWhatTheFullOneDoesOnEveryRediscoveryCase() {
        for (tdisp.rediscover.KnownBug c : tdisp.rediscover.KnownBugs.ALL) {
            for (List<String> knobs : List.of(c.bug(), c.fix())) {
                for (int preemptions : new int[] {0, 1}) {
                    Strategy s = WorldModelTest.CATALOG.get(c.strategy()).withOverrides(knobs);
                    ExplorerConfig cfg = ExplorerConfig.builder().maxDepth(preemptions == 0 ? 6 : 5).exactLimit(0).threads(2).build();
                    ExplorerResult full = new Explorer(() -> model(s, c.platform().id(), 1, preemptions), cfg.withPor(false), null).run();
                    ExplorerResult reduced = new Explorer(() -> model(s, c.platform().id(), 1, preemptions), cfg, null).run();
                    String what = c.id() + " " + knobs + " preemptions " + preemptions;
                    assertTrue(full.exhausted() && reduced.exhausted(), what);
                    assertEquals(full.distinct(), reduced.distinct(), what);
                    assertEquals(full.generated(), reduced.generated() + reduced.slept(), what);
                    assertEquals(PorTest.violations(full), PorTest.violations(reduced), what);
                    assertEquals(full.goal() == null ? -1 : full.goal().size(), reduced.goal() == null ? -1 : reduced.goal().size(), what);
                }
            }
        }
    }
}
