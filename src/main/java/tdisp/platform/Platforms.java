package tdisp.platform;

import java.util.List;
import java.util.stream.Collectors;

import tdisp.platform.cca.Cca;
import tdisp.platform.sev.SevTio;
import tdisp.platform.tdx.TdxConnect;

/**
 * The registry of platforms, one line each. The order is the order of matrix columns and
 * CSV rows, so it is part of the output's bytes: append, don't reorder.
 */
public final class Platforms {
    private static final List<Platform> ALL = List.of(
            new SevTio(),
            new TdxConnect(),
            new Cca());

    private Platforms() {}

    public static List<Platform> all() { return ALL; }

    public static Platform get(String id) {
        for (Platform p : ALL) if (p.id().equals(id)) return p;
        throw new IllegalArgumentException("unknown platform '" + id + "' (known: "
                + ALL.stream().map(Platform::id).collect(Collectors.joining(", ")) + ")");
    }
}
