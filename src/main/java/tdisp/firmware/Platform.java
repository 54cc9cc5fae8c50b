package tdisp.firmware;

import java.util.Arrays;
import java.util.stream.Collectors;

/** The confidential-computing platforms the model implements (Arm CCA plugs in here later). */
public enum Platform {
    SEV_TIO("sev-tio", "AMD SEV-SNP with SEV-TIO: PSP firmware behind the global sev_cmd_mutex"),
    TDX_CONNECT("tdx-connect", "Intel TDX Connect: TDX module SEAMCALLs behind tdx_ext_lock");

    private final String id;
    private final String description;

    Platform(String id, String description) {
        this.id = id;
        this.description = description;
    }

    public String id() { return id; }

    public String description() { return description; }

    public static Platform parse(String id) {
        for (Platform p : values()) if (p.id.equals(id)) return p;
        throw new IllegalArgumentException("unknown platform '" + id + "' (known: "
                + Arrays.stream(values()).map(Platform::id).collect(Collectors.joining(", ")) + ")");
    }
}
