package tdisp.strategy;

import java.util.List;

/**
 * Where vfio_pci_core_close_device() revokes the BAR dma-bufs (vfio_pci_dma_buf_cleanup(),
 * drivers/vfio/pci/vfio_pci_dmabuf.c: memory_lock for write, dma_buf_move_notify()).
 */
public enum DmaBufCleanup {
    /** The older order: vfio_pci_core_disable() first, then vfio_pci_dma_buf_cleanup(). */
    AFTER_DISABLE("after-disable"),
    /**
     * Revoke before the disable: Matt Evans' reorder (20260226202211.929005-3-mattev@meta.com),
     * as Linux 7.2 has it (vfio_pci_core_close_device() in drivers/vfio/pci/vfio_pci_core.c).
     */
    BEFORE_DISABLE("before-disable");

    private final String token;

    DmaBufCleanup(String token) { this.token = token; }

    public String token() { return token; }

    public static DmaBufCleanup parse(String token) { return Tokens.parse(token, values(), DmaBufCleanup::token); }

    public static List<String> tokens() { return Tokens.of(values(), DmaBufCleanup::token); }
}
