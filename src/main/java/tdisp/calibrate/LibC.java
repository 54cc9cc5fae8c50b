package tdisp.calibrate;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;

/**
 * The few libc entry points calibration needs, bound by JNA direct mapping: each is a
 * Java {@code native} method JNA links straight to the symbol, so a call costs one JNI
 * transition and no reflection or varargs marshalling (the {@code Library} interface
 * path). Pointers travel as {@code long} addresses so no argument is converted on the
 * hot calls. {@code ioctl} is variadic in C; on x86-64 passing the third argument in a
 * fixed integer slot is what every caller compiled against {@code <sys/ioctl.h>} does.
 */
final class LibC {
    static final int O_RDWR = 2;
    static final int O_CLOEXEC = 0x80000;
    static final int PROT_READ = 1;
    static final int PROT_WRITE = 2;
    static final int MAP_SHARED = 1;
    static final int MAP_ANONYMOUS = 0x20;
    static final long MAP_FAILED = -1L;
    static final int MFD_CLOEXEC = 1;
    static final int EINTR = 4;

    static {
        Native.register(LibC.class, NativeLibrary.getInstance(Platform.C_LIBRARY_NAME));
    }

    private LibC() {}

    static native int open(String path, int flags);

    static native int close(int fd);

    static native int ioctl(int fd, long request, long arg);

    static native long mmap(long addr, long length, int prot, int flags, int fd, long offset);

    static native int munmap(long addr, long length);

    static native long pread(int fd, long buf, long count, long offset);

    static native long pwrite(int fd, long buf, long count, long offset);

    static native int memfd_create(String name, int flags);

    static native int ftruncate(int fd, long length);

    /** A real system call on every glibc since 2.25 (no pid cache), with no arguments and no work. */
    static native int getppid();

    /** Returns its argument's absolute value and enters no kernel: the cost of the JNA call itself. */
    static native long labs(long x);

    static native String strerror(int errnum);

    /** errno of the calling thread's last native call (JNA saves it after each call). */
    static int errno() { return Native.getLastError(); }

    static String lastError() {
        int e = errno();
        return strerror(e);
    }
}
