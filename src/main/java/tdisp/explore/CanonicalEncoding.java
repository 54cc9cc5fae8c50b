package tdisp.explore;

import java.util.ArrayList;
import java.util.List;

import tdisp.explore.WorldModel.Kind;
import tdisp.kernel.ThreadRegisters;
import tdisp.kernel.TsmRequest;
import tdisp.sim.KThread;
import tdisp.sim.RegisterValue;
import tdisp.sim.StateWriter;
import tdisp.world.DsmLayout;

/**
 * The model's canonical encoding: the state as the search tells states apart, smallest over
 * the slot permutations the DSM layout allows (symmetry reduction; Stateright's
 * {@code representative.rs}). Register values are encoded by what they mean, not by which
 * VM's copy they are.
 */
final class CanonicalEncoding {
    private static final Kind[] KINDS = Kind.values();

    private final WorldModel m;
    private final int n;
    private final int[][] perms;
    private final StateWriter canonA = new StateWriter();
    private final StateWriter canonB = new StateWriter();

    CanonicalEncoding(WorldModel m, int n, DsmLayout layout) {
        this.m = m;
        this.n = n;
        this.perms = symmetries(n, layout);
    }

    /** The smallest encoding over the symmetries; valid until the next call. */
    StateWriter canonical() {
        StateWriter best = null;
        StateWriter spare = canonA;
        for (int[] p : perms) {
            StateWriter cw = spare;
            cw.canonical(p);
            encode(cw, p, true);
            if (best == null || cw.compareTo(best) < 0) {
                spare = best == null ? canonB : best;
                best = cw;
            }
        }
        return best;
    }

    /** The encoding under the identity, attributed to slots (what footprints and their test read). */
    void encodeUnpermuted(StateWriter cw, boolean captures) {
        cw.attribute(perms[0]);
        encode(cw, perms[0], captures);
    }

    /** The canonical encoding under p (the writer already started); the captures only with {@code captures}. */
    private void encode(StateWriter cw, int[] p, boolean captures) {
        m.world().save(cw);
        for (int k = 0; k < n; k++) {
            int s = cw.at(k);
            for (Kind kind : KINDS) {
                int actor = m.acts.actor(kind, s);
                KThread t = m.running[actor];
                if (t == null) { cw.put(-1); continue; }
                cw.put(m.acts.get(m.runningAct[actor]).op());
                t.saveCanonical(cw, this::meaning);
            }
            if (!captures) continue;
            cw.putBool(m.hasCapture[s]);
            if (m.hasCapture[s]) m.captured[s].save(cw);
        }
        cw.global();
        m.bound.encode(cw, n);
    }

    /** What a register value means, independent of which VM's copy it is. */
    private int meaning(RegisterValue o) {
        if (o == null) return 0;
        if (o instanceof ThreadRegisters.Cause c) return 1 + c.origin().ordinal();
        if (o instanceof TsmRequest r) {
            boolean guestPage = false;
            for (int v = 0; v < n; v++) if (r.req() != null && r.req() == m.world().guest(v).requestPage()) guestPage = true;
            return 64 + r.op().ordinal() * 16 + r.scope() * 2 + (guestPage ? 1 : 0);
        }
        throw new IllegalStateException("no canonical meaning for register value " + o.getClass().getName());
    }

    /**
     * The slot permutations the canonical encoding may apply: only those that map every slot
     * to one of its symmetry class (DsmLayout#symmetryClass). Renaming PF0 as a VF would merge
     * states that behave differently (PF0's FLR reaches the VFs), which is unsound.
     */
    static int[][] symmetries(int n, DsmLayout layout) {
        List<int[]> out = new ArrayList<>();
        for (int[] p : permutations(n)) {
            boolean ok = true;
            for (int i = 0; i < n; i++) ok &= layout.symmetryClass(i) == layout.symmetryClass(p[i]);
            if (ok) out.add(p);
        }
        return out.toArray(new int[0][]);
    }

    static int[][] permutations(int n) {
        List<int[]> out = new ArrayList<>();
        permute(new int[n], new boolean[n], 0, out);
        return out.toArray(new int[0][]);
    }

    private static void permute(int[] cur, boolean[] used, int i, List<int[]> out) {
        if (i == cur.length) { out.add(cur.clone()); return; }
        for (int v = 0; v < cur.length; v++) {
            if (used[v]) continue;
            used[v] = true;
            cur[i] = v;
            permute(cur, used, i + 1, out);
            used[v] = false;
        }
    }
}
