package tdisp.strategy;

import java.util.List;

/**
 * What makes the host bind a TDI to its VM (tsm_bind()).
 */
public enum BindTrigger {
    /**
     * An explicit bind request: IOMMU_VDEVICE_TSM_OP(BIND) in v5, the VFIO ioctl, or KVM's
     * exit handler; each carries the guest's bind exit.
     */
    EXPLICIT_OP("explicit-op"),
    /**
     * v7 (20261008055955.4014342-1-aneesh.kumar@kernel.org, known from a summary only): the
     * VMM's IOMMU_VDEVICE_ALLOC binds; iommufd_vdevice_alloc_ioctl() calls the vIOMMU's
     * vdevice_init under igroup->lock, which calls tsm_bind(); the vDEVICE's destroy or abort
     * unbinds. There is no IOMMU_VDEVICE_TSM_OP.
     */
    VDEVICE_ALLOC("vdevice-alloc");

    private final String token;

    BindTrigger(String token) { this.token = token; }

    public String token() { return token; }

    public static BindTrigger parse(String token) { return Tokens.parse(token, values(), BindTrigger::token); }

    public static List<String> tokens() { return Tokens.of(values(), BindTrigger::token); }
}
