package tdisp.firmware;

/**
 * A guest request as the host carries it: the header fields the HV can read (SEV-TIO
 * exposes msg_type, the sequence number and the guest device id in clear, §4.4 of the
 * domain notes) and the ciphertext it cannot.
 */
public record SealedRequest(int msgType, long seqno, int guestDeviceId, byte[] ciphertext) {
    public SealedRequest withCiphertext(byte[] c) { return new SealedRequest(msgType, seqno, guestDeviceId, c); }
}
