package tdisp.device;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static tdisp.device.TlpResult.COMPLETED;
import static tdisp.device.TlpResult.MASTER_ABORT;
import static tdisp.device.TlpResult.NOT_ISSUED;
import static tdisp.device.TlpResult.UNSUPPORTED_REQUEST;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import tdisp.device.Fixture.Start;

/** Requester and completer TLP rules, tdisp.md §2.6 (TDISP §11.2.1). */
class DataPathTest {

    /** Records what reached upstream and answers with a fixed result. */
    static final class RecordingUpstream implements Upstream {
        record Write(int rid, long address, boolean tee) {}
        final List<Write> writes = new ArrayList<>();
        TlpResult answer = COMPLETED;

        @Override
        public TlpResult memoryWrite(int requesterId, long address, boolean teeBit) {
            writes.add(new Write(requesterId, address, teeBit));
            return answer;
        }
    }

    @ParameterizedTest
    @EnumSource(Start.class)
    void teeDmaOnlyInRun(Start start) {
        PciFunction d = Fixture.drive(start).dev();
        RecordingUpstream up = new RecordingUpstream();
        TlpResult r = d.dmaWrite(up, 0x1000, true);
        if (start.state == TdiState.RUN) {
            assertEquals(COMPLETED, r);
            assertEquals(List.of(new RecordingUpstream.Write(Fixture.BDF, 0x1000, true)), up.writes);
        } else {
            assertEquals(NOT_ISSUED, r);
            assertEquals(List.of(), up.writes, "a T=1 write outside RUN must never reach the wire");
        }
    }

    @ParameterizedTest
    @EnumSource(Start.class)
    void plainDmaIsForwardedWithBme(Start start) {
        PciFunction d = Fixture.drive(start).dev();
        RecordingUpstream up = new RecordingUpstream();
        up.answer = TlpResult.BLOCKED_BY_IOMMU;
        assertEquals(TlpResult.BLOCKED_BY_IOMMU, d.dmaWrite(up, 0x2000, false), "the upstream verdict is passed through");
        assertEquals(List.of(new RecordingUpstream.Write(Fixture.BDF, 0x2000, false)), up.writes);
    }

    @Test
    void noBmeNoDma() {
        PciFunction d = Fixture.drive(Start.RUN).dev();
        d.configWriteCommand(PciFunction.PCI_COMMAND_MEMORY, Origin.HOST);   // clears BME (and goes to ERROR)
        RecordingUpstream up = new RecordingUpstream();
        assertEquals(NOT_ISSUED, d.dmaWrite(up, 0, false));
        assertEquals(NOT_ISSUED, d.dmaWrite(up, 0, true));
        PciFunction u = Fixture.device();
        u.configWriteCommand(PciFunction.PCI_COMMAND_MEMORY, Origin.HOST);
        assertEquals(NOT_ISSUED, u.dmaWrite(up, 0, false));
        assertEquals(List.of(), up.writes);
    }

    @Test
    void noDmaFromD3hot() {
        PciFunction d = Fixture.device();
        d.setPowerState(PowerState.D3HOT, Origin.HOST);
        RecordingUpstream up = new RecordingUpstream();
        assertEquals(NOT_ISSUED, d.dmaWrite(up, 0, false));
        assertEquals(List.of(), up.writes);
    }

    private static TlpResult tee(PciFunction d, boolean t) { return d.mmioAccess(0, 0x10, t, true, Origin.HOST); }
    private static TlpResult shared(PciFunction d, boolean t) { return d.mmioAccess(0, 0x1010, t, false, Origin.GUEST); }
    private static TlpResult bar2(PciFunction d, boolean t) { return d.mmioAccess(2, 0x3ff8, t, false, Origin.HOST); }

    @ParameterizedTest
    @EnumSource(Start.class)
    void completerRules(Start start) {
        PciFunction d = Fixture.drive(start).dev();
        TdiState s = start.state;
        boolean run = s == TdiState.RUN;
        // TEE range: open to T=0 only while unlocked; to T=1 only in RUN.
        assertEquals(s == TdiState.CONFIG_UNLOCKED ? COMPLETED : UNSUPPORTED_REQUEST, tee(d, false), "TEE, T=0");
        assertEquals(run ? COMPLETED : UNSUPPORTED_REQUEST, tee(d, true), "TEE, T=1");
        // Non-TEE ranges: T=0 unaffected by TDISP state; T=1 only in RUN.
        assertEquals(COMPLETED, shared(d, false), "non-TEE, T=0");
        assertEquals(COMPLETED, bar2(d, false), "non-TEE BAR2, T=0");
        assertEquals(run ? COMPLETED : UNSUPPORTED_REQUEST, shared(d, true), "non-TEE, T=1");
        // Not decoded by any BAR range.
        assertEquals(MASTER_ABORT, d.mmioAccess(0, 0x2000, false, false, Origin.HOST));
        assertEquals(MASTER_ABORT, d.mmioAccess(4, 0, false, false, Origin.HOST));
        assertEquals(0, d.hostTeeMmioDelivered());
        assertEquals(s, d.tdiState(), "a rejected access is not an ERROR trigger");
    }

    @ParameterizedTest
    @EnumSource(Start.class)
    void mseClearIsMasterAbort(Start start) {
        PciFunction d = Fixture.drive(start).dev();
        d.configWriteCommand(PciFunction.PCI_COMMAND_MASTER, Origin.HOST);
        assertEquals(MASTER_ABORT, tee(d, true));
        assertEquals(MASTER_ABORT, tee(d, false));
        assertEquals(MASTER_ABORT, shared(d, false));
    }

    @Test
    void d3hotAnswersMemoryWithUr() {
        PciFunction d = Fixture.drive(Start.UNLOCKED_FRESH).dev();
        d.setPowerState(PowerState.D3HOT, Origin.HOST);
        assertEquals(UNSUPPORTED_REQUEST, shared(d, false));
    }

    @ParameterizedTest
    @EnumSource(Start.class)
    void faultIgnoreTeeBitLeaksAndIsCounted(Start start) {
        PciFunction d = Fixture.drive(Fixture.device(42, new PciFunctionConfig(false, true)), start).dev();
        boolean protectedState = start.state != TdiState.CONFIG_UNLOCKED;
        assertEquals(COMPLETED, tee(d, false));
        assertEquals(COMPLETED, tee(d, false));
        assertEquals(COMPLETED, shared(d, false));
        assertEquals(protectedState ? 2 : 0, d.hostTeeMmioDelivered());
        if (protectedState) assertEquals(UNSUPPORTED_REQUEST, tee(Fixture.drive(start).dev(), false), "the same device built without the fault");
    }
}
