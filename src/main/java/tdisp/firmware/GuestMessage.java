package tdisp.firmware;

import java.nio.ByteBuffer;

/**
 * The plaintext of one guest-to-TSM message. On AMD these are the TIO guest messages
 * carried by TIO_GUEST_REQUEST (SEV-TIO spec #58271; msg_type numbers from the phase2
 * guest, lore 20260225053806.3311234-1-aik@amd.com); on TDX the TD's TDG.DEVIF.REQUEST
 * intent, which the module authenticates the same way. Only the guest and the firmware
 * ever see these bytes in clear.
 */
public record GuestMessage(Type type, int guestDeviceId, long arg) {

    /** Message types; {@code wire} is the SNP msg_type of the request. */
    public enum Type {
        TDI_INFO(19), MMIO_VALIDATE(21), MMIO_CONFIG(23), SDTE_WRITE(25),
        /** TDX: TDG.DEVIF.REQUEST(START) carried by the VMM as TDH.DEVIF.REQUEST(td_flag=1). */
        TDISP_START(0x86);

        private final int wire;
        private final String fwName;

        Type(int wire) {
            this.wire = wire;
            this.fwName = "TIO_GUEST_REQUEST(TIO_MSG_" + name() + "_REQ)";
        }

        public int wire() { return wire; }

        /** The firmware command as the trace names it (built once: no allocation per request). */
        public String fwName() { return fwName; }
    }

    public static final int BYTES = 16;

    public byte[] encode() {
        return ByteBuffer.allocate(BYTES).putInt(type.ordinal()).putInt(guestDeviceId).putLong(arg).array();
    }

    /** Allocation-free encode into out[0..16). */
    public static int encode(Type type, int guestDeviceId, long arg, byte[] out) {
        Gcm.putInt(out, 0, type.ordinal());
        Gcm.putInt(out, 4, guestDeviceId);
        Gcm.putLong(out, 8, arg);
        return BYTES;
    }

    private static final Type[] TYPES = Type.values();

    /** The type of an encoded message, or null if malformed. */
    public static Type typeOf(byte[] b) {
        int t = (int) (Gcm.getLong(b, 0) >>> 32);
        return t < 0 || t >= TYPES.length ? null : TYPES[t];
    }

    public static int guestDeviceIdOf(byte[] b) { return (int) Gcm.getLong(b, 0); }

    public static long argOf(byte[] b) { return Gcm.getLong(b, 8); }
}
