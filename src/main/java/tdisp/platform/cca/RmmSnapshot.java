package tdisp.platform.cca;

import tdisp.sim.StateReader;
import tdisp.sim.StateWriter;

/**
 * The RMM's part of a world snapshot, for the explorer: every PDEV, VDEV and realm field
 * in TDI order (renamed by the writer's symmetry), canonically without the nonce
 * generations that would split one state into many.
 */
final class RmmSnapshot {
    private RmmSnapshot() {}

    /**
     * A nonce the realm holds, canonically only whether it is the RMM's current one of a
     * locked VDEV: a stale nonce and none fail the same checks, and nothing passes them
     * while unlocked; generations must not become states.
     */
    private static void putRealmNonce(StateWriter w, boolean locked, long held, long current) {
        if (w.isCanonical()) w.putBool(locked && held == current);
        else w.putLong(held);
    }

    static void save(Rmm m, StateWriter w) {
        if (!w.isCanonical()) w.putLong(m.nonceGen);
        for (int k = 0; k < m.vdev.length; k++) {
            int d = w.at(k);
            w.put(m.pdev[d].ordinal());
            w.putBool(m.stream[d]);
            w.put(m.vdev[d].ordinal());
            w.putId(m.realm[d]);
            w.put(m.vdevId[d]);
            m.putDeviceNonce(w, d);
            if (w.isCanonical()) {
                w.putBool(m.lockNonce[d] != 0);
            } else {
                w.putLong(m.lockNonce[d]);
                w.putLong(m.reportNonce[d]);
            }
            putRealmNonce(w, m.lockNonce[d] != 0, m.realmLockNonce[d], m.lockNonce[d]);
            putRealmNonce(w, m.lockNonce[d] != 0, m.realmReportNonce[d], m.reportNonce[d]);
            w.put(m.devMem[d].ordinal());
            w.putBool(m.dma[d]);
        }
        // VM i owns TDI i, so one renaming serves both the realm and the TDI index.
        for (int k = 0; k < m.pendingMap.length; k++) w.putId(m.pendingMap[w.at(k)]);
    }

    static void load(Rmm m, StateReader r) {
        m.nonceGen = r.getLong();
        for (int d = 0; d < m.vdev.length; d++) {
            m.pdev[d] = Rmm.PDEV_STATES[r.get()];
            m.stream[d] = r.getBool();
            m.vdev[d] = Rmm.VDEV_STATES[r.get()];
            m.realm[d] = r.get();
            m.vdevId[d] = r.get();
            m.deviceNonce[d] = m.getDeviceNonce(r);
            m.lockNonce[d] = r.getLong();
            m.reportNonce[d] = r.getLong();
            m.realmLockNonce[d] = r.getLong();
            m.realmReportNonce[d] = r.getLong();
            m.devMem[d] = Rmm.DEV_MEM[r.get()];
            m.dma[d] = r.getBool();
        }
        for (int v = 0; v < m.pendingMap.length; v++) m.pendingMap[v] = r.get();
    }
}
