package tdisp.kernel;

/**
 * Names for KVM carrying TDISP ops itself (KVM-direct), from AMD's RFC v1 "TSM: Secure
 * VFIO, TDISP, SEV TIO" (20240823132137.336874-1-aik@amd.com): bind and unbind reach the
 * arch hook kvm_arch_tsm_bind()/kvm_arch_tsm_unbind() (x86.c, patch 11/21); a guest request
 * is snp_sev_tio_guest_request() on SEV. RFC v1 binds from the KVM-VFIO device attribute,
 * not from a guest exit: the exit-to-hook edge is Yilun's February 2025 suggestion, and a
 * platform without an RFC v1 handler gets a name the vocabulary marks hypothetical.
 */
public final class KvmDirect {
    private KvmDirect() {}

    /** The handler an exit for {@code op} (a GuestOp name) reaches; {@code otherReq} for requests. */
    public static String handler(String op, String otherReq) {
        return switch (op) {
            case "BIND" -> "kvm_arch_tsm_bind";
            case "UNBIND" -> "kvm_arch_tsm_unbind";
            default -> otherReq;
        };
    }
}
