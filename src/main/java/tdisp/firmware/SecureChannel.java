package tdisp.firmware;

import java.util.SplittableRandom;

/**
 * One end of the guest <-> firmware message channel: AES-256-GCM under a key only the
 * guest and the firmware hold (AMD: VMPCK from the SNP secrets page; TDX: the TD's
 * binding with the module). The sequence number is both the IV and part of the AAD, as in
 * the SNP guest message header, so a replayed or reordered message fails to open.
 * Allocation-free after construction.
 */
public final class SecureChannel {
    private final Gcm gcm;
    private final byte[] iv = new byte[12];
    private final byte[] aad = new byte[12];

    SecureChannel(byte[] key) {
        this.gcm = new Gcm(key.clone());
    }

    /** Derives a fresh 256-bit key from the run's seeded random source. */
    static byte[] newKey(SplittableRandom rng) {
        byte[] k = new byte[32];
        rng.nextBytes(k);
        return k;
    }

    private void header(long seq, int msgType) {
        Gcm.putInt(iv, 0, 0x54494f00);
        Gcm.putLong(iv, 4, seq);
        Gcm.putLong(aad, 0, seq);
        Gcm.putInt(aad, 8, msgType);
    }

    /** Seals plain[0..len) into out (ciphertext then tag); returns the sealed length. */
    public int seal(long seq, int msgType, byte[] plain, int len, byte[] out) {
        header(seq, msgType);
        return gcm.seal(iv, aad, 12, plain, len, out);
    }

    /** Opens in[0..len) into out; returns the plaintext length, or -1 if anything was altered. */
    public int open(long seq, int msgType, byte[] in, int len, byte[] out) {
        header(seq, msgType);
        return gcm.open(iv, aad, 12, in, len, out);
    }

    public byte[] seal(long seq, int msgType, byte[] plaintext) {
        byte[] out = new byte[plaintext.length + 16];
        seal(seq, msgType, plaintext, plaintext.length, out);
        return out;
    }

    /** @return the plaintext, or null if the ciphertext, sequence number or type was altered */
    public byte[] open(long seq, int msgType, byte[] ciphertext) {
        byte[] out = new byte[Math.max(0, ciphertext.length - 16)];
        return open(seq, msgType, ciphertext, ciphertext.length, out) < 0 ? null : out;
    }
}
