package tdisp.world;

/**
 * How a world's TDIs sit on devices. Every slot is one TDI assigned to one VM; the layout
 * says which DSM (and so which SPDM session, nonce generator and {@code pci_tsm_pf0::lock})
 * each TDI is behind.
 */
public enum DsmLayout {
    /** Every TDI on its own device: TDI i is PF0 of device i, with its own DSM. */
    ONE_PER_TDI,
    /**
     * One device: TDI 0 is PF0, TDIs 1.. are its VFs, all behind PF0's DSM and lock. A PF FLR
     * takes the VFs' TDIs to ERROR; a VF FLR only its own (§11.2). The model still runs
     * pci_tsm_connect per function; on the shared DSM the second connect finds the session up.
     */
    SHARED_PF0;

    /**
     * Symmetry classes for the explorer: slots with equal class are interchangeable. With one
     * DSM per TDI all are; with a shared DSM PF0 is not interchangeable with a VF (its FLR
     * reaches them, theirs does not reach it), while the VFs are among themselves.
     */
    public int symmetryClass(int slot) { return this == SHARED_PF0 && slot == 0 ? 1 : 0; }
}
