/**
 * One PCIe function hosting one TDI (TDISP device interface): config space (Command, BARs,
 * power state, FLR), the TDISP responder (DSM side, PCIe 6.x chapter 11 "TDISP") and the
 * device half of the data path (TLP rules of TDISP §11.2.1).
 *
 * <p>The bottom of the model: depends on {@code java.*} only. Values that flow (requests,
 * responses, causes, results) are immutable records and enums; the mutable device state
 * lives in {@link tdisp.device.PciFunction} as register-shaped primitives, so that it packs
 * into a few bytes ({@link tdisp.device.PciFunction#snapshot()}).
 */
package tdisp.device;
