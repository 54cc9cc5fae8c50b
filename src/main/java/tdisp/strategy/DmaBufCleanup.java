package tdisp.strategy;

import java.util.List;

/**
 * Where vfio_pci_core_close_device() revokes the BAR dma-bufs (vfio_pci_dma_buf_cleanup(),
 * drivers/vfio/pci/vfio_pci_dmabuf.c: memory_lock for write, vfio_pci_dma_buf_move() and
 * dma_buf_invalidate_mappings() in 7.2).
 */
public enum DmaBufCleanup {
    /** The v6.19 order: vfio_pci_core_disable() first, then vfio_pci_dma_buf_cleanup(). */
    AFTER_DISABLE("after-disable"),
    /**
     * Matt Evans' reorder (20260226202211.929005-3-mattev@meta.com), as merged by 7.2
     * (vfio_pci_core_close_device() in linux-source-7.2 7.2.13-1): revoke before the disable.
     */
    BEFORE_DISABLE("before-disable");

    private final String token;

    DmaBufCleanup(String token) { this.token = token; }

    public String token() { return token; }

    public static DmaBufCleanup parse(String token) { return Tokens.parse(token, values(), DmaBufCleanup::token); }

    public static List<String> tokens() { return Tokens.of(values(), DmaBufCleanup::token); }
}
