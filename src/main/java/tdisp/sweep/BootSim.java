package tdisp.sweep;

import java.util.Arrays;
import java.util.PriorityQueue;
import java.util.SplittableRandom;

/**
 * Boot-time bring-up of N devices across M VMs over modeled time: a deterministic
 * discrete-event simulation. Device d belongs to VM {@code d % M}; every device probes
 * at t=0 (plus an optional seeded start jitter, default 0) and walks the same
 * {@link Recipe}. {@link Resource#GLOBAL_FW} is one FIFO server for the host, each VM's
 * {@link Resource#VMM} one FIFO server; DEVICE and LOCAL segments never wait. Arrivals at
 * a server are handled in order of (time, device id), so ties are broken by device id.
 *
 * <p>Per device, enablement latency is its finish time. The event loop keeps one pending
 * arrival per device in a priority queue and runs the uncontended stretches between two
 * queued segments inline, so a point costs O(N * queued segments * log N).
 */
public final class BootSim {
    public static final int MAX_DEVICES = 4096;

    /**
     * One simulated point. {@code fwWaitShare} is the time the device that finishes last
     * (the lowest id among ties) spent queued for GLOBAL_FW, over the makespan: the
     * firmware-queueing share of the critical device's timeline. {@code fwWork} is the
     * GLOBAL_FW service time of all devices together (a lower bound on the makespan).
     */
    public record Result(int devices, int vms, long makespanNs, long p50Ns, long p99Ns, double fwWaitShare,
            long fwWork, long criticalFwWaitNs, long criticalVmmWaitNs) {}

    private BootSim() {}

    public static Result run(Recipe r, int devices, int vms) { return run(r, devices, vms, 0, 0); }

    /** Runs one point; {@code startJitterNs} > 0 draws each device's probe time from [0, jitter] with {@code seed}. */
    public static Result run(Recipe r, int devices, int vms, long seed, long startJitterNs) {
        if (devices < 1 || devices > MAX_DEVICES) throw new IllegalArgumentException("devices must be 1.." + MAX_DEVICES + ", got " + devices);
        if (vms < 1) throw new IllegalArgumentException("vms must be at least 1, got " + vms);
        if (startJitterNs < 0) throw new IllegalArgumentException("start jitter must be >= 0, got " + startJitterNs);
        // Compress the recipe: queued segments k = 0..K-1, each preceded by an uncontended stretch.
        int k = 0;
        for (int i = 0; i < r.size(); i++) if (r.resource(i).contended()) k++;
        long[] pre = new long[k];
        long[] dur = new long[k];
        boolean[] global = new boolean[k];
        long tail = 0;
        int j = 0;
        for (int i = 0; i < r.size(); i++) {
            if (r.resource(i).contended()) {
                pre[j] = tail;
                dur[j] = r.duration(i);
                global[j] = r.resource(i) == Resource.GLOBAL_FW;
                tail = 0;
                j++;
            } else {
                tail += r.duration(i);
            }
        }
        final int queued = k;
        long[] ready = new long[devices];   // arrival time at the next queued segment
        int[] next = new int[devices];      // index of that segment
        long[] finish = new long[devices];
        long[] fwWait = new long[devices];
        long[] vmmWait = new long[devices];
        long[] free = new long[1 + vms];    // server 0: GLOBAL_FW; 1+v: VMM of VM v
        SplittableRandom rng = new SplittableRandom(seed);
        PriorityQueue<Integer> pq = new PriorityQueue<>(Math.max(1, devices), (a, b) -> {
            int c = Long.compare(ready[a], ready[b]);
            return c != 0 ? c : Integer.compare(a, b);
        });
        for (int d = 0; d < devices; d++) {
            long start = startJitterNs > 0 ? rng.nextLong(startJitterNs + 1) : 0;
            if (queued == 0) {
                finish[d] = start + tail;
            } else {
                ready[d] = start + pre[0];
                pq.add(d);
            }
        }
        while (!pq.isEmpty()) {
            int d = pq.poll();
            int s = next[d];
            long t = ready[d];
            int server = global[s] ? 0 : 1 + d % vms;
            long begin = Math.max(t, free[server]);
            if (global[s]) fwWait[d] += begin - t; else vmmWait[d] += begin - t;
            long end = begin + dur[s];
            free[server] = end;
            next[d] = s + 1;
            if (s + 1 < queued) {
                ready[d] = end + pre[s + 1];
                pq.add(d);
            } else {
                finish[d] = end + tail;
            }
        }
        int crit = 0;
        for (int d = 1; d < devices; d++) if (finish[d] > finish[crit]) crit = d;
        long makespan = finish[crit];
        long[] sorted = finish.clone();
        Arrays.sort(sorted);
        long fwWork = r.total(Resource.GLOBAL_FW) * devices;
        double share = makespan == 0 ? 0 : (double) fwWait[crit] / makespan;
        return new Result(devices, vms, makespan, nearestRank(sorted, 50), nearestRank(sorted, 99), share, fwWork,
                fwWait[crit], vmmWait[crit]);
    }

    /** Nearest-rank percentile of an ascending array: the ceil(p/100 * n)-th smallest value. */
    static long nearestRank(long[] sorted, int p) {
        long rank = ((long) p * sorted.length + 99) / 100; // ceil without floating point
        return sorted[(int) Math.max(1, rank) - 1];
    }
}
