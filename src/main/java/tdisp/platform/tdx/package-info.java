/**
 * Intel TDX Connect: the TDX module's Connect SEAMCALLs and TDCALLs, tdx-host's
 * {@code pci_tsm_ops}, KVM's TDVMCALL exits and S-EPT private MMIO, and the TD's side
 * (DEVIF requests through the host, MMIO and DMA accepted by TDCALL).
 */
package tdisp.platform.tdx;
