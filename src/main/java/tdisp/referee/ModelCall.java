package tdisp.referee;

import java.util.List;

/**
 * One call of the model's run as a kernel trace could show it: the actor (a model thread
 * name: one task in the kernel), the function, and the recorded functions the model says it
 * runs inside (the earlier links of its {@code a -> b} chain, outermost first).
 *
 * @param event the model event's own text, only to say where the call came from
 */
public record ModelCall(String actor, String name, List<String> under, String event) {
    public ModelCall {
        under = List.copyOf(under);
    }
}
