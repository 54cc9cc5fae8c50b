package tdisp.kernel;

import static tdisp.kernel.ThreadRegisters.REQUEST;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import tdisp.sim.Errno;
import tdisp.sim.Event;
import tdisp.sim.KThread;
import tdisp.sim.PathBuilder;
import tdisp.sim.Scheduler;
import tdisp.sim.Sim;

/** The merged drivers/pci/tsm.c semantics, against a recording pci_tsm_ops. */
class PciTsmTest {
    private Sim sim;
    private PciTsm tsm;
    private final List<String> calls = new ArrayList<>();
    private Scheduler sched;

    private final PciTsmOps ops = new PciTsmOps() {
        public String driverName() { return "fake"; }
        public void connect(PathBuilder b) { b.step("connect", t -> calls.add("connect")); }
        public void disconnect(PathBuilder b) { b.step("disconnect", t -> calls.add("disconnect")); }
        public void bind(PathBuilder b) { b.step("bind", t -> calls.add("bind vm" + t.vm)); }
        public void create(PathBuilder b) { b.step("create", t -> calls.add("create vm" + t.vm)); }
        public void lock(PathBuilder b) { b.step("lock", t -> calls.add("lock vm" + t.vm)); }
        public void unlock(PathBuilder b) { b.step("unlock", t -> calls.add("unlock vm" + t.vm)); }
        public void unbind(PathBuilder b) { b.step("unbind", t -> calls.add("unbind vm" + t.vm)); }
        public void guestReq(PathBuilder b) { b.step("guest_req", t -> calls.add("guest_req vm" + t.vm)); }
    };

    @BeforeEach
    void setUp() {
        build(PciTsm.Config.DEFAULT);
    }

    private void build(PciTsm.Config config) {
        sim = new Sim(1);
        tsm = new PciTsm(sim, ops, 2, config);
        sched = new Scheduler(sim, () -> { }, 10_000);
        run(tsm::connect, -1, 0);
        calls.clear();
    }

    private KThread run(Consumer<PathBuilder> body, int vm, int dev) {
        return run(body, vm, dev, 0, null);
    }

    private KThread run(Consumer<PathBuilder> body, int vm, int dev, int arg, TsmRequest msg) {
        PathBuilder b = new PathBuilder(sim);
        body.accept(b);
        KThread t = new KThread(sim.trace().registerThread("t"), "t", b.build("p"));
        t.vm = vm;
        t.dev = dev;
        t.arg = arg;
        t.set(REQUEST, msg);
        assertTrue(sched.runToCompletion(t));
        return t;
    }

    @Test
    void bindIsIdempotentForTheSameKvm() {
        assertEquals(0, run(tsm::bind, 0, 0, 8, null).errno());
        assertEquals(0, run(tsm::bind, 0, 0, 8, null).errno());
        assertEquals(List.of("bind vm0"), calls, "ops->bind runs once");
        assertEquals(0, tsm.boundKvm(0));
    }

    @Test
    void bindToAnotherKvmIsEbusyAndChangesNothing() {
        run(tsm::bind, 0, 0, 8, null);
        KThread t = run(tsm::bind, 1, 0, 8, null);
        assertEquals(Errno.EBUSY, t.errno());
        assertEquals(0, tsm.boundKvm(0));
        assertEquals(List.of("bind vm0"), calls);
    }

    @Test
    void bindWithoutKvmOrWithoutPdevTsmIsEinval() {
        assertEquals(Errno.EINVAL, run(tsm::bind, -1, 0, 8, null).errno());
        run(tsm::disconnect, -1, 1);
        assertEquals(Errno.EINVAL, run(tsm::bind, 0, 1, 8, null).errno(), "no pdev->tsm is -EINVAL (drivers/pci/tsm.c, 7.2)");
        assertTrue(calls.stream().noneMatch(c -> c.startsWith("bind")));
    }

    @Test
    void unbindIsIdempotentAndUsesTheTdisKvm() {
        run(tsm::bind, 1, 0, 8, null);
        run(tsm::unbind, 0, 0); // caller's vm register is not what unbinds
        run(tsm::unbind, 0, 0);
        assertEquals(List.of("bind vm1", "unbind vm1"), calls);
        assertEquals(-1, tsm.boundKvm(0));
    }

    @Test
    void guestReqRefusesDebugScopesAndUnboundDevices() {
        assertEquals(Errno.ENXIO, run(tsm::guestReq, 0, 0, 0, TsmRequest.run()).errno());
        run(tsm::bind, 0, 0, 8, null);
        TsmRequest debug = new TsmRequest(TsmRequest.Op.MESSAGE, TsmRequest.PCI_TSM_REQ_DEBUG_READ, null, null);
        assertEquals(Errno.EINVAL, run(tsm::guestReq, 0, 0, 0, debug).errno());
        TsmRequest write = new TsmRequest(TsmRequest.Op.MESSAGE, TsmRequest.PCI_TSM_REQ_DEBUG_WRITE, null, null);
        assertEquals(Errno.EINVAL, run(tsm::guestReq, 0, 0, 0, write).errno());
        assertEquals(0, run(tsm::guestReq, 1, 0, 0, TsmRequest.run()).errno());
        assertEquals(List.of("bind vm0", "guest_req vm0"), calls, "the request runs as the TDI's kvm, not the caller's");
    }

    @Test
    void disconnectUnbindsFirst() {
        run(tsm::bind, 0, 0, 8, null);
        run(tsm::disconnect, -1, 0);
        assertEquals(List.of("bind vm0", "unbind vm0", "disconnect"), calls);
        assertFalse(tsm.linked(0));
    }

    @Test
    void locksAreTakenInTheMergedOrder() {
        run(tsm::bind, 0, 0, 8, null);
        List<String> locks = new ArrayList<>();
        for (Event e : sim.trace().events()) if (e instanceof Event.Lock l && l.acquire()) locks.add(l.render());
        assertEquals(List.of("down_write(pci_tsm_rwsem)", "mutex_lock(pci_tsm_pf0::lock)", // connect in setUp
                "down_read(pci_tsm_rwsem)", "mutex_lock(pci_tsm_pf0::lock)"), locks);
    }

    @Test
    void removingAPf0TakesTheRwsemForWriteThenUnbindsAndDisconnects() {
        run(tsm::bind, 0, 0, 8, null);
        int mark = sim.trace().events().size();
        run(tsm::destroy, -1, 0);
        assertEquals(List.of("bind vm0", "unbind vm0", "disconnect"), calls, "pci_tsm_destroy -> pci_tsm_disconnect");
        assertEquals(-1, tsm.boundKvm(0));
        assertFalse(tsm.present(0));
        assertFalse(tsm.linked(0));
        String firstLock = null;
        for (Event e : sim.trace().events().subList(mark, sim.trace().events().size())) {
            if (e instanceof Event.Lock l && l.acquire()) { firstLock = l.render(); break; }
        }
        assertEquals("down_write(pci_tsm_rwsem)", firstLock);
    }

    @Test
    void removalWithTheOldPlaceholderDropsTheTdiWithoutUnbind() {
        build(new PciTsm.Config(true, false, true));
        run(tsm::bind, 0, 0, 8, null);
        run(tsm::destroy, -1, 0);
        assertEquals(List.of("bind vm0", "disconnect"), calls);
        assertEquals(-1, tsm.boundKvm(0));
    }
}
