package tdisp.explore;

import tdisp.firmware.MsgBuf;
import tdisp.scenario.Actions;
import tdisp.sim.Retained;
import tdisp.sim.StateWriter;

/**
 * What WorldModelFootprintTest reads and changes to check the declared footprints against
 * what the actions really do: a digest of each footprint object, and a change to an
 * object an action that does not read it must not notice. Not used by the search.
 */
final class FootprintProbe {
    private final WorldModel m;
    private final int n;
    private final StateWriter probe = new StateWriter();
    private final MsgBuf blank = new MsgBuf();

    FootprintProbe(WorldModel m) {
        this.m = m;
        this.n = m.slots();
    }

    /**
     * A digest of one footprint object's contents. A slot's, or the host's, is its sections
     * of the canonical encoding under the identity (what the search tells states apart by)
     * with the request pages blanked and the captures left out; a page's or a capture's is
     * its exact contents.
     */
    long digest(int bit) {
        var w = m.world();
        probe.exact(n);
        if (bit <= n) {
            MsgBuf[] keep = new MsgBuf[n];
            for (int v = 0; v < n; v++) {
                keep[v] = new MsgBuf();
                keep[v].copyFrom(w.guest(v).requestPage());
                w.guest(v).requestPage().copyFrom(blank);
            }
            m.canon.encodeUnpermuted(probe, false);
            for (int v = 0; v < n; v++) w.guest(v).requestPage().copyFrom(keep[v]);
            return probe.sectionHash(bit - 1);
        } else if (bit <= 2 * n) {
            w.guest(bit - 1 - n).requestPage().save(probe);
        } else {
            probe.putBool(m.hasCapture[bit - 1 - 2 * n]);
            m.captured[bit - 1 - 2 * n].save(probe);
        }
        long h = probe.hash();
        // References by content where they have one (page bytes); any other by its type,
        // since a rerun builds an equal one under a new identity.
        for (Retained o : probe.refs()) h = h * 31 + (o instanceof MsgBuf.Contents c ? c.contentHash() : o == null ? 0 : o.getClass().getName().hashCode());
        return h;
    }

    /** Changes a request page or a capture (what an action that does not read it must not notice); false for kernel state. */
    boolean perturb(int bit) {
        if (bit <= n) return false;
        if (bit <= 2 * n) {
            Actions.tamper(m.world(), bit - 1 - n);
        } else {
            int s = bit - 1 - 2 * n;
            m.hasCapture[s] = true;
            m.captured[s].seqno += 7;
            m.captured[s].ghostTag ^= 0x1234;
        }
        return true;
    }
}
