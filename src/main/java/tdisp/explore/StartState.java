package tdisp.explore;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import tdisp.device.TdiState;
import tdisp.guest.GuestOp;
import tdisp.scenario.Scenario;
import tdisp.scenario.Scenarios;
import tdisp.strategy.Strategy;
import tdisp.world.Stage;
import tdisp.world.World;

/**
 * Resolves explore --start X to the explorer actions that lead from the clean boot to the
 * search's root, and moves a model's root there. X is one of:
 * <ul>
 * <li>a named stage of bring-up (bound, locked, run, dma), reached on every slot in turn
 *     by the guest's own bring-up ops ({@code GuestAbi#bringUp}) in order, each run to its
 *     end, stopping at the first op after which the slot's TDI is there; dma is the whole
 *     bring-up and then the device's T=1 DMA landing with the TDI in RUN;</li>
 * <li>a scenario id, for its prefix on every slot: the whole bring-up the scenario body
 *     runs before its event, and the device's T=1 DMA when the scenario needs secure DMA
 *     (happy-bringup: every VM's TDI in RUN with secure DMA on and used), on the run's
 *     layout (with --shared-dsm, PF0's VM first, then the VFs'); a shared-DSM scenario
 *     needs --shared-dsm;</li>
 * <li>a replay file (a counterexample, a goal path, or a prefix written by hand): its
 *     actions, which must be of a run with the same strategy knobs, platform, VMs and layout.</li>
 * </ul>
 * Every action must be enabled where it runs and break no invariant; otherwise X is bad input.
 */
public final class StartState {
    private StartState() {}

    /** The named stages, in bring-up order. */
    public static final List<String> STAGES = List.of("bound", "locked", "run", "dma");

    /** X cannot be a start: one line naming X and the action or the reason. */
    public static final class BadStartException extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        BadStartException(String x, String why) { super("--start " + x + ": " + why); }
    }

    /**
     * Resolves X on {@code m} (a fresh model of the run, its preemption bound set) and
     * leaves m's root at the start state.
     */
    public static Start resolve(String x, WorldModel m, Strategy strategy, String platform) {
        if (x == null || x.isBlank()) throw new BadStartException(String.valueOf(x), "empty; give a stage (" + String.join(", ", STAGES)
                + "), a scenario id or a replay file");
        List<String> names;
        int stage = STAGES.indexOf(x);
        if (stage >= 0) {
            names = bringUp(x, m, STAGE_OF[stage], false);
        } else if (Scenarios.all().containsKey(x)) {
            Scenario sc = Scenarios.get(x);
            // The prefix is per slot, so it fits either layout; a scenario about the shared DSM needs one.
            if (sc.layout() != m.layout() && sc.layout() != tdisp.world.DsmLayout.ONE_PER_TDI) {
                throw new BadStartException(x, "the scenario puts its TDIs on " + ReplayFile.layoutName(sc.layout()) + ", this run on "
                        + ReplayFile.layoutName(m.layout()) + " (give --shared-dsm)");
            }
            if (!sc.appliesTo().test(m.world().guest(0).abi())) throw new BadStartException(x, "does not apply on " + platform + ": it needs " + sc.needs());
            names = bringUp(x, m, sc.stage(), true);
        } else if (x.endsWith(".replay") || Files.isRegularFile(Path.of(x))) {
            names = fromReplay(x, m, strategy, platform);
        } else {
            throw new BadStartException(x, "not a stage (" + String.join(", ", STAGES) + "), a scenario (`tdisp list`) or a replay file");
        }
        Start s = new Start(x, names);
        String why = m.startFrom(indices(s, m));
        if (why != null) throw new BadStartException(x, "action " + why);
        return s;
    }

    /** Moves the root of another model of the same run to a start resolved before (one per search thread). */
    public static void apply(Start s, WorldModel m) {
        if (s.cleanBoot()) return;
        String why = m.startFrom(indices(s, m));
        if (why != null) throw new IllegalStateException("--start " + s.spec() + " resolved, but a model of the same run refuses it: " + why);
    }

    private static final Stage[] STAGE_OF = {Stage.BOUND, Stage.LOCKED, Stage.RUN, Stage.SECURE_DMA};

    private static List<Integer> indices(Start s, WorldModel m) {
        List<Integer> out = new ArrayList<>();
        for (String n : s.actions()) {
            int a = m.actionIndex(n);
            if (a < 0) throw new BadStartException(s.spec(), "no action '" + n + "' in this model (strategy, platform or --vms differ)");
            out.add(a);
        }
        return out;
    }

    /**
     * Drives every slot's bring-up on the model, recording the actions: the guest's ops in
     * the platform's order, each continued to its end; with {@code whole} every op, else
     * only until the slot's TDI is at {@code stage}; then, for secure DMA, the device's DMA.
     */
    private static List<String> bringUp(String x, WorldModel m, Stage stage, boolean whole) {
        m.reset();
        List<String> out = new ArrayList<>();
        World w = m.world();
        for (int s = 0; s < m.slots(); s++) {
            List<GuestOp> ops = w.guest(s).abi().bringUp();
            boolean needAll = whole || stage == Stage.SECURE_DMA;
            for (GuestOp op : ops) {
                if (!needAll && at(w, s, stage)) break;
                run(x, m, out, "guest" + s + " " + op.name());
                int cont = m.actionIndex("guest" + s + " continue");
                while (m.enabled(cont)) run(x, m, out, "guest" + s + " continue");
            }
            if (stage == Stage.SECURE_DMA) {
                run(x, m, out, "device" + s + " DMA(T=1)");
                if (!m.goalReached()) throw new BadStartException(x, "device" + s + "'s T=1 DMA did not land with its TDI in RUN after the bring-up");
            } else if (!at(w, s, stage)) {
                throw new BadStartException(x, "slot " + s + "'s TDI is not " + stage.token() + " after the whole bring-up (" + ops + ")");
            }
        }
        return out;
    }

    /** Whether slot s's TDI is at the stage now (bound to its VM, CONFIG_LOCKED or further, RUN). */
    private static boolean at(World w, int s, Stage stage) {
        TdiState st = w.device(s).tdiState();
        return switch (stage) {
            case BOUND -> w.pciTsm().boundKvm(s) >= 0;
            case LOCKED -> st == TdiState.CONFIG_LOCKED || st == TdiState.RUN;
            case RUN -> st == TdiState.RUN;
            default -> false;
        };
    }

    private static void run(String x, WorldModel m, List<String> out, String name) {
        int a = m.actionIndex(name);
        if (a < 0) throw new BadStartException(x, "no action '" + name + "' in this model");
        if (!m.enabled(a)) throw new BadStartException(x, "action '" + name + "' is not enabled after " + out.size() + " actions");
        m.apply(a);
        out.add(name);
        if (!m.findings().isEmpty()) {
            Model.Finding f = m.findings().get(0);
            throw new BadStartException(x, "action '" + name + "' breaks " + f.invariant() + " (" + f.detail() + ")");
        }
    }

    /** A replay file's actions, if it was written for a run like this one. */
    private static List<String> fromReplay(String x, WorldModel m, Strategy strategy, String platform) {
        ReplayFile f;
        try {
            f = ReplayFile.parse(Path.of(x));
        } catch (ReplayFile.MalformedException e) {
            throw new BadStartException(x, e.getMessage());
        }
        String run = strategy.id() + " on " + platform + ", " + m.slots() + " VMs, " + ReplayFile.layoutName(m.layout());
        String file = f.strategy() + " on " + f.platform() + ", " + f.vms() + " VMs, " + ReplayFile.layoutName(f.layout());
        if (!f.knobs().equals(strategy.knobs().tokens()) || !f.platform().equals(platform) || f.vms() != m.slots() || f.layout() != m.layout()) {
            throw new BadStartException(x, "the file is of a run of " + file + " (its knobs as written); this run is " + run);
        }
        if (f.actions().isEmpty()) throw new BadStartException(x, "the file has no actions");
        return f.actions();
    }
}
