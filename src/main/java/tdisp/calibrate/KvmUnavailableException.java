package tdisp.calibrate;

/** /dev/kvm (or native access to it) is missing or refused; the message is one line saying which. */
public final class KvmUnavailableException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public KvmUnavailableException(String message) { super(message); }
}
