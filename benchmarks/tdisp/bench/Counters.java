package tdisp.bench;

import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

import tdisp.sim.Trace;

/**
 * What each measured operation crossed, from the model's own counters: JMH reports these
 * next to the time (as totals per iteration; `tdisp bench` divides by operations).
 */
@State(Scope.Thread)
@AuxCounters(AuxCounters.Type.EVENTS)
public class Counters {
    public long ops;
    public long modeledNs;
    public long vmExits;
    public long userExits;
    public long ioctls;
    public long fwCalls;
    public long bytesCopied;

    private long m0, v0, u0, i0, f0, b0;

    void before(Trace t) {
        m0 = t.modeledNs();
        v0 = t.vmExits();
        u0 = t.userExits();
        i0 = t.ioctls();
        f0 = t.fwCalls();
        b0 = t.bytesCopied();
    }

    void after(Trace t) {
        ops++;
        modeledNs += t.modeledNs() - m0;
        vmExits += t.vmExits() - v0;
        userExits += t.userExits() - u0;
        ioctls += t.ioctls() - i0;
        fwCalls += t.fwCalls() - f0;
        bytesCopied += t.bytesCopied() - b0;
    }
}
