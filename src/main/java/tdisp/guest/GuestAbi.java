package tdisp.guest;

import java.util.List;

import tdisp.firmware.MsgBuf;
import tdisp.kernel.TsmRequest;

/**
 * A platform's TDISP ABI as the guest driver sees it: how each {@link GuestOp} travels
 * (through the host, straight to the firmware, or not at all), what the guest hands the
 * host for it, the order of the accept and teardown flows, and the names the trace prints.
 * Each platform package implements it; the guest, the routing and the scenarios only ask.
 */
public interface GuestAbi {
    /** How an op reaches the firmware on this platform. */
    enum Route {
        /** Guest exit, then KVM or the VMM carries it to the host TSM core. */
        CARRIED,
        /** A guest-to-firmware call the host never sees (TDX: TDG.DMAR.ACCEPT). */
        FIRMWARE_ONLY,
        /**
         * The guest asks the host to map its private MMIO (a memory-conversion exit), then
         * accepts the mapping with a guest-to-firmware call; no TSM request is carried.
         */
        MAP_THEN_ACCEPT,
        /** The platform has no such operation (the host's unbind does its work). */
        ABSENT
    }

    Route route(GuestOp op);

    /** What the guest hands the host for a carried op (pages or a state change), or null. */
    TsmRequest request(GuestOp op, MsgBuf requestPage, MsgBuf responsePage);

    /** True when the host carries ciphertext it cannot read for the op. */
    boolean hostCarriesCiphertext(GuestOp op);

    /** True when the op's authenticated answer tells the guest the TDI's state. */
    boolean answerCarriesState(GuestOp op);

    /** The guest driver's first step for the op, as the trace prints it. */
    String traceName(GuestOp op);

    /** The step name of the guest-to-firmware call of a FIRMWARE_ONLY or MAP_THEN_ACCEPT op. */
    String firmwareCallName(GuestOp op);

    /** The guest-to-firmware call itself for the TDI of {@code dev}; true on success. */
    boolean firmwareCall(GuestOp op, int dev, int vm);

    /** The step and note that stand for an ABSENT op. */
    String absentStep();

    String absentNote(GuestOp op);

    /** The guest's accept flow up to secure DMA and a final state check. */
    List<GuestOp> bringUp();

    /** The guest's orderly teardown. */
    List<GuestStep> teardown();

    /**
     * The host-carried request on the secure-DMA path: the one a benchmark repeats and a
     * race runs against an unbind (AMD: the SDTE write; TDX: the TD's DEVIF request).
     */
    GuestOp hotOp();

    /**
     * The host-carried ciphertext that turns the TDI's use on (AMD: the SDTE write; TDX:
     * the START request), which a tampering VMM goes for, and the ops it needs before it.
     */
    GuestOp enableRequest();

    List<GuestOp> enablePrerequisites();
}
