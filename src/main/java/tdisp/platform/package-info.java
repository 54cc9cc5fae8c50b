/**
 * The platform seam: {@link tdisp.platform.Platform} is what differs between SEV-TIO, TDX
 * Connect and Arm CCA (firmware, host TSM driver, KVM's exit ABI and private MMIO, the
 * guest's TDISP ABI, cost rows, trace names); {@link tdisp.platform.Platforms} lists them.
 * Each platform lives in its own subpackage, which may import {@code device}, {@code iommu},
 * {@code sim}, {@code firmware}, {@code guest}, {@code cost} and the {@code kernel}
 * interfaces; outside the subpackages only the registry names one (PlatformSeamTest).
 * Adding a platform: write its package, add one line to {@link tdisp.platform.Platforms}.
 */
package tdisp.platform;
