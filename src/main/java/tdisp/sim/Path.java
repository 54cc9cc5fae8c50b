package tdisp.sim;

import java.util.List;

/** An immutable, prebuilt list of steps: one kernel entry point as the model runs it. */
public record Path(String name, List<Step> steps) {
    public Path {
        steps = List.copyOf(steps);
    }

    public int size() { return steps.size(); }

    public Step step(int i) { return steps.get(i); }
}
