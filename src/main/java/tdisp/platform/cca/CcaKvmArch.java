package tdisp.platform.cca;

import tdisp.kernel.KvmArch;
import tdisp.sim.KLock;
import tdisp.sim.LockMode;
import tdisp.sim.PathBuilder;
import tdisp.sim.Sim;

/**
 * arch/arm64/kvm for realms (Steven Price's "arm64: Support for Arm CCA in KVM" v13,
 * lore 20260318155413.793430-1-steven.price@arm.com, plus the host TDISP RFC v4 patches
 * 13-14): REC exits, the realm's stage-2 device mappings in rmi.c, realm teardown.
 */
final class CcaKvmArch implements KvmArch {
    private final Sim sim;
    private final Rmm rmm;
    private final KLock mmuLock = KLock.rwsem("kvm->mmu_lock", "");

    /** kvm.cca-revoke-unmaps (A-CCA-REVOKE-UNMAPS): whether VFIO's revoke unmaps the realm's device mapping. */
    private final boolean revokeUnmaps;

    CcaKvmArch(Sim sim, Rmm rmm, tdisp.strategy.KnobSection.Kvm kvm) {
        this.sim = sim;
        this.rmm = rmm;
        this.revokeUnmaps = kvm.ccaRevokeUnmaps();
        sim.register(mmuLock);
    }

    /**
     * Realm requests to the host are RHI calls, SMCCC tunnelled through RSI_HOST_CALL; the
     * map request is the RMM's own exit after RSI_VDEV_VALIDATE_MAPPING.
     */
    @Override
    public String guestExit(String op, boolean encryptedMessage) {
        return op.equals("MMIO_VALIDATE") ? "REC exit RMI_EXIT_VDEV_VALIDATE_MAPPING" : "RSI_HOST_CALL -> REC exit RMI_EXIT_HOST_CALL";
    }

    /**
     * The map request after RSI_VDEV_VALIDATE_MAPPING reaches the VMM as KVM_EXIT_ARM64_TIO
     * (host RFC v4); RHI calls leave KVM as SMCCC hypercalls forwarded to userspace.
     */
    @Override
    public String userExitReason(String op) { return op.equals("MMIO_VALIDATE") ? "KVM_EXIT_ARM64_TIO" : "KVM_EXIT_HYPERCALL (SMCCC)"; }

    @Override
    public String exitHandler(String op) {
        String exit = op.equals("MMIO_VALIDATE") ? "rec_exit_vdev_validate_mapping" : "rec_exit_host_call -> kvm_smccc_call_handler";
        return "handle_rec_exit -> " + exit + " -> " + tdisp.kernel.KvmDirect.handler(op, "kvm_cca_tsm_request");
    }

    /** The TSM driver maps realm device memory inside the request; there is no KVM ioctl for it. */
    @Override
    public String privateMmioIoctl() { throw new IllegalStateException("realm device memory is mapped by cca_vdev_device_map"); }

    /** After RMI_EXIT_RIPAS_CHANGE the VMM converts the range back with the memory attributes. */
    @Override
    public String sharedMmioIoctl() { return "KVM_SET_MEMORY_ATTRIBUTES(SHARED)"; }

    /** rsi_invalidate_dev_mapping: RIPAS to EMPTY (CHANGE_DESTROYED) for the TDI's range. */
    @Override
    public String conversionExit() { return "RSI_IPA_STATE_SET(RIPAS_EMPTY) -> REC exit RMI_EXIT_RIPAS_CHANGE"; }

    @Override
    public String conversionUserExit() { return "KVM_EXIT_MEMORY_FAULT"; }

    /** An emulated config-space access of a realm: a data abort on an unprotected IPA. */
    @Override
    public String configSpaceExit() { return "REC exit RMI_EXIT_SYNC (data abort, emulated MMIO)"; }

    /** realm_dev_mem_map: kvm->mmu_lock for write, delegate the range, RTT_DEV_MAP (exported to the TSM driver). */
    @Override
    public void mapPrivateMmio(PathBuilder b) {
        b.locked("realm_dev_mem_map", mmuLock, LockMode.WRITE, t -> {
            sim.call("realm_dev_mem_map(vm" + t.vm + ", dev" + t.dev + ")");
            String ret = rmm.rmiRttDevMap(t.dev, t.vm);
            if (!Rmm.RMI_SUCCESS.equals(ret)) {
                sim.ret("realm_dev_mem_map", tdisp.sim.Errno.ENXIO);
                t.fail(tdisp.sim.Errno.ENXIO);
            }
        });
    }

    /**
     * realm_unmap_private_range over the TDI's range (RIPAS DEV entries): RTT_DEV_UNMAP,
     * which the RMM allows in any VDEV state; the realm loses the mapping silently.
     */
    @Override
    public void zapPrivateMmio(PathBuilder b) {
        b.locked("realm_unmap_private_range", mmuLock, LockMode.WRITE, t -> {
            sim.call("realm_unmap_private_range(dev" + t.dev + " BAR)");
            if (rmm.devMem(t.dev) != Rmm.DevMem.NONE) rmm.rmiRttDevUnmap(t.dev);
        });
    }

    /**
     * VFIO's revoke reaching the realm's device mapping: a named assumption
     * (A-CCA-REVOKE-UNMAPS). Read as cca_tsm_unbind()'s comment expects (default), KVM
     * unmaps as for any importer; read as the posted code maps it (cca_vdev_device_map(),
     * no dma-buf attachment), nobody is notified and the mapping stays.
     */
    @Override
    public void dmaBufRevoke(PathBuilder b) {
        if (revokeUnmaps) {
            b.locked("realm_unmap_private_range", mmuLock, LockMode.WRITE, t -> {
                sim.call("realm_unmap_private_range(dev" + t.dev + " BAR)");
                if (rmm.devMem(t.dev) == Rmm.DevMem.NONE) return;
                sim.assume(tdisp.sim.Assumption.CCA_REVOKE_UNMAPS);
                rmm.rmiRttDevUnmap(t.dev);
            });
        } else {
            b.step("dma_buf_move_notify", t -> {
                if (rmm.devMem(t.dev) == Rmm.DevMem.NONE) return;
                sim.assume(tdisp.sim.Assumption.CCA_REVOKE_UNMAPS);
                sim.note("dma_buf_move_notify: no importer holds the realm's device mapping of dev" + t.dev + "; it stays");
            });
        }
    }

    /** kvm_destroy_realm: the whole IPA space is unmapped (device entries too), then REALM_DESTROY. */
    @Override
    public void destroyVm(PathBuilder b) {
        b.step("kvm_destroy_realm", t -> {
            sim.call("kvm_destroy_realm(vm" + t.vm + ")");
            for (int d = 0; d < rmm.tdis(); d++) {
                if (rmm.boundVm(d) == t.vm && rmm.devMem(d) != Rmm.DevMem.NONE) rmm.rmiRttDevUnmap(d);
            }
            rmm.rmiRealmDestroy(t.vm);
        });
    }
}
