/**
 * Byte layouts and framing for TDISP: the message layouts of PCIe 6.x §11.3 (Tables 11-4 to
 * 11-27), the TDI report structure (Table 11-15), and the transport that carries them (PCI
 * DOE data object, DSP0277 secured message, DSP0274 VENDOR_DEFINED_REQUEST/RESPONSE with the
 * PCI-SIG header and protocol id 01h). Cross-checked against DMTF/libspdm
 * {@code include/industry_standard/} ({@code pci_tdisp.h}, {@code pcidoe.h},
 * {@code spdm_secured_message.h}).
 *
 * <p>Depends on {@code java.*} only; holds no state and allocates nothing.
 */
package tdisp.device.wire;
