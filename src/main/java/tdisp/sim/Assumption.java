package tdisp.sim;

import java.util.List;

/**
 * The named assumptions: every choice that decides a verdict and that no source makes. A
 * step whose outcome rests on one records it ({@link Sim#assume}); the run's result, the
 * matrix cell and an explorer counterexample then say so, as {@code [hypothetical]} does
 * for names. Defined here, once; {@code tdisp list} prints them.
 *
 * <p>To add one: a constant with its id, statement, why no source settles it, the knob that
 * selects the other reading ("" if there is none) and the platforms; then call
 * {@code sim.assume(Assumption.X)} in the step whose outcome rests on it.
 */
public enum Assumption {
    D3HOT_LOSES_STATE("A-D3HOT-LOSES-STATE",
            "D3hot to D0 resets the function (No_Soft_Reset = 0): a LOCKED or RUN TDI goes to ERROR",
            "No_Soft_Reset (PCI PM Control/Status bit 3) is the device's choice; TDISP Table 11-2 errors the TDI "
                    + "only when the transition loses state, and no device the model stands for is named",
            "device.no-soft-reset", List.of("all")),
    CCA_REVOKE_UNMAPS("A-CCA-REVOKE-UNMAPS",
            "VFIO's BAR dma-buf revoke (BAR zap, close) unmaps the realm's device memory (RMI_RTT_DEV_UNMAP)",
            "cca_tsm_unbind()'s comment expects the revoke to unmap, but the mapping is made by cca_vdev_device_map() "
                    + "-> realm_dev_mem_map() from the guest request with a PA the VMM passes, not by a dma-buf importer "
                    + "(kamalca/linux@de76c1c4 drivers/virt/coco/arm-cca-host/arm-cca.c, rmi-da.c); no posted code "
                    + "connects the two",
            "kvm.cca-dma-buf-revoke", List.of("cca")),
    SNP_MMIO_RMP_KEPT("A-SNP-MMIO-RMP-KEPT",
            "destroying an SNP VM leaves its TEE BAR pages assigned in the RMP: only tdi_unbind's rmp_make_shared() reverts them",
            "AMD's RFC reverts them in tdi_unbind() only; SNP teardown reclaims guest_memfd pages, which MMIO is not, "
                    + "and no posted patch says what happens to MMIO RMP entries at SNP_DECOMMISSION",
            "kvm.snp-destroy-mmio-rmp", List.of("sev-tio")),
    SNP_RMP_UPDATE_UNBOUND("A-SNP-RMP-UPDATE-UNBOUND",
            "an RMP update of a TEE BAR (the VMM's KVM_SEV_SNP_MMIO_RMP_UPDATE on the guest's MMIO_VALIDATE exit) goes through "
                    + "when the TDI is not bound to the VM: neither the VMM nor KVM checks, so the pages become the VM's again",
            "the posted ioctl handler checks only that the VM is SNP (20250218111017.491719-11-aik@amd.com), so KVM lets it; "
                    + "that patch's design binds first (the VMM binds on the first TIO guest request, then updates the RMP) "
                    + "and RFC v1's tio_make_mmio_private() needs a bound TDI, but no posted VMM for v5 or later says "
                    + "whether it checks",
            "kvm.snp-rmp-update", List.of("sev-tio")),
    VM_DESTROY_REFUSED_WHILE_BOUND("A-VM-DESTROY-REFUSED-WHILE-BOUND",
            "SNP_DECOMMISSION and TD teardown are refused while a TDI is still bound to the VM",
            "not found in a public SEV or TDX module source; reachable only when the unbind was skipped",
            "", List.of("sev-tio", "tdx-connect")),
    SEV_RECLAIM_CLEARS_SDTE("A-SEV-RECLAIM-CLEARS-SDTE",
            "TIO_TDI_RECLAIM clears the TDI's secure DMA entry (SDTE)",
            "AMD's host code never clears the SDTE itself and the PSP's behaviour is not public "
                    + "(domain notes, tdisp.md 4.5, open point)",
            "", List.of("sev-tio")),
    TDX_GUEST_REQ_THROUGH_HOST("A-TDX-GUEST-REQ-THROUGH-HOST",
            "the TD's DEVIF requests (GET_STATE, START) reach the module through the host: tdx_tsm_guest_req() "
                    + "carries them as TDH.DEVIF.REQUEST(td_flag=1)",
            "the tdx-host tree has no guest_req handler and the extension ABI's TDI leaves are not public; "
                    + "the preview ABI's names stand in",
            "", List.of("tdx-connect")),
    VFIO_GUEST_REQ_MEMORY_LOCK("A-VFIO-GUEST-REQ-MEMORY-LOCK",
            "a VFIO guest-request ioctl holds memory_lock for read across the firmware call",
            "no such ioctl was posted (RFC v2's cover letter only floats the route); the lock is what it would need "
                    + "to keep the BAR from being zapped under a validation",
            "", List.of("all")),
    SEV_RECLAIM_NEEDS_LIVE_DEVICE("A-SEV-RECLAIM-NEEDS-LIVE-DEVICE",
            "after the device is lost (link down, no SPDM session) the PSP refuses TIO_TDI_RECLAIM of its TDI, "
                    + "which the model reads as the device's own TDISP state (ERROR): the TDI context stays",
            "no public PSP source or AMD posting says what TIO_TDI_RECLAIM does when the device cannot answer",
            "", List.of("sev-tio")),
    // Under iommufd v7 and the guest-driven flow (issue #21): what no stored source shows.
    V7_SEV_BIND("A-V7-SEV-BIND",
            "Under v7 AMD's host bind at IOMMU_VDEVICE_ALLOC is TIO_TDI_CREATE only; the guest's SEV_TIO_OP(BIND) reaches the host as SET_TDI_STATE(LOCKED) and runs TIO_TDI_BIND then TIO_TDI_STATUS; its SEV_TIO_OP(UNBIND) is SET_TDI_STATE(UNLOCKED), a non-forced TIO_TDI_UNBIND; the rest of tdi_unbind runs when the vDEVICE dies",
            "the v7 patches are not stored (only a digest's summary); no AMD tree after July 2026 shows the host side of TIO_OP_BIND under the v7 uAPI (upstream-late-2026.md §4.1, §8)",
            "", List.of("sev-tio")),
    V7_TDX_BIND("A-V7-TDX-BIND",
            "Under v7 tdx-host's bind at IOMMU_VDEVICE_ALLOC is TDH.DEVIF.CREATE only; the TD's TDCM BIND reaches the host as SET_TDI_STATE(LOCKED) and runs TDH.DEVIF.REQUEST(LOCK) then TDH.DMAR.ADD; its TDCM UNBIND is SET_TDI_STATE(UNLOCKED), TDH.DEVIF.REQUEST(STOP); the rest of the unbind runs when the vDEVICE dies",
            "no tree stored after June 2026 has tdx-host's TDI bind (TDH.DEVIF.*, TDH.MMIO.*); intel/tdx@08c524aa1cd4 tdx-host.c has link ops only",
            "", List.of("tdx-connect")),
    V7_SEALED_MSG("A-V7-SEALED-MSG",
            "Under v7 a SEV or TDX guest's sealed message (TIO_MSG_*, the TD's request) passes IOMMU_VDEVICE_TSM_REQ as an opaque op of its tvm_arch (printed TSM_REQ_TVM_MESSAGE); iommufd refuses it for tvm_arch CCA",
            "the v7 op list is known for CCA only (ops 1, 2, 5, 6, 7 in the linux-cca v7 branch); the numbers of IOMMU_VDEVICE_TSM_TVM_ARCH_SEV/TDX and any SEV/TDX ops under v7 are in no stored source",
            "", List.of("sev-tio", "tdx-connect")),
    V7_TVM_ARCH("A-V7-TVM-ARCH",
            "tvm_arch SEV and TDX exist in v7's struct with values we do not print (only the names)",
            "kamalca/linux tsm.c defines IOMMU_VDEVICE_TSM_TVM_ARCH_SEV/TDX but the stored copy of include/uapi was not read for their numbers; CCA=1 from the v7 branch (secondary)",
            "", List.of("sev-tio", "tdx-connect")),
    TDX_SPDM_LOCK_TDI("A-TDX-SPDM-LOCK-TDI",
            "tdx-host's TDI SEAMCALLs (TDH.DEVIF.*, TDH.DMAR.*) are serialised by the same global tdx_spdm_lock as its SPDM SEAMCALLs, and the model holds it across a SEAMCALL's DOE exchange",
            "intel/tdx@08c524aa1cd4 tdx-host.c holds tdx_spdm_lock only around TDH.SPDM.CONNECT/DISCONNECT/MNG and drops it for the DOE transfer; no stored tree has tdx-host's TDI ops; its comment says the TDISP extension runs one thread (TDX_OPERAND_BUSY otherwise)",
            "", List.of("tdx-connect")),
    TDX_MMIO_ACCEPT_FAULTS_IN("A-TDX-MMIO-ACCEPT-FAULTS-IN",
            "In the guest-driven flow the TD's TDG.MMIO.ACCEPT, with no MapGPA before it, takes an EPT violation that KVM handles itself: it maps the TEE BAR pending (TDH.MMIO.MAP) from VFIO's dma-buf and resumes the TD; the VMM sees nothing",
            "intel-staging/tdx@089d07440e7d connect.c accepts each range right after the lock with no MapGPA, and tdx_mcall_mmio_accept() accepts \"a pending private MMIO mapping\"; no stored host tree maps TDX private MMIO (no TDH.MMIO.* host code after June 2026)",
            "", List.of("tdx-connect"));

    private final String id;
    private final String statement;
    private final String why;
    private final String knob;
    private final List<String> platforms;

    Assumption(String id, String statement, String why, String knob, List<String> platforms) {
        this.id = id;
        this.statement = statement;
        this.why = why;
        this.knob = knob;
        this.platforms = List.copyOf(platforms);
    }

    /** The printed id, e.g. {@code A-D3HOT-LOSES-STATE}. */
    public String id() { return id; }

    /** What the model assumes, in one line. */
    public String statement() { return statement; }

    /** Why no source settles it. */
    public String why() { return why; }

    /** The knob key that selects the other reading, or "" when there is only one. */
    public String knob() { return knob; }

    /** Platform ids it applies to ("all" for every platform). */
    public List<String> platforms() { return platforms; }

    /** The assumption with this printed id. */
    public static Assumption byId(String id) {
        for (Assumption a : values()) if (a.id.equals(id)) return a;
        throw new IllegalArgumentException("unknown assumption '" + id + "'");
    }
}
