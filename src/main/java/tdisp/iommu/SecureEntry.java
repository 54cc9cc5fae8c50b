package tdisp.iommu;

import tdisp.sim.Retained;

/**
 * The secure half of a device's IOMMU entry: AMD's SDTE (SEV-TIO §4.5 of the domain notes)
 * or TDX's trusted DMA remapping entry (TDH.DMAR.ADD / TDG.DMAR.ACCEPT). Only firmware
 * writes it.
 *
 * @param vm            the VM (ASID / TD) it names, -1 when none
 * @param guestDeviceId the guest BDF the entry was written for
 */
public record SecureEntry(State state, int vm, int guestDeviceId) implements Retained {
    public enum State { NONE, PENDING, VALID, BLOCKED }

    public static final SecureEntry NONE = new SecureEntry(State.NONE, -1, 0);

    public boolean valid() { return state == State.VALID; }
}
