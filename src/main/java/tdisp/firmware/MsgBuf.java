package tdisp.firmware;

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

    /** memcpy of the whole page, as the kernel does (copy_from_user / kvm_read_guest). */
    public void copyFrom(MsgBuf o) {
        msgType = o.msgType;
        seqno = o.seqno;
        guestDeviceId = o.guestDeviceId;
        len = o.len;
        System.arraycopy(o.data, 0, data, 0, PAGE);
    }

    public byte[] ciphertext() { return java.util.Arrays.copyOf(data, len); }
}
