package tdisp.calibrate;

import static tdisp.calibrate.KvmUapi.*;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import com.sun.jna.Pointer;

/**
 * A one-vCPU VM whose whole memory is one 4 KiB page of real-mode code in its own
 * KVM_SET_USER_MEMORY_REGION slot, the smallest guest that makes KVM take the exits the
 * routing designs differ by. The set-up is the one kvm-unit-tests and every VMM do by
 * hand: KVM_CREATE_VM, KVM_SET_TSS_ADDR (VMX real mode without unrestricted guest needs
 * it), the memory slot, KVM_CREATE_VCPU, mmap of struct kvm_run (KVM_GET_VCPU_MMAP_SIZE
 * bytes), then flat real-mode segments and RIP at one of three loops:
 *
 * <ul>
 * <li>{@link Loop#CPUID}: {@code ITERATIONS} x (xor eax,eax; cpuid; dec si; jnz), then
 *     out 0x10 and back. x86 KVM answers CPUID itself (kvm_emulate_cpuid), so one KVM_RUN
 *     carries that many in-kernel exits and one exit to userspace;</li>
 * <li>{@link Loop#BUSY}: the same loop without the cpuid: what the loop costs with no exit
 *     (near zero on VMX/SVM; on a host that emulates real mode, its emulation cost);</li>
 * <li>{@link Loop#OUT}: out 0x10; jmp back: every KVM_RUN returns KVM_EXIT_IO to us.</li>
 * </ul>
 */
public final class RealModeGuest implements AutoCloseable {
    public enum Loop {
        CPUID(0x000), BUSY(0x100), OUT(0x200);

        final int offset;

        Loop(int offset) { this.offset = offset; }
    }

    /** In-kernel exits per KVM_RUN in the CPUID loop (and loop turns in BUSY). */
    public static final int ITERATIONS = 1000;
    public static final int GUEST_PHYS = 0x1000;
    public static final int PORT = 0x10;
    static final int PAGE = 4096;
    static final int COUNT_AT = 0xF00;

    private static final byte[] CPUID_LOOP = bytes(
            0x8B, 0x36, 0x00, 0x1F, // mov si, [0x1F00]
            0x66, 0x31, 0xC0,       // xor eax, eax      (leaf 0)
            0x0F, 0xA2,             // cpuid             (exit, answered in the kernel)
            0x4E,                   // dec si
            0x75, 0xF8,             // jnz -> xor
            0xE6, PORT,             // out 0x10, al      (exit to userspace)
            0xEB, 0xF0);            // jmp -> mov
    private static final byte[] BUSY_LOOP = bytes(
            0x8B, 0x36, 0x00, 0x1F, 0x66, 0x31, 0xC0, 0x4E, 0x75, 0xFA, 0xE6, PORT, 0xEB, 0xF2);
    private static final byte[] OUT_LOOP = bytes(0xE6, PORT, 0xEB, 0xFC);

    /** Where RIP stands after each loop's OUT exit: the jmp following it. */
    public static long ripAfterOut(Loop loop) {
        int len = switch (loop) {
            case CPUID -> CPUID_LOOP.length;
            case BUSY -> BUSY_LOOP.length;
            case OUT -> OUT_LOOP.length;
        };
        return GUEST_PHYS + loop.offset + len - 2;
    }

    private final int kvm;
    private final int vm;
    private final int vcpu;
    private final long mem;
    private final long run;
    private final long runSize;
    private final ByteBuffer kvmRun;

    private RealModeGuest(int kvm, int vm, int vcpu, long mem, long run, long runSize) {
        this.kvm = kvm;
        this.vm = vm;
        this.vcpu = vcpu;
        this.mem = mem;
        this.run = run;
        this.runSize = runSize;
        this.kvmRun = new Pointer(run).getByteBuffer(0, runSize).order(ByteOrder.nativeOrder());
    }

    /** Builds the VM with RIP at the loop; throws {@link KvmUnavailableException} naming the failed step. */
    public static RealModeGuest create(String device, Loop loop) {
        int kvm = KvmDevice.open(device);
        int vm = -1, vcpu = -1;
        long mem = MAP_FAILED_ADDR, run = MAP_FAILED_ADDR, runSize = 0;
        try {
            if (LibC.ioctl(kvm, KVM_CHECK_EXTENSION, KVM_CAP_USER_MEMORY) <= 0) throw fail(device, "KVM_CAP_USER_MEMORY missing");
            vm = check(device, "KVM_CREATE_VM", LibC.ioctl(kvm, KVM_CREATE_VM, 0));
            check(device, "KVM_SET_TSS_ADDR", LibC.ioctl(vm, KVM_SET_TSS_ADDR, 0xfffbd000L));
            mem = LibC.mmap(0, PAGE, LibC.PROT_READ | LibC.PROT_WRITE, LibC.MAP_SHARED | LibC.MAP_ANONYMOUS, -1, 0);
            if (mem == LibC.MAP_FAILED) throw fail(device, "mmap of guest memory: " + LibC.lastError());
            Pointer page = new Pointer(mem);
            page.write(Loop.CPUID.offset, CPUID_LOOP, 0, CPUID_LOOP.length);
            page.write(Loop.BUSY.offset, BUSY_LOOP, 0, BUSY_LOOP.length);
            page.write(Loop.OUT.offset, OUT_LOOP, 0, OUT_LOOP.length);
            page.setShort(COUNT_AT, (short) ITERATIONS);
            try (com.sun.jna.Memory region = new com.sun.jna.Memory(SIZEOF_MEMORY_REGION)) {
                region.setInt(0, 0);            // slot
                region.setInt(4, 0);            // flags
                region.setLong(8, GUEST_PHYS);  // guest_phys_addr
                region.setLong(16, PAGE);       // memory_size
                region.setLong(24, mem);        // userspace_addr
                check(device, "KVM_SET_USER_MEMORY_REGION", LibC.ioctl(vm, KVM_SET_USER_MEMORY_REGION, Pointer.nativeValue(region)));
            }
            vcpu = check(device, "KVM_CREATE_VCPU", LibC.ioctl(vm, KVM_CREATE_VCPU, 0));
            runSize = check(device, "KVM_GET_VCPU_MMAP_SIZE", LibC.ioctl(kvm, KVM_GET_VCPU_MMAP_SIZE, 0));
            run = LibC.mmap(0, runSize, LibC.PROT_READ | LibC.PROT_WRITE, LibC.MAP_SHARED, vcpu, 0);
            if (run == LibC.MAP_FAILED) throw fail(device, "mmap of kvm_run: " + LibC.lastError());
            RealModeGuest g = new RealModeGuest(kvm, vm, vcpu, mem, run, runSize);
            g.enterRealMode(device, loop);
            return g;
        } catch (RuntimeException e) {
            if (run != MAP_FAILED_ADDR) LibC.munmap(run, runSize);
            if (vcpu >= 0) LibC.close(vcpu);
            if (mem != MAP_FAILED_ADDR) LibC.munmap(mem, PAGE);
            if (vm >= 0) LibC.close(vm);
            LibC.close(kvm);
            throw e;
        }
    }

    private static final long MAP_FAILED_ADDR = LibC.MAP_FAILED;

    /** Flat real mode: CS, DS, ES, SS with base 0 and selector 0 (the reset state has CS at 0xF000). */
    private void enterRealMode(String device, Loop loop) {
        try (com.sun.jna.Memory sregs = new com.sun.jna.Memory(SIZEOF_SREGS); com.sun.jna.Memory regs = new com.sun.jna.Memory(SIZEOF_REGS)) {
            check(device, "KVM_GET_SREGS", LibC.ioctl(vcpu, KVM_GET_SREGS, Pointer.nativeValue(sregs)));
            for (int seg : new int[] {0, 1, 2, 5}) { // cs, ds, es, ss
                sregs.setLong((long) seg * SEGMENT_SIZE, 0);
                sregs.setShort((long) seg * SEGMENT_SIZE + SEG_SELECTOR, (short) 0);
            }
            check(device, "KVM_SET_SREGS", LibC.ioctl(vcpu, KVM_SET_SREGS, Pointer.nativeValue(sregs)));
            regs.clear();
            regs.setLong(REGS_RIP, GUEST_PHYS + loop.offset);
            regs.setLong(REGS_RFLAGS, 2); // bit 1 is reserved and must be set
            check(device, "KVM_SET_REGS", LibC.ioctl(vcpu, KVM_SET_REGS, Pointer.nativeValue(regs)));
        }
    }

    /**
     * One KVM_RUN until the guest's next exit to us; returns kvm_run.exit_reason. A signal
     * (EINTR, KVM_EXIT_INTR) re-enters, as a VMM does. The hot path allocates nothing.
     */
    public int enter() {
        while (true) {
            int rc = LibC.ioctl(vcpu, KVM_RUN, 0);
            if (rc == 0) return kvmRun.getInt(RUN_EXIT_REASON);
            if (LibC.errno() != LibC.EINTR) throw new IllegalStateException("KVM_RUN: " + LibC.lastError());
        }
    }

    /** One KVM_RUN that must end in the guest's OUT to {@link #PORT}; anything else is a broken guest. */
    public int enterExpectingOut() {
        int reason = enter();
        if (reason != KVM_EXIT_IO || ioPort() != PORT) {
            throw new IllegalStateException("guest exit_reason " + reason + " port " + ioPort() + ", expected KVM_EXIT_IO to port " + PORT);
        }
        return reason;
    }

    public int ioPort() { return kvmRun.getShort(RUN_IO_PORT) & 0xffff; }

    public int ioDirection() { return kvmRun.get(RUN_IO_DIRECTION); }

    public int ioSize() { return kvmRun.get(RUN_IO_SIZE); }

    public int ioCount() { return kvmRun.getInt(RUN_IO_COUNT); }

    /** RIP and SI as KVM_GET_REGS reports them (tests read where the guest stopped). */
    public long[] ripAndSi() {
        try (com.sun.jna.Memory regs = new com.sun.jna.Memory(SIZEOF_REGS)) {
            check("vcpu", "KVM_GET_REGS", LibC.ioctl(vcpu, KVM_GET_REGS, Pointer.nativeValue(regs)));
            return new long[] {regs.getLong(REGS_RIP), regs.getLong(REGS_RSI) & 0xffff};
        }
    }

    @Override
    public void close() {
        LibC.munmap(run, runSize);
        LibC.close(vcpu);
        LibC.munmap(mem, PAGE);
        LibC.close(vm);
        LibC.close(kvm);
    }

    private static int check(String device, String what, int rc) {
        if (rc < 0) throw fail(device, what + ": " + LibC.lastError());
        return rc;
    }

    private static KvmUnavailableException fail(String device, String what) {
        return new KvmUnavailableException(device + ": " + what);
    }

    private static byte[] bytes(int... b) {
        byte[] out = new byte[b.length];
        for (int i = 0; i < b.length; i++) out[i] = (byte) b[i];
        return out;
    }
}
