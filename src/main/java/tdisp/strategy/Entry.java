package tdisp.strategy;

import java.util.List;

/** Which host component a TDISP operation enters: KVM in-kernel, or via the VMM on iommufd or VFIO. */
public enum Entry {
    /** KVM's exit handler calls the TSM core itself (Alternative 1). */
    KVM("kvm"),
    /** The VMM issues an iommufd vDEVICE ioctl (Alternatives 2 and 5). */
    IOMMUFD("iommufd"),
    /** The VMM issues a VFIO device ioctl (Alternative 4). */
    VFIO("vfio");

    private final String token;

    Entry(String token) { this.token = token; }

    /** The lowercase token used in descriptor files and {@code --set}. */
    public String token() { return token; }

    /** Parses a token; throws {@link StrategyException} {@code 'x' is not one of kvm|iommufd|vfio}. */
    public static Entry parse(String token) { return Tokens.parse(token, values(), Entry::token); }

    /** All tokens, in declaration order. */
    public static List<String> tokens() { return Tokens.of(values(), Entry::token); }
}
