package tdisp.device.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

import tdisp.device.Origin;

/** GET_DEVICE_INTERFACE_STATE / DEVICE_INTERFACE_STATE (Table 11-3 row 85h; validator case 5). */
class StateConformanceTest {
    private final Requester req = Requester.connected();

    @Test
    void tdiStateIsTheOneByteAfterTheHeaderInEveryState() {
        Requester.Rsp r = req.expect(Requester.msg(0x85), 0x05);
        assertEquals(17, r.len());
        assertEquals(0, r.u8(16), "CONFIG_UNLOCKED");
        req.lockOk();
        assertEquals(1, req.state(), "CONFIG_LOCKED");
        Requester r2 = Requester.connected();
        r2.run();
        assertEquals(2, r2.state(), "RUN");
        r2.dev.configWriteBar(0, 0, Origin.HOST);
        assertEquals(3, r2.state(), "ERROR");
    }

    @Test
    void getStateWithABodyIsInvalidRequest() {
        req.expectError(Requester.msg(0x85, new byte[] {0}), 0x0001);
    }
}
