package tdisp.calibrate;

/**
 * Opening /dev/kvm and asking it KVM_GET_API_VERSION: what `tdisp calibrate` checks before
 * it starts JMH, so a machine without KVM gets one line instead of a failed fork.
 */
public final class KvmDevice {
    /** The device the benchmarks open; the forks read it from this system property. */
    public static final String PROPERTY = "tdisp.kvm.device";
    public static final String DEFAULT = "/dev/kvm";

    private KvmDevice() {}

    public static String path() { return System.getProperty(PROPERTY, DEFAULT); }

    /** Throws {@link KvmUnavailableException} unless the device opens read-write and speaks KVM API 12. */
    public static void probe(String device) {
        int fd = open(device);
        try {
            int v = LibC.ioctl(fd, KvmUapi.KVM_GET_API_VERSION, 0);
            if (v != KvmUapi.API_VERSION) throw new KvmUnavailableException(device + ": KVM_GET_API_VERSION gave " + v + ", expected " + KvmUapi.API_VERSION);
        } finally {
            LibC.close(fd);
        }
    }

    static int open(String device) {
        String os = System.getProperty("os.name", "") + "/" + System.getProperty("os.arch", "");
        if (!os.equals("Linux/amd64")) throw new KvmUnavailableException(device + ": calibration needs x86-64 Linux, this is " + os);
        int fd;
        try {
            fd = LibC.open(device, LibC.O_RDWR | LibC.O_CLOEXEC);
        } catch (UnsatisfiedLinkError | NoClassDefFoundError e) {
            throw new KvmUnavailableException(device + ": no native access (" + e.getMessage() + ")");
        }
        if (fd < 0) throw new KvmUnavailableException(device + ": " + LibC.lastError());
        return fd;
    }
}
