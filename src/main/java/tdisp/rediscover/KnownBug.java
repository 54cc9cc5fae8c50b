package tdisp.rediscover;

import java.util.List;

import tdisp.platform.Platform;

/**
 * A known upstream bug the explorer must find on its own: the strategy and platform it
 * shows on, the knob settings of the buggy and of the fixed kernel, and the invariant it
 * breaks at which kernel function.
 *
 * @param bug  knob overrides that give the buggy kernel
 * @param fix  knob overrides that give the fixed kernel
 * @param site the kernel function the invariant breaks at (a counterexample's breaking step)
 */
public record KnownBug(String id, String strategy, Platform platform, List<String> bug, List<String> fix, String invariant, String site,
                       String what) {
    public KnownBug {
        bug = List.copyOf(bug);
        fix = List.copyOf(fix);
    }

    /** The knob overrides of one side: the buggy kernel or the fixed one. */
    public List<String> knobs(boolean buggy) { return buggy ? bug : fix; }
}
