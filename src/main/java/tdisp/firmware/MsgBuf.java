package tdisp.firmware;

import java.util.Arrays;

import tdisp.sim.Retained;

/**
 * A message page: the SNP guest request/response page (4 KiB, shared with the host) or a
 * kernel buffer it is copied into. The header fields are what the host may read in clear
 * (msg_type, sequence number, guest device id); {@code data[0..len)} is ciphertext.
 * Mutable and reused, like the page it stands for.
 */
public final class MsgBuf {
    public static final int PAGE = 4096;

    public int msgType;
    public long seqno;
    public int guestDeviceId;
    public int len;
    public final byte[] data = new byte[PAGE];
    /**
     * Bookkeeping only the explorer reads, never the model: whose key sealed the content
     * (-1: none) and a tag of its plaintext (flipped by tampering). Two pages with the same
     * header and ghost hold the same ciphertext, so the canonical state can name a page by
     * these few ints instead of its bytes.
     */
    public int ghostVm = -1;
    public int ghostTag;
    /** The bytes of the last exact save, shared by every snapshot until the page changes. */
    private Contents saved;

    /** memcpy of the whole page, as the kernel does (copy_from_user / kvm_read_guest). */
    public void copyFrom(MsgBuf o) {
        msgType = o.msgType;
        seqno = o.seqno;
        guestDeviceId = o.guestDeviceId;
        len = o.len;
        ghostVm = o.ghostVm;
        ghostTag = o.ghostTag;
        System.arraycopy(o.data, 0, data, 0, PAGE);
    }

    /** Marks the content as sealed by {@code vm}'s channel over {@code plain[0..n)}. */
    public void sealedBy(int vm, byte[] plain, int n) {
        ghostVm = vm;
        ghostTag = TsmFirmware.hash(plain, n);
    }

    /**
     * Exact: header, ghost and the meaningful bytes (data[0..len); the rest of the page is
     * never read before being overwritten). Canonical: header with the sequence number
     * relative to the sealing VM's, and the ghost.
     */
    public void save(tdisp.sim.StateWriter w) {
        if (w.isCanonical()) {
            w.putId(ghostVm);
            w.put(msgType);
            w.putSeq(ghostVm, seqno);
            w.put(guestDeviceId);
            w.put(len);
            w.put(ghostTag);
            return;
        }
        w.put(msgType);
        w.putLong(seqno);
        w.put(guestDeviceId);
        w.put(len);
        w.put(ghostVm);
        w.put(ghostTag);
        int n = Math.max(0, Math.min(len, PAGE));
        if (saved == null || !saved.matches(data, n)) saved = new Contents(Arrays.copyOf(data, n));
        w.putRef(saved);
    }

    public void load(tdisp.sim.StateReader r) {
        msgType = r.get();
        seqno = r.getLong();
        guestDeviceId = r.get();
        len = r.get();
        ghostVm = r.get();
        ghostTag = r.get();
        saved = r.getRef(Contents.class);
        saved.copyTo(data);
    }

    /** A page's meaningful bytes as an exact snapshot keeps them: an immutable copy. */
    public static final class Contents implements Retained {
        private final byte[] bytes;

        private Contents(byte[] bytes) { this.bytes = bytes; }

        boolean matches(byte[] data, int n) { return Arrays.equals(bytes, 0, bytes.length, data, 0, n); }

        void copyTo(byte[] data) { System.arraycopy(bytes, 0, data, 0, bytes.length); }

        /** A hash of the bytes (what a digest of a snapshot compares pages by). */
        public int contentHash() { return Arrays.hashCode(bytes); }
    }

    public byte[] ciphertext() { return Arrays.copyOf(data, len); }
}
