package tdisp.strategy;

import java.util.List;

/**
 * The uAPI of the VMM's guest-request ioctl on the vDEVICE (IOMMU_VDEVICE_TSM_REQ).
 */
public enum GuestRequestUapi {
    /** v5 as posted: a generic scope (INFO, STATE_CHANGE, ...) and an opaque payload. */
    SCOPE("scope"),
    /**
     * After the v5 review (Aneesh, yq5aik81sf22.fsf@kernel.org; Dan Williams,
     * 6a272cebec4af_4fa7810048@djbw-dev.notmuch): {@code tvm_arch} plus a typed {@code op}
     * that iommufd validates (VALIDATE_MMIO, SET_TDI_STATE; SEV_ENABLE_DMA/SEV_DISABLE_DMA
     * for SEV only), and device evidence read through the pci-tsm netlink family
     * (PCI_TSM_CMD_EVIDENCE_READ) instead of tunnelled object requests.
     */
    TYPED_OP("typed-op"),
    /**
     * v7 (20261008055955.4014342-1-aneesh.kumar@kernel.org; its struct as the linux-cca
     * v7 integration branch encodes it, second-hand): the 48-byte
     * {@code {size, vdevice_id, op, tvm_arch, req_len, resp_len, req_uptr, resp_uptr,
     * tsm_code}}; returns -errno, a positive residue or 0, and always copies
     * {@code tsm_code} back (-EFAULT when that copy fails). Evidence objects are ops of the
     * ioctl again (READ_OBJECT, REGEN_OBJECT, OBJECT_INFO), not netlink.
     */
    V7("v7");

    private final String token;

    GuestRequestUapi(String token) { this.token = token; }

    public String token() { return token; }

    public static GuestRequestUapi parse(String token) { return Tokens.parse(token, values(), GuestRequestUapi::token); }

    public static List<String> tokens() { return Tokens.of(values(), GuestRequestUapi::token); }
}
