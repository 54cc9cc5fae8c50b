package tdisp.device;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import tdisp.device.Fixture.Start;

/** tdisp.md §3: the ERROR triggers we model, and the transitions that are not to ERROR. */
class ErrorTriggerTest {

    /** One modelled trigger: the action and the cause it must record. */
    enum Trigger {
        CLEAR_MSE(ErrorTrigger.COMMAND_MSE_CLEAR, (d, o) -> d.configWriteCommand(PciFunction.PCI_COMMAND_MASTER, o)),
        CLEAR_BME(ErrorTrigger.COMMAND_BME_CLEAR, (d, o) -> d.configWriteCommand(PciFunction.PCI_COMMAND_MEMORY, o)),
        CLEAR_BOTH(ErrorTrigger.COMMAND_MSE_CLEAR, (d, o) -> d.configWriteCommand(PciFunction.PCI_COMMAND_INTX_DISABLE, o)),
        BAR_WRITE(ErrorTrigger.BAR_WRITE, (d, o) -> d.configWriteBar(0, 0xfe00_0000L, o)),
        FLR(ErrorTrigger.FLR, PciFunction::flr),
        D3HOT_TO_D0(ErrorTrigger.POWER_STATE_LOSS, (d, o) -> {
            d.setPowerState(PowerState.D3HOT, o);
            d.setPowerState(PowerState.D0, o);
        }),
        IDE_INSECURE(ErrorTrigger.IDE_STREAM_INSECURE, PciFunction::secureLinkDown),
        SPDM_END(ErrorTrigger.SPDM_SESSION_END, (d, o) -> d.secureLinkDown(ErrorTrigger.SPDM_SESSION_END, o)),
        INJECT(ErrorTrigger.INJECTED, (d, o) -> d.injectError());

        final ErrorTrigger cause;
        final BiConsumer<PciFunction, Origin> action;

        Trigger(ErrorTrigger cause, BiConsumer<PciFunction, Origin> action) {
            this.cause = cause;
            this.action = action;
        }

        Origin recordedOrigin(Origin given) { return this == INJECT ? Origin.INJECTED_FAULT : given; }
    }

    static Stream<Arguments> fromLockedAndRun() {
        List<Arguments> out = new ArrayList<>();
        for (Trigger t : Trigger.values())
            for (Start s : List.of(Start.LOCKED, Start.RUN))
                for (Origin o : List.of(Origin.HOST, Origin.VMM_FORWARDED_GUEST)) out.add(Arguments.of(t, s, o));
        return out.stream();
    }

    @ParameterizedTest(name = "{0} in {1} by {2} -> ERROR")
    @MethodSource("fromLockedAndRun")
    void triggerMovesLockedOrRunToErrorAndRecordsCause(Trigger t, Start start, Origin origin) {
        PciFunction d = Fixture.drive(start).dev();
        t.action.accept(d, origin);
        assertEquals(TdiState.ERROR, d.tdiState());
        assertEquals(List.of(new ErrorCause(t.cause, t.recordedOrigin(origin), start.state)), d.errorCauses());
        assertFalse(d.nonceLive());
        if (t == Trigger.SPDM_END) {
            assertFalse(d.tdisp(TdispRequest.getState(Fixture.IF_ID)).answered(), "no session, no response (§11.2.2)");
            d.dsm().spdmSessionUp();   // a new session: the TSM may now find the TDI in ERROR and STOP it
        }
        assertEquals(TdiState.ERROR, d.tdisp(TdispRequest.getState(Fixture.IF_ID)).state(), "GET_STATE reports ERROR");
        // A second trigger while already in ERROR is not a new transition.
        Trigger.INJECT.action.accept(d, Origin.HOST);
        assertEquals(1, d.errorCauses().size());
        Fixture.stop(d);
        assertNull(d.report(), "STOP scrubs the report");
    }

    @ParameterizedTest(name = "{0} in CONFIG_UNLOCKED does nothing to the TDI")
    @EnumSource(Trigger.class)
    void triggerDoesNothingInUnlocked(Trigger t) {
        PciFunction d = Fixture.drive(Start.UNLOCKED_AFTER_STOP).dev();
        t.action.accept(d, Origin.HOST);
        assertEquals(TdiState.CONFIG_UNLOCKED, d.tdiState());
        assertTrue(d.errorCauses().isEmpty());
    }

    @Test
    void errorCausesAccumulateInOrderAndAreImmutable() {
        PciFunction d = Fixture.drive(Start.RUN).dev();
        d.flr(Origin.HOST);
        Fixture.stop(d);
        d.configWriteCommand(Fixture.ON, Origin.HOST);   // FLR cleared Command
        Fixture.lock(d);
        d.configWriteBar(2, 0, Origin.GUEST);
        assertEquals(List.of(new ErrorCause(ErrorTrigger.FLR, Origin.HOST, TdiState.RUN),
                new ErrorCause(ErrorTrigger.BAR_WRITE, Origin.GUEST, TdiState.CONFIG_LOCKED)), d.errorCauses());
        assertThrowsUoe(d.errorCauses());
    }

    private static void assertThrowsUoe(List<ErrorCause> l) {
        org.junit.jupiter.api.Assertions.assertThrows(UnsupportedOperationException.class, () -> l.add(null));
    }

    @ParameterizedTest
    @EnumSource(value = Start.class, names = {"LOCKED", "RUN"})
    void allowedCommandChangesDoNotCauseError(Start start) {
        PciFunction d = Fixture.drive(start).dev();
        int[] writes = {
            Fixture.ON | PciFunction.PCI_COMMAND_INTX_DISABLE,                                    // INTx disable set
            Fixture.ON | PciFunction.PCI_COMMAND_SERR | PciFunction.PCI_COMMAND_PARITY,          // SERR/parity
            Fixture.ON | PciFunction.PCI_COMMAND_IO,                                              // I/O space
            Fixture.ON,                                                                           // clear them again
            Fixture.ON,                                                                           // rewrite same value
        };
        for (int w : writes) {
            d.configWriteCommand(w, Origin.VMM_FORWARDED_GUEST);
            assertEquals(start.state, d.tdiState(), "write " + Integer.toHexString(w));
            assertEquals(w, d.command(), "the config write itself completes");
        }
        assertTrue(d.errorCauses().isEmpty());
    }

    @Test
    void settingMseOrBmeWhileLockedIsAllowed() {
        PciFunction d = Fixture.device();
        d.configWriteCommand(0, Origin.HOST);
        Fixture.lock(d);
        d.configWriteCommand(PciFunction.PCI_COMMAND_MEMORY, Origin.HOST);
        d.configWriteCommand(Fixture.ON, Origin.HOST);
        assertEquals(TdiState.CONFIG_LOCKED, d.tdiState());
    }

    @Test
    void clearingWriteStillCompletes() {
        PciFunction d = Fixture.drive(Start.RUN).dev();
        d.configWriteCommand(PciFunction.PCI_COMMAND_MEMORY | PciFunction.PCI_COMMAND_INTX_DISABLE, Origin.HOST);
        assertEquals(PciFunction.PCI_COMMAND_MEMORY | PciFunction.PCI_COMMAND_INTX_DISABLE, d.command());
        assertEquals(TdiState.ERROR, d.tdiState());
    }

    @ParameterizedTest
    @EnumSource(value = Start.class, names = {"UNLOCKED_FRESH", "LOCKED", "RUN", "ERROR_FROM_RUN"})
    void flrClearsCommandAndKeepsLink(Start start) {
        PciFunction d = Fixture.drive(start).dev();
        d.configWriteCommand(Fixture.ON | PciFunction.PCI_COMMAND_INTX_DISABLE, Origin.HOST);
        d.flr(Origin.HOST);
        assertEquals(0, d.command());
        assertEquals(start.state == TdiState.CONFIG_UNLOCKED ? TdiState.CONFIG_UNLOCKED : TdiState.ERROR, d.tdiState());
        assertTrue(d.secureLink(), "FLR does not end the SPDM session or IDE stream (§11.4.9)");
        d.tdisp(TdispRequest.stop(Fixture.IF_ID));
        assertTrue(d.tdisp(TdispRequest.lock(Fixture.IF_ID)).ok());
    }

    @ParameterizedTest
    @EnumSource(value = Start.class, names = {"LOCKED", "RUN"})
    void powerLossHitsAtReturnToD0(Start start) {
        PciFunction d = Fixture.drive(start).dev();
        d.setPowerState(PowerState.D3HOT, Origin.HOST);
        assertEquals(PowerState.D3HOT, d.powerState());
        assertEquals(start.state, d.tdiState(), "entering D3hot alone loses nothing");
        assertEquals(Fixture.ON, d.command());
        d.setPowerState(PowerState.D3HOT, Origin.HOST);   // no-op
        d.setPowerState(PowerState.D0, Origin.HOST);
        assertEquals(PowerState.D0, d.powerState());
        assertEquals(TdiState.ERROR, d.tdiState());
        assertEquals(0, d.command(), "internal reset on D3hot -> D0 clears Command");
        d.setPowerState(PowerState.D0, Origin.HOST);   // D0 -> D0 is a no-op
        assertEquals(1, d.errorCauses().size());
    }

    @ParameterizedTest
    @EnumSource(Start.class)
    void conventionalResetGoesToUnlockedAndLosesTheLink(Start start) {
        PciFunction d = Fixture.drive(start).dev();
        int causes = d.errorCauses().size();
        d.setPowerState(PowerState.D3HOT, Origin.HOST);
        d.conventionalReset(Origin.HOST);
        assertEquals(TdiState.CONFIG_UNLOCKED, d.tdiState());
        assertFalse(d.secureLink());
        assertFalse(d.nonceLive());
        assertNull(d.report());
        assertEquals(0, d.command());
        assertEquals(PowerState.D0, d.powerState());
        assertEquals(causes, d.errorCauses().size(), "a conventional reset is not a transition to ERROR");
        d.configWriteCommand(Fixture.ON, Origin.HOST);
        assertFalse(d.tdisp(TdispRequest.lock(Fixture.IF_ID)).answered(),
                "SPDM keys were cleared: no session, so no response (§11.2.2)");
        d.dsm().spdmSessionUp();
        assertEquals(TdispErrorCode.INVALID_REQUEST, d.tdisp(TdispRequest.lock(Fixture.IF_ID)).error(),
                "IDE keys were cleared too: LOCK must fail until they are programmed again");
        d.secureLinkUp();
        Fixture.lock(d);
    }

    @Test
    void linkDownInUnlockedOnlyDropsTheLink() {
        PciFunction d = Fixture.device();
        d.secureLinkDown(Origin.HOST);
        assertFalse(d.secureLink());
        assertEquals(TdiState.CONFIG_UNLOCKED, d.tdiState());
        assertEquals(TdispErrorCode.INVALID_REQUEST, d.tdisp(TdispRequest.lock(Fixture.IF_ID)).error());
    }
}
