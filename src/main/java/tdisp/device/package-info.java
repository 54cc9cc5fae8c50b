/**
 * The TDISP device: PCIe functions each hosting one TDI (config space, Command, BARs, power
 * state, FLR, the device half of the data path per TDISP §11.2.1), and the DSM they sit
 * behind ({@link tdisp.device.Dsm}: the TDISP responder, the SPDM session, IDE keys and the
 * nonce generator, shared by PF0 and its VFs).
 *
 * <p>TDISP travels as bytes: a TSM encodes a {@link tdisp.device.TdispRequest}, frames it
 * ({@link tdisp.device.wire.Transport}), the DSM parses and answers in bytes, and
 * {@link tdisp.device.TdispResponse#decode} reads the answer. The records are a thin view;
 * the layouts are in {@code tdisp.device.wire}.
 *
 * <p>The bottom of the model: depends on {@code java.*} and {@code tdisp.device.wire} only.
 * Values that flow are immutable records and enums; mutable device state is register-shaped
 * primitives packed into a few words ({@link tdisp.device.PciFunction#snapshotWord}).
 */
package tdisp.device;
