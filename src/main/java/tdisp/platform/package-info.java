/**
 * The platform seam: {@link tdisp.platform.Platform} is what differs between SEV-TIO, TDX
 * Connect and Arm CCA (firmware, host TSM driver, KVM's exit ABI and private MMIO, the
 * guest's TDISP ABI, cost rows, trace names); {@link tdisp.platform.Platforms} lists them.
 * Each platform lives in its own subpackage, which may import {@code device}, {@code iommu},
 * {@code sim}, {@code firmware}, {@code guest} and the {@code kernel} interfaces, not
 * {@code cost} (it reads cost rows through a lookup; PackageRulesTest); outside the
 * subpackages only the registry names one (PlatformSeamTest).
 *
 * <p>Adding a platform: write its package (its {@code Platform} declares its trace lanes
 * and actor labels), put its own vocabulary and cost rows, in the common files' columns,
 * in {@code src/main/resources/tdisp/platform/<p>/vocabulary.csv} and {@code costs.csv}, and
 * add one line to {@link tdisp.platform.Platforms}. Nothing outside changes;
 * The test sources register such a platform of their own and check it reaches every output.
 */
package tdisp.platform;
