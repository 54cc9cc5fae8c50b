package tdisp.firmware;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

import tdisp.sim.StateReader;
import tdisp.sim.StateWriter;

/** A page's exact snapshot: its bytes as an immutable copy, shared while the page is unchanged. */
class MsgBufSnapshotTest {
    private static StateWriter.Snapshot save(MsgBuf b) {
        StateWriter w = new StateWriter();
        w.exact(1);
        b.save(w);
        return w.snapshot();
    }

    @Test
    void unchangedPagesShareTheirSavedBytesAndRestoreExactly() {
        MsgBuf b = new MsgBuf();
        b.len = 3;
        b.data[0] = 1;
        b.data[1] = 2;
        b.data[2] = 3;
        StateWriter.Snapshot s1 = save(b);
        StateWriter.Snapshot s2 = save(b);
        assertSame(s1.refs()[0], s2.refs()[0], "no new copy while the bytes are the same");

        b.data[1] = 9;
        StateWriter.Snapshot s3 = save(b);
        assertNotSame(s1.refs()[0], s3.refs()[0]);

        StateReader r = new StateReader().reset(s1);
        b.load(r);
        assertTrue(r.atEnd());
        assertArrayEquals(new byte[] {1, 2, 3}, b.ciphertext());
        b.data[1] = 9;
        assertArrayEquals(new byte[] {1, 2, 3}, restored(s1), "writing the page after a restore leaves the snapshot's copy alone");
    }

    private static byte[] restored(StateWriter.Snapshot s) {
        MsgBuf b = new MsgBuf();
        b.load(new StateReader().reset(s));
        return b.ciphertext();
    }
}
