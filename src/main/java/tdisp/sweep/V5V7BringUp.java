package tdisp.sweep;

import java.util.ArrayList;
import java.util.List;

import tdisp.platform.Platform;
import tdisp.strategy.Strategy;

/**
 * Bring-up latency per platform under v5 and v7 side by side (issue 21, point 5): v5 binds
 * (and LOCKs) at the guest's BIND exit through IOMMU_VDEVICE_TSM_OP; v7 binds inside the
 * VMM's IOMMU_VDEVICE_ALLOC before the guest runs and the guest LOCKs by SET_TDI_STATE, so
 * v7's figure includes the bind at allocation. A cell is null where that strategy's
 * bring-up never reaches secure DMA.
 */
public record V5V7BringUp(String platform, Long v5Ns, Long v7Ns) {
    public static final String V5 = "iommufd-v5";
    public static final String V7 = "iommufd-v7";

    /** One strategy's modeled time on one platform, and whether its device got secure DMA. */
    public record Sample(String strategy, String platform, long ns, boolean secureDma) {}

    /** v7 minus v5, or null unless both reached secure DMA. */
    public Long deltaNs() { return v5Ns == null || v7Ns == null ? null : v7Ns - v5Ns; }

    /** One row per platform, in the samples' order, where v5 or v7 was sampled at all; empty if neither. */
    public static List<V5V7BringUp> of(List<Sample> samples) {
        List<String> platforms = new ArrayList<>();
        for (Sample s : samples) if ((s.strategy().equals(V5) || s.strategy().equals(V7)) && !platforms.contains(s.platform())) platforms.add(s.platform());
        List<V5V7BringUp> out = new ArrayList<>();
        for (String p : platforms) out.add(new V5V7BringUp(p, ns(samples, V5, p), ns(samples, V7, p)));
        return out;
    }

    private static Long ns(List<Sample> samples, String strategy, String platform) {
        for (Sample s : samples) if (s.strategy().equals(strategy) && s.platform().equals(platform)) return s.secureDma() ? s.ns() : null;
        return null;
    }

    /**
     * The sweep's figure: one device's uncontended bring-up to secure DMA as BringUp captures
     * it (v7's bind at allocation included), for v5 and v7 where the sweep selected them.
     */
    public static List<V5V7BringUp> capture(Sweep.Config c) {
        List<Sample> samples = new ArrayList<>();
        for (Platform p : c.platforms()) {
            for (Strategy s : c.strategies()) {
                if (!s.id().equals(V5) && !s.id().equals(V7)) continue;
                try {
                    samples.add(new Sample(s.id(), p.id(), BringUp.capture(s, p, c.seed(), c.costs(), c.doe()).modeledNs(), true));
                } catch (BringUp.Incomplete e) {
                    samples.add(new Sample(s.id(), p.id(), 0, false));
                }
            }
        }
        return of(samples);
    }
}
