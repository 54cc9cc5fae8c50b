package tdisp.device;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;

import org.junit.jupiter.api.Test;

import tdisp.device.wire.Transport;

/**
 * The TDX hot request (GET_DEVICE_INTERFACE_STATE through the byte codec, framing and the
 * DSM's parser) allocates nothing once its request object exists: the property
 * GuestRequestBench checks with -prof gc, here as a count of bytes, not a timing.
 */
class ExchangeAllocationTest {

    @Test
    void getStateExchangeAllocatesNothingInSteadyState() {
        var mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        assertTrue(mx.isThreadAllocatedMemorySupported());
        PciFunction d = Fixture.device();
        Fixture.drive(d, Fixture.Start.RUN);
        TdispRequest req = TdispRequest.getState(Fixture.IF_ID);
        byte[] tx = new byte[Transport.BUFFER], rx = new byte[Transport.BUFFER];
        for (int i = 0; i < 20_000; i++) TdispExchange.exchange(d.dsm(), req, tx, rx);
        long id = Thread.currentThread().getId();
        long before = mx.getThreadAllocatedBytes(id);
        TdispResponse last = null;
        for (int i = 0; i < 10_000; i++) last = TdispExchange.exchange(d.dsm(), req, tx, rx);
        long bytes = mx.getThreadAllocatedBytes(id) - before;
        assertEquals(TdiState.RUN, last.state());
        // Under 1 B/op: tolerates a stray allocation of the runtime itself (a deoptimisation, a
        // compile), not one per exchange (an iterator would be 32 B/op).
        assertTrue(bytes < 10_000, bytes + " bytes allocated by 10000 exchanges");
    }
}
