package tdisp.referee;

import java.util.List;

/**
 * Whether one actor's projected calls appear in one kernel task, in order: the claim is that
 * the model's sequence is a subsequence of the task's calls after the common setup. With
 * {@code nesting} each call must also sit inside every call the model nests it under (those
 * names are among the kernel call's recorded enclosing calls). Each condition is a test of
 * one model call against one kernel call, so the greedy earliest match finds an embedding
 * whenever one exists, and otherwise the longest prefix that embeds.
 *
 * @param matched how many model calls embed (all of them: the claim holds)
 * @param at      the kernel index each matched call took
 */
public record Embedding(int matched, int[] at) {

    public static Embedding of(List<ModelCall> model, List<KernelTrace.Call> kernel, boolean nesting) {
        int[] at = new int[model.size()];
        int k = 0;
        int i = 0;
        for (; i < model.size(); i++) {
            ModelCall m = model.get(i);
            while (k < kernel.size() && !fits(m, kernel.get(k), nesting)) k++;
            if (k == kernel.size()) break;
            at[i] = k++;
        }
        return new Embedding(i, java.util.Arrays.copyOf(at, i));
    }

    static boolean fits(ModelCall m, KernelTrace.Call c, boolean nesting) {
        return m.name().equals(c.name()) && (!nesting || c.enclosing().containsAll(m.under()));
    }

    public boolean complete(List<ModelCall> model) { return matched == model.size(); }
}
