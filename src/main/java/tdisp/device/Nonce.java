package tdisp.device;

/**
 * START_INTERFACE_NONCE: 32 bytes (TDISP §11.3.9, Table 11-13; libspdm
 * {@code PCI_TDISP_START_INTERFACE_NONCE_SIZE}), held as four little-endian words so that it
 * compares by value and packs into snapshots without arrays.
 */
public record Nonce(long w0, long w1, long w2, long w3) {
    public static final int BYTES = 32;

    public long word(int i) {
        return switch (i) { case 0 -> w0; case 1 -> w1; case 2 -> w2; case 3 -> w3; default -> throw new IndexOutOfBoundsException(i); };
    }

    /** Reads 32 bytes at {@code off}. */
    public static Nonce read(byte[] b, int off) {
        return new Nonce(tdisp.device.wire.Le.u64(b, off), tdisp.device.wire.Le.u64(b, off + 8),
                tdisp.device.wire.Le.u64(b, off + 16), tdisp.device.wire.Le.u64(b, off + 24));
    }

    /** Writes the 32 bytes at {@code off}. */
    public void write(byte[] b, int off) {
        for (int i = 0; i < 4; i++) tdisp.device.wire.Le.put64(b, off + 8 * i, word(i));
    }

    /** True if the 32 bytes at {@code off} are this nonce (no allocation). */
    public boolean matches(byte[] b, int off) {
        for (int i = 0; i < 4; i++) if (tdisp.device.wire.Le.u64(b, off + 8 * i) != word(i)) return false;
        return true;
    }

    @Override
    public String toString() { return String.format("Nonce[%016x..]", w0); }
}
