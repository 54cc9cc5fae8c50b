/**
 * AMD SEV-SNP with SEV-TIO: the PSP's TIO firmware (SEV-TIO Firmware Interface
 * Specification #58271), sev-dev-tsm's {@code pci_tsm_ops}, KVM's SNP exits and RMP
 * updates for private MMIO, and the SNP guest's TIO messages.
 */
package tdisp.platform.sev;
