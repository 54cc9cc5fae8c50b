package tdisp.device;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import tdisp.device.Fixture.Driven;
import tdisp.device.Fixture.Start;

/** Every cell of tdisp.md §2.4 (TDISP Tables 11-3/11-4 with the notes resolved). */
class StateTableTest {

    enum Msg {
        VERSION, CAPS, LOCK, GET_REPORT, GET_STATE, START_GOOD_NONCE, START_BAD_NONCE, STOP, BIND_P2P, UNBIND_P2P, SET_MMIO;

        TdispRequest request(Nonce lockNonce) {
            int id = Fixture.IF_ID;
            return switch (this) {
                case VERSION -> TdispRequest.version(id);
                case CAPS -> TdispRequest.capabilities(id);
                case LOCK -> TdispRequest.lock(id);
                case GET_REPORT -> TdispRequest.getReport(id);
                case GET_STATE -> TdispRequest.getState(id);
                case START_GOOD_NONCE -> TdispRequest.start(id, lockNonce);
                case START_BAD_NONCE -> TdispRequest.start(id, lockNonce == null ? new Nonce(1, 2, 3, 4)
                        : new Nonce(lockNonce.w0() ^ 0x5a5a, lockNonce.w1(), lockNonce.w2(), lockNonce.w3()));
                case STOP -> TdispRequest.stop(id);
                case BIND_P2P -> Fixture.request(TdispRequestCode.BIND_P2P_STREAM_REQUEST, id, null);
                case UNBIND_P2P -> Fixture.request(TdispRequestCode.UNBIND_P2P_STREAM_REQUEST, id, null);
                case SET_MMIO -> Fixture.request(TdispRequestCode.SET_MMIO_ATTRIBUTE_REQUEST, id, null);
            };
        }
    }

    /**
     * state, message, result ("ok" or an error code), next state ("-" = unchanged).
     * START_GOOD_NONCE uses the last LOCK nonce (stale outside LOCKED). The optional messages in
     * RUN fail on their own fields here (LOCK set no BIND_P2P flag, nothing is bound, no range is
     * updatable); their success paths are in OptionalMessagesConformanceTest.
     */
    private static final String TABLE = """
        CONFIG_UNLOCKED VERSION          ok                       -
        CONFIG_UNLOCKED CAPS             ok                       -
        CONFIG_UNLOCKED LOCK             ok                       CONFIG_LOCKED
        CONFIG_UNLOCKED GET_REPORT       INVALID_INTERFACE_STATE  -
        CONFIG_UNLOCKED GET_STATE        ok                       -
        CONFIG_UNLOCKED START_GOOD_NONCE INVALID_INTERFACE_STATE  -
        CONFIG_UNLOCKED START_BAD_NONCE  INVALID_INTERFACE_STATE  -
        CONFIG_UNLOCKED STOP             ok                       -
        CONFIG_UNLOCKED BIND_P2P         INVALID_INTERFACE_STATE  -
        CONFIG_UNLOCKED UNBIND_P2P       INVALID_INTERFACE_STATE  -
        CONFIG_UNLOCKED SET_MMIO         INVALID_INTERFACE_STATE  -
        CONFIG_LOCKED   VERSION          ok                       -
        CONFIG_LOCKED   CAPS             ok                       -
        CONFIG_LOCKED   LOCK             INVALID_INTERFACE_STATE  -
        CONFIG_LOCKED   GET_REPORT       ok                       -
        CONFIG_LOCKED   GET_STATE        ok                       -
        CONFIG_LOCKED   START_GOOD_NONCE ok                       RUN
        CONFIG_LOCKED   START_BAD_NONCE  INVALID_NONCE            -
        CONFIG_LOCKED   STOP             ok                       CONFIG_UNLOCKED
        CONFIG_LOCKED   BIND_P2P         INVALID_INTERFACE_STATE  -
        CONFIG_LOCKED   UNBIND_P2P       INVALID_INTERFACE_STATE  -
        CONFIG_LOCKED   SET_MMIO         INVALID_INTERFACE_STATE  -
        RUN             VERSION          ok                       -
        RUN             CAPS             ok                       -
        RUN             LOCK             INVALID_INTERFACE_STATE  -
        RUN             GET_REPORT       ok                       -
        RUN             GET_STATE        ok                       -
        RUN             START_GOOD_NONCE INVALID_INTERFACE_STATE  -
        RUN             START_BAD_NONCE  INVALID_INTERFACE_STATE  -
        RUN             STOP             ok                       CONFIG_UNLOCKED
        RUN             BIND_P2P         INVALID_REQUEST          -
        RUN             UNBIND_P2P       INVALID_REQUEST          -
        RUN             SET_MMIO         INVALID_REQUEST          -
        ERROR           VERSION          ok                       -
        ERROR           CAPS             ok                       -
        ERROR           LOCK             INVALID_INTERFACE_STATE  -
        ERROR           GET_REPORT       INVALID_INTERFACE_STATE  -
        ERROR           GET_STATE        ok                       -
        ERROR           START_GOOD_NONCE INVALID_INTERFACE_STATE  -
        ERROR           START_BAD_NONCE  INVALID_INTERFACE_STATE  -
        ERROR           STOP             ok                       CONFIG_UNLOCKED
        ERROR           BIND_P2P         INVALID_INTERFACE_STATE  -
        ERROR           UNBIND_P2P       INVALID_INTERFACE_STATE  -
        ERROR           SET_MMIO         INVALID_INTERFACE_STATE  -
        """;

    record Cell(TdispErrorCode error, TdiState next) {}

    private static Map<String, Cell> table() {
        Map<String, Cell> m = new HashMap<>();
        for (String line : TABLE.strip().split("\n")) {
            String[] f = line.trim().split("\\s+");
            TdiState st = TdiState.valueOf(f[0]);
            TdispErrorCode err = f[2].equals("ok") ? null : TdispErrorCode.valueOf(f[2]);
            TdiState next = f[3].equals("-") ? st : TdiState.valueOf(f[3]);
            assertNull(m.put(f[0] + "/" + f[1], new Cell(err, next)), "duplicate row " + line);
        }
        return m;
    }

    static Stream<Arguments> cells() {
        Map<String, Cell> t = table();
        List<Arguments> out = new ArrayList<>();
        for (Start s : Start.values())
            for (Msg m : Msg.values()) {
                Cell c = t.get(s.state + "/" + m);
                out.add(Arguments.of(s, m, c.error(), c.next()));
            }
        return out.stream();
    }

    @Test
    void tableCoversEveryStateAndMessage() {
        assertEquals(TdiState.values().length * Msg.values().length, table().size());
    }

    @ParameterizedTest(name = "{0} + {1} -> {2} / {3}")
    @MethodSource("cells")
    void cell(Start start, Msg msg, TdispErrorCode expectedError, TdiState expectedNext) {
        Driven d = Fixture.drive(start);
        PciFunction dev = d.dev();
        long[] before = Fixture.snap(dev);
        List<ErrorCause> causesBefore = dev.errorCauses();

        TdispResponse r = dev.tdisp(msg.request(d.lockNonce()));

        assertEquals(expectedError, r.error(), "error code");
        assertEquals(expectedError == null, r.ok());
        assertEquals(expectedNext, dev.tdiState(), "next state");
        assertEquals(impliedState(msg, r, start.state), r.state(), "state the response implies");
        assertEquals(msg.request(null).code(), r.request());
        assertEquals(causesBefore, dev.errorCauses(), "a TDISP request never moves the TDI to ERROR");
        if (expectedNext == start.state)   // every failure, and every success with no state effect
            assertArrayEquals(before, Fixture.snap(dev), "failed or state-neutral request changed device state");
        // Payload rules: nonce only on LOCK success, report only on GET_REPORT success.
        if (msg == Msg.LOCK && r.ok()) assertNotNull(r.nonce());
        else assertNull(r.nonce());
        if (msg == Msg.GET_REPORT && r.ok()) {
            assertEquals(dev.report(), r.report());
            assertEquals(Fixture.BARS.size(), r.report().ranges().size(), "TEE and non-TEE ranges alike");
        } else {
            assertNull(r.report());
        }
        if (msg == Msg.GET_STATE) assertEquals(start.state.wireValue(), r.state().wireValue());
    }

    /** Only LOCK, START, STOP (on success) and DEVICE_INTERFACE_STATE carry a state on the wire. */
    private static TdiState impliedState(Msg msg, TdispResponse r, TdiState before) {
        if (!r.ok()) return null;
        return switch (msg) {
            case LOCK -> TdiState.CONFIG_LOCKED;
            case START_GOOD_NONCE, START_BAD_NONCE -> TdiState.RUN;
            case STOP -> TdiState.CONFIG_UNLOCKED;
            case GET_STATE -> before;
            default -> null;
        };
    }

    static Stream<Arguments> wrongInterface() {
        List<Arguments> out = new ArrayList<>();
        for (Start s : Start.values())
            for (TdispRequestCode c : TdispRequestCode.values()) out.add(Arguments.of(s, c));
        return out.stream();
    }

    @ParameterizedTest(name = "{0} + {1} for another interface -> INVALID_INTERFACE")
    @MethodSource("wrongInterface")
    void wrongInterfaceIdIsInvalidInterfaceInEveryState(Start start, TdispRequestCode code) {
        Driven d = Fixture.drive(start);
        long[] before = Fixture.snap(d.dev());
        TdispResponse r = d.dev().tdisp(Fixture.request(code, Fixture.IF_ID + 1, d.lockNonce()));
        assertEquals(TdispErrorCode.INVALID_INTERFACE, r.error());
        assertNull(r.state());
        assertArrayEquals(before, Fixture.snap(d.dev()));
    }

    @Test
    void lockWithSessionButNoIdeKeysIsInvalidRequestAndStaysUnlocked() {
        PciFunction dev = new PciFunction(Fixture.BDF, Fixture.IF_ID, Fixture.BARS, new SplittableRandom(1));
        dev.configWriteCommand(Fixture.ON, Origin.HOST);
        dev.dsm().spdmSessionUp();
        long[] before = Fixture.snap(dev);
        TdispResponse r = dev.tdisp(TdispRequest.lock(Fixture.IF_ID));
        assertEquals(TdispErrorCode.INVALID_REQUEST, r.error());
        assertEquals(TdiState.CONFIG_UNLOCKED, dev.tdiState());
        assertArrayEquals(before, Fixture.snap(dev));
        assertFalse(dev.nonceLive());
        dev.secureLinkUp();
        assertTrue(dev.tdisp(TdispRequest.lock(Fixture.IF_ID)).ok());
    }

    @ParameterizedTest
    @EnumSource(value = TdispRequestCode.class, names = {"BIND_P2P_STREAM_REQUEST", "UNBIND_P2P_STREAM_REQUEST", "SET_MMIO_ATTRIBUTE_REQUEST", "VDM_REQUEST"})
    void unsupportedOptionalRequestIsUnsupportedRequest(TdispRequestCode code) {
        EnumSet<TdispRequestCode> supported = EnumSet.allOf(TdispRequestCode.class);
        supported.remove(code);
        PciFunction dev = new PciFunction(Fixture.BDF, Fixture.IF_ID, Fixture.BARS, new SplittableRandom(3), supported);
        dev.secureLinkUp();
        Fixture.drive(dev, Start.RUN);
        long[] before = Fixture.snap(dev);
        TdispResponse r = dev.tdisp(Fixture.request(code, Fixture.IF_ID, null));
        assertEquals(TdispErrorCode.UNSUPPORTED_REQUEST, r.error());
        assertEquals(code.code(), r.errorData(), "ERROR_DATA names the request code");
        assertEquals(TdiState.RUN, dev.tdiState());
        assertArrayEquals(before, Fixture.snap(dev));
        assertEquals(0, dev.reqMsgsSupported() & (1 << code.capabilityBit()));
        assertNotEquals(0, dev.reqMsgsSupported() & (1 << TdispRequestCode.LOCK_INTERFACE_REQUEST.capabilityBit()));
    }

    @Test
    void requiredRequestsCannotBeLeftOut() {
        EnumSet<TdispRequestCode> supported = EnumSet.allOf(TdispRequestCode.class);
        supported.remove(TdispRequestCode.STOP_INTERFACE_REQUEST);
        assertThrows(IllegalArgumentException.class,
                () -> new PciFunction(Fixture.BDF, Fixture.IF_ID, Fixture.BARS, new SplittableRandom(3), supported));
    }

    @Test
    void errorIsLeftOnlyByStop() {
        Driven d = Fixture.drive(Start.ERROR_FROM_RUN);
        PciFunction dev = d.dev();
        for (TdispRequestCode c : TdispRequestCode.values()) {
            if (c == TdispRequestCode.STOP_INTERFACE_REQUEST) continue;
            dev.tdisp(Fixture.request(c, Fixture.IF_ID, d.lockNonce()));
            assertEquals(TdiState.ERROR, dev.tdiState(), c.toString());
        }
        dev.secureLinkUp();
        dev.configWriteCommand(Fixture.ON, Origin.HOST);
        dev.setPowerState(PowerState.D3HOT, Origin.HOST);
        dev.setPowerState(PowerState.D0, Origin.HOST);
        dev.flr(Origin.HOST);
        assertEquals(TdiState.ERROR, dev.tdiState());
        Fixture.stop(dev);
    }

    @Test
    void wireEncodings() {
        assertEquals(List.of(0, 1, 2, 3), Stream.of(TdiState.values()).map(TdiState::wireValue).toList());
        for (TdiState s : TdiState.values()) assertEquals(s, TdiState.fromWire(s.wireValue()));
        assertEquals(0x86, TdispRequestCode.START_INTERFACE_REQUEST.code());
        assertEquals(0x06, TdispRequestCode.START_INTERFACE_REQUEST.responseCode());
        assertEquals(TdispRequestCode.SET_MMIO_ATTRIBUTE_REQUEST, TdispRequestCode.fromCode(0x8A));
        assertEquals(TdispRequestCode.VDM_REQUEST, TdispRequestCode.fromCode(0x8B));
        assertNull(TdispRequestCode.fromCode(0x8C));
        assertEquals(0x0102, TdispErrorCode.INVALID_NONCE.code());
        assertEquals(TdispErrorCode.INVALID_INTERFACE, TdispErrorCode.fromCode(0x0101));
        assertNotNull(TdispErrorCode.fromCode(0x0041));
    }
}
