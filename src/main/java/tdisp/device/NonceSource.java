package tdisp.device;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The DSM's nonce generator: SHA-256 in counter mode over the run seed, so a run is
 * reproducible from its seed and no nonce repeats within a run (the counter only grows; it
 * survives STOP, ERROR and conventional reset). Generation index 0 is never used, so 0 can
 * mean "no nonce". The counter is device state: it is in the DSM snapshot, and the
 * explorer's canonical encoding leaves it out (see {@link Dsm#canonicalSnapshot()}).
 */
final class NonceSource {
    private final long seed;
    private final MessageDigest sha;
    private final byte[] block = new byte[32];
    private long counter;
    private boolean entropyFailure;

    NonceSource(long seed) {
        this.seed = seed;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java platform", e);
        }
    }

    /** Next generation index, or 0 if the entropy source failed (LOCK answers INSUFFICIENT_ENTROPY). */
    long next() {
        if (entropyFailure) return 0;
        return ++counter;
    }

    /** The nonce of generation {@code index} (≥ 1): SHA-256(seed ‖ index), both little-endian. */
    Nonce nonce(long index) {
        if (index <= 0) throw new IllegalArgumentException("nonce index " + index);
        tdisp.device.wire.Le.put64(block, 0, seed);
        tdisp.device.wire.Le.put64(block, 8, index);
        sha.update(block, 0, 16);
        try {
            sha.digest(block, 0, 32);
        } catch (java.security.DigestException e) {
            throw new IllegalStateException(e);
        }
        return Nonce.read(block, 0);
    }

    long counter() { return counter; }

    void setCounter(long c) { counter = c; }

    boolean entropyFailure() { return entropyFailure; }

    void setEntropyFailure(boolean on) { entropyFailure = on; }
}
