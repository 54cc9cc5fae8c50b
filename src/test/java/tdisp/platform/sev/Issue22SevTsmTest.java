package tdisp.platform.sev;

import static tdisp.kernel.ThreadRegisters.REQUEST;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.function.Consumer;

import org.junit.jupiter.api.Test;

import tdisp.firmware.TsmFirmware;
import tdisp.device.MmioRange;
import tdisp.device.Origin;
import tdisp.device.PciFunction;
import tdisp.device.TdiState;
import tdisp.iommu.Iommu;
import tdisp.kernel.PciTsm;
import tdisp.kernel.TsmRequest;
import tdisp.sim.Errno;
import tdisp.sim.KThread;
import tdisp.sim.PathBuilder;
import tdisp.sim.Scheduler;
import tdisp.sim.Sim;

/**
 * Issue 22, point 11 (AMD's half): "AMD's {@code tdi_run()} reads {@code TIO_TDI_STATUS} and
 * refuses unless CONFIG_LOCKED; a failed {@code TIO_TDI_STATUS} in {@code tdi_unbind()} is
 * logged and the unbind goes on" (AMDESE/linux-iommu 1538db64,
 * drivers/crypto/ccp/sev-dev-tsm.c). Lives here, not in tdisp.issues, because only the
 * platform packages may import a platform.
 */
class Issue22SevTsmTest {
    private final Sim sim = new Sim(7);
    private final PciFunction dev = new PciFunction(0x4100, 0, List.of(new MmioRange(0, 0, 0x10000, true)), sim.split());
    private final SevFirmware fw = new SevFirmware(sim, List.of(dev), new Iommu(sim, new int[] {0x4100}, 2, Iommu.Config.fencing(true)), 2, TsmFirmware.Faults.NONE);
    private final SevDevTsm ops = new SevDevTsm(sim, fw);
    private final PciTsm tsm = new PciTsm(sim, ops, 1, PciTsm.Config.DEFAULT);
    private final Scheduler sched = new Scheduler(sim, () -> { }, 100_000);

    private KThread run(Consumer<PathBuilder> body, TsmRequest msg) {
        PathBuilder b = new PathBuilder(sim);
        body.accept(b);
        KThread t = new KThread(sim.trace().registerThread("t"), "t", b.build("p"));
        t.vm = 0;
        t.dev = 0;
        t.arg = 8;
        t.set(REQUEST, msg);
        assertTrue(sched.runToCompletion(t));
        return t;
    }

    private String trace() {
        StringBuilder s = new StringBuilder();
        for (var e : sim.trace().events()) s.append(e).append('\n');
        return s.toString();
    }

    private void bound() {
        sim.trace().setRecording(true);
        fw.launch(0);
        dev.configWriteCommand(PciFunction.PCI_COMMAND_MEMORY | PciFunction.PCI_COMMAND_MASTER, Origin.HOST);
        assertEquals(0, run(tsm::connect, null).errno());
        assertEquals(0, run(tsm::bind, null).errno());
        assertEquals(TdiState.CONFIG_LOCKED, dev.tdiState());
    }

    @Test
    void tdiRunRefusesATdiThatIsNotConfigLockedWithoutAskingThePspToStart() {
        bound();
        dev.configWriteCommand(PciFunction.PCI_COMMAND_MEMORY, Origin.HOST); // BME clear: ERROR
        assertEquals(TdiState.ERROR, dev.tdiState());
        KThread t = run(tsm::guestReq, TsmRequest.run());
        assertEquals(Errno.EFAULT, t.errno());
        assertFalse(trace().contains("RUN_FORCE"), trace());
    }

    @Test
    void tdiRunOfATdiAlreadyInRunSucceeds() {
        bound();
        assertEquals(0, run(tsm::guestReq, TsmRequest.run()).errno());
        assertEquals(TdiState.RUN, dev.tdiState());
        assertEquals(0, run(tsm::guestReq, TsmRequest.run()).errno());
        assertEquals(TdiState.RUN, dev.tdiState());
    }

    @Test
    void aFailedStatusReadInTdiUnbindIsLoggedAndTheUnbindGoesOn() {
        bound();
        dev.conventionalReset(Origin.HOST); // SPDM session lost (§11.4.8): GET_STATE goes unanswered
        KThread t = run(tsm::unbind, null);
        assertEquals(0, t.errno());
        assertTrue(trace().contains("TDI status failed to read"), trace());
        assertTrue(trace().contains("TIO_TDI_RECLAIM"), trace());
        assertEquals(-1, tsm.boundKvm(0));
    }
}
