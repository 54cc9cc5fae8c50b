package tdisp.device.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** STOP_INTERFACE_REQUEST (Table 11-3 row 87h; validator cases 7.1-7.3; tdisp.md §2.4). */
class StopConformanceTest {
    private final Requester req = Requester.connected();

    @Test
    void stopFromEveryStateGoesToUnlocked() {
        req.expect(Requester.msg(0x87), 0x07);                  // case 7.3: already UNLOCKED
        assertEquals(0, req.state());
        req.lockOk();
        assertEquals(16, req.expect(Requester.msg(0x87), 0x07).len());
        assertEquals(0, req.state());
        req.run();
        req.expect(Requester.msg(0x87), 0x07);
        assertEquals(0, req.state());
        req.run();
        req.dev.injectError();
        req.expect(Requester.msg(0x87), 0x07);                  // ERROR is left only by STOP
        assertEquals(0, req.state());
    }

    @Test
    void stopScrubsTheReportAndP2pBindings() {
        req.expect(Requester.start(java.util.Arrays.copyOfRange(req.expect(Requester.lock(0x8, 0, 0, 0), 0x03).tdisp(), 16, 48)), 0x06);
        req.expect(Requester.msg(0x88, new byte[] {5}), 0x08);
        req.expect(Requester.msg(0x87), 0x07);
        req.expectError(Requester.getReport(0, 0x400), 0x0004);
        req.run();
        req.expectError(Requester.msg(0x89, new byte[] {5}), 0x0001);   // the binding went with STOP
    }
}
