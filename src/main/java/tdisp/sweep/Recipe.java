package tdisp.sweep;

import java.util.Arrays;

import tdisp.platform.Platform;

/**
 * One device's bring-up as an ordered list of segments {@code (resource, duration_ns)},
 * consecutive segments on the same resource merged (never across a release of the global
 * firmware lock), zero-length ones dropped. Immutable.
 */
public final class Recipe {
    private final String strategy;
    private final Platform platform;
    private final Resource[] resources;
    private final long[] durations;

    Recipe(String strategy, Platform platform, Resource[] resources, long[] durations) {
        if (resources.length != durations.length) throw new IllegalArgumentException("segment arrays differ in length");
        this.strategy = strategy;
        this.platform = platform;
        this.resources = resources.clone();
        this.durations = durations.clone();
    }

    public String strategy() { return strategy; }

    public Platform platform() { return platform; }

    public int size() { return resources.length; }

    public Resource resource(int i) { return resources[i]; }

    public long duration(int i) { return durations[i]; }

    /** Sum of all segments: the modeled time of one uncontended bring-up. */
    public long total() {
        long s = 0;
        for (long d : durations) s += d;
        return s;
    }

    /** Sum of the segments on one resource. */
    public long total(Resource r) {
        long s = 0;
        for (int i = 0; i < durations.length; i++) if (resources[i] == r) s += durations[i];
        return s;
    }

    /** Number of segments on one resource. */
    public int count(Resource r) {
        int n = 0;
        for (Resource x : resources) if (x == r) n++;
        return n;
    }

    /** Same segments (resources and durations), whatever the strategy label. */
    public boolean sameSegments(Recipe o) {
        return Arrays.equals(resources, o.resources) && Arrays.equals(durations, o.durations);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(strategy + "/" + platform.id() + ":");
        for (int i = 0; i < resources.length; i++) sb.append(' ').append(resources[i]).append('=').append(durations[i]);
        return sb.toString();
    }
}
