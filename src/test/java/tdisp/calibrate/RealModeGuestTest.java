package tdisp.calibrate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.api.Test;

/**
 * The guest runs on this host's KVM and exits where and as often as it should. Exit
 * reasons and counts, never timings. Skipped (with the reason) where /dev/kvm is absent.
 */
class RealModeGuestTest {
    private static void assumeKvm() {
        String why;
        try {
            KvmDevice.probe(KvmDevice.DEFAULT);
            why = null;
        } catch (KvmUnavailableException e) {
            why = e.getMessage();
        }
        assumeTrue(why == null, "KVM unavailable: " + why);
    }

    @Test
    void ioctlNumbersAreTheOnesTheKernelHeaderEncodes() {
        // values of the macros in include/uapi/linux/kvm.h as a C compiler gives them on x86-64
        assertEquals(0xae00L, KvmUapi.KVM_GET_API_VERSION);
        assertEquals(0xae01L, KvmUapi.KVM_CREATE_VM);
        assertEquals(0xae03L, KvmUapi.KVM_CHECK_EXTENSION);
        assertEquals(0xae04L, KvmUapi.KVM_GET_VCPU_MMAP_SIZE);
        assertEquals(0xae41L, KvmUapi.KVM_CREATE_VCPU);
        assertEquals(0x4020ae46L, KvmUapi.KVM_SET_USER_MEMORY_REGION);
        assertEquals(0xae47L, KvmUapi.KVM_SET_TSS_ADDR);
        assertEquals(0xae80L, KvmUapi.KVM_RUN);
        assertEquals(0x8090ae81L, KvmUapi.KVM_GET_REGS);
        assertEquals(0x4090ae82L, KvmUapi.KVM_SET_REGS);
        assertEquals(0x8138ae83L, KvmUapi.KVM_GET_SREGS);
        assertEquals(0x4138ae84L, KvmUapi.KVM_SET_SREGS);
    }

    @Test
    void theCpuidLoopRunsAllItsTurnsInTheKernelAndThenExitsToUsOnItsPort() {
        assumeKvm();
        try (RealModeGuest g = RealModeGuest.create(KvmDevice.DEFAULT, RealModeGuest.Loop.CPUID)) {
            for (int run = 0; run < 5; run++) {
                assertEquals(KvmUapi.KVM_EXIT_IO, g.enter(), "exit_reason of KVM_RUN " + run);
                assertEquals(RealModeGuest.PORT, g.ioPort());
                assertEquals(KvmUapi.KVM_EXIT_IO_OUT, g.ioDirection());
                assertEquals(1, g.ioSize());
                assertEquals(1, g.ioCount());
                // SI counted all ITERATIONS CPUIDs down to 0 before the OUT; RIP is on the jmp after it
                assertArrayEquals(new long[] {RealModeGuest.ripAfterOut(RealModeGuest.Loop.CPUID), 0}, g.ripAndSi(), "after KVM_RUN " + run);
            }
        }
    }

    @Test
    void theOutLoopReturnsToUsOnEveryEntry() {
        assumeKvm();
        try (RealModeGuest g = RealModeGuest.create(KvmDevice.DEFAULT, RealModeGuest.Loop.OUT)) {
            int outs = 0;
            for (int run = 0; run < 7; run++) {
                g.enterExpectingOut();
                outs++;
                assertEquals(RealModeGuest.ripAfterOut(RealModeGuest.Loop.OUT), g.ripAndSi()[0]);
            }
            assertEquals(7, outs);
        }
    }

    @Test
    void theBusyLoopAlsoCountsDownBeforeItsOut() {
        assumeKvm();
        try (RealModeGuest g = RealModeGuest.create(KvmDevice.DEFAULT, RealModeGuest.Loop.BUSY)) {
            g.enterExpectingOut();
            assertArrayEquals(new long[] {RealModeGuest.ripAfterOut(RealModeGuest.Loop.BUSY), 0}, g.ripAndSi());
        }
    }

    @Test
    void aMissingDeviceIsUnavailableWithOneLineNamingIt() {
        KvmUnavailableException e = org.junit.jupiter.api.Assertions.assertThrows(KvmUnavailableException.class,
                () -> KvmDevice.probe("/nonexistent/kvm"));
        assertEquals(1, e.getMessage().lines().count());
        org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().startsWith("/nonexistent/kvm: "), e.getMessage());
    }
}
