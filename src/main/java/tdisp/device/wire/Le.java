package tdisp.device.wire;

/** Little-endian field access; every TDISP, SPDM and DOE field is little-endian. */
public final class Le {
    private Le() {}

    public static int u8(byte[] b, int off) { return b[off] & 0xFF; }

    public static int u16(byte[] b, int off) { return (b[off] & 0xFF) | (b[off + 1] & 0xFF) << 8; }

    public static long u32(byte[] b, int off) { return (u16(b, off) | (long) u16(b, off + 2) << 16) & 0xFFFF_FFFFL; }

    public static long u64(byte[] b, int off) { return u32(b, off) | u32(b, off + 4) << 32; }

    public static void put8(byte[] b, int off, int v) { b[off] = (byte) v; }

    public static void put16(byte[] b, int off, int v) {
        b[off] = (byte) v;
        b[off + 1] = (byte) (v >>> 8);
    }

    public static void put32(byte[] b, int off, long v) {
        put16(b, off, (int) v);
        put16(b, off + 2, (int) (v >>> 16));
    }

    public static void put64(byte[] b, int off, long v) {
        put32(b, off, v);
        put32(b, off + 4, v >>> 32);
    }

    public static void zero(byte[] b, int off, int len) {
        for (int i = 0; i < len; i++) b[off + i] = 0;
    }
}
