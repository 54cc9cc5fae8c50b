/**
 * Arm CCA device assignment: the RMM's PDEV/VDEV RMI and the realm's RSI VDEV calls
 * (DEN0137 2.0-bet1, TF-RMM), arm-cca-host's {@code pci_tsm_ops}, realm KVM's REC exits and
 * stage-2 device mappings, and the realm's RHI requests. Names and rules:
 * {@code shared/domain/names-and-cca.md} and {@code tdisp.md} §6, §7.3, §8.3-8.4.
 */
package tdisp.platform.cca;
