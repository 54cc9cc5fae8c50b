package tdisp.calibrate;

/**
 * The KVM ioctls and exit reasons calibration uses, as include/uapi/linux/kvm.h defines
 * them: numbers built with the _IO/_IOR/_IOW encoding of include/uapi/asm-generic/ioctl.h
 * over KVMIO (0xAE) and the x86 sizes of struct kvm_regs (144 bytes), kvm_sregs (312) and
 * kvm_userspace_memory_region (32).
 */
final class KvmUapi {
    static final int KVMIO = 0xAE;
    static final int API_VERSION = 12;

    static final int SIZEOF_REGS = 144;
    static final int SIZEOF_SREGS = 312;
    static final int SIZEOF_MEMORY_REGION = 32;

    static final long KVM_GET_API_VERSION = io(0x00);
    static final long KVM_CREATE_VM = io(0x01);
    static final long KVM_CHECK_EXTENSION = io(0x03);
    static final long KVM_GET_VCPU_MMAP_SIZE = io(0x04);
    static final long KVM_CREATE_VCPU = io(0x41);
    static final long KVM_SET_USER_MEMORY_REGION = iow(0x46, SIZEOF_MEMORY_REGION);
    static final long KVM_SET_TSS_ADDR = io(0x47);
    static final long KVM_RUN = io(0x80);
    static final long KVM_GET_REGS = ior(0x81, SIZEOF_REGS);
    static final long KVM_SET_REGS = iow(0x82, SIZEOF_REGS);
    static final long KVM_GET_SREGS = ior(0x83, SIZEOF_SREGS);
    static final long KVM_SET_SREGS = iow(0x84, SIZEOF_SREGS);

    static final int KVM_CAP_USER_MEMORY = 3;

    /** struct kvm_run: __u32 exit_reason at offset 8; the io member of the exit union at 32. */
    static final int RUN_EXIT_REASON = 8;
    static final int RUN_IO_DIRECTION = 32;
    static final int RUN_IO_SIZE = 33;
    static final int RUN_IO_PORT = 34;
    static final int RUN_IO_COUNT = 36;

    static final int KVM_EXIT_IO = 2;
    static final int KVM_EXIT_INTR = 10;
    static final int KVM_EXIT_IO_OUT = 1;

    /** struct kvm_regs: 16 general registers, then rip and rflags (__u64 each). */
    static final int REGS_RSI = 4 * 8;
    static final int REGS_RIP = 16 * 8;
    static final int REGS_RFLAGS = 17 * 8;

    /** struct kvm_sregs starts with cs, ds, es, fs, gs, ss (struct kvm_segment, 24 bytes: base, limit, selector...). */
    static final int SEGMENT_SIZE = 24;
    static final int SEG_SELECTOR = 12;

    private KvmUapi() {}

    private static long ioc(long dir, int nr, int size) { return dir << 30 | (long) size << 16 | KVMIO << 8 | nr; }

    static long io(int nr) { return ioc(0, nr, 0); }

    static long iow(int nr, int size) { return ioc(1, nr, size); }

    static long ior(int nr, int size) { return ioc(2, nr, size); }
}
