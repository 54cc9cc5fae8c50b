package tdisp.firmware;

/**
 * What the firmware gives a guest at launch (the SNP secrets page / TD binding): its end
 * of the message channel. It lives in guest-private memory, so no host component gets it.
 */
public final class GuestKeys {
    private final SecureChannel channel;

    GuestKeys(byte[] key) {
        this.channel = new SecureChannel(key);
    }

    public SecureChannel channel() { return channel; }
}
