package tdisp.sim;

/** The Linux errno values the modeled paths return (include/uapi/asm-generic/errno-base.h). */
public final class Errno {
    public static final int OK = 0;
    public static final int EPERM = 1;
    public static final int ENOENT = 2;
    public static final int EIO = 5;
    public static final int ENXIO = 6;
    public static final int EBADF = 9;
    public static final int EACCES = 13;
    public static final int EFAULT = 14;
    public static final int EBUSY = 16;
    public static final int EEXIST = 17;
    public static final int ENODEV = 19;
    public static final int EINVAL = 22;
    public static final int ENOTTY = 25;
    public static final int EOPNOTSUPP = 95;
    public static final int ETIMEDOUT = 110;

    private Errno() {}

    public static String name(int errno) {
        return switch (errno) {
            case OK -> "0";
            case EPERM -> "-EPERM";
            case ENOENT -> "-ENOENT";
            case EIO -> "-EIO";
            case ENXIO -> "-ENXIO";
            case EBADF -> "-EBADF";
            case EACCES -> "-EACCES";
            case EFAULT -> "-EFAULT";
            case EBUSY -> "-EBUSY";
            case EEXIST -> "-EEXIST";
            case ENODEV -> "-ENODEV";
            case EINVAL -> "-EINVAL";
            case ENOTTY -> "-ENOTTY";
            case EOPNOTSUPP -> "-EOPNOTSUPP";
            case ETIMEDOUT -> "-ETIMEDOUT";
            default -> "-" + errno;
        };
    }
}
