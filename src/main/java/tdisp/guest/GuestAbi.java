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
         * The guest asks the host to convert its private MMIO (a memory-conversion exit: map
         * for MMIO_VALIDATE, unmap for MMIO_INVALIDATE), possibly followed by a
         * guest-to-firmware accept; no TSM request is carried.
         */
        CONVERT,
        /** The platform has no such operation (the host's unbind does its work). */
        ABSENT
    }

    Route route(GuestOp op);

    /** The {@code tvm_arch} a VMM of this platform names in a typed guest request. */
    tdisp.kernel.TvmArch tvmArch();

    /** When a guest-to-firmware call happens relative to the host's part of an op. */
    enum Call {
        /** Opens the request in firmware before the exit (Arm: RSI_VDEV_VALIDATE_MAPPING). */
        BEFORE_HOST,
        /** After the host's part, or the whole op when the host has none (TDG.DMAR.ACCEPT). */
        AFTER_HOST
    }

    /**
     * For an op the guest sends straight to the firmware whose host part is a KVM fault-in
     * (hostMapsPrivateMmio): the assumption that the fault is KVM's alone, or null when the
     * op has no host part.
     */
    default tdisp.sim.Assumption faultInRestsOn(GuestOp op) { return null; }

    /** True when the op includes a guest-to-firmware call at that point. */
    boolean callsFirmware(GuestOp op, Call when);

    /**
     * True when the host maps the TEE MMIO private itself (a KVM ioctl and the arch's map)
     * before carrying MMIO_VALIDATE; false where the TSM driver maps it inside the request.
     */
    boolean hostMapsPrivateMmio(GuestOp op);

    /** What the guest hands the host for a carried op (pages or a state change), or null. */
    TsmRequest request(GuestOp op, MsgBuf requestPage, MsgBuf responsePage);

    /** True when the host carries ciphertext it cannot read for the op. */
    boolean hostCarriesCiphertext(GuestOp op);

    /**
     * The named assumption that the guest's exit for {@code op} rests on (that the host
     * carries it at all, where no posted code says so), or null.
     */
    default tdisp.sim.Assumption exitRestsOn(GuestOp op) { return null; }

    /** True when the op's authenticated answer tells the guest the TDI's state. */
    boolean answerCarriesState(GuestOp op);

    /** The guest driver's first step for the op, as the trace prints it. */
    String traceName(GuestOp op);

    /** The step name of a guest-to-firmware call. */
    String firmwareCallName(GuestOp op, Call when);

    /** The guest-to-firmware call itself for the TDI of {@code dev}; true on success. */
    boolean firmwareCall(GuestOp op, Call when, int dev, int vm);

    /**
     * For a firmware call whose answer carries the TDI's state (answerCarriesState): the
     * state the firmware told the guest.
     */
    default tdisp.device.TdiState answeredState(int dev) { throw new IllegalStateException("no firmware state answer"); }

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

    /**
     * True when the guest seals its requests to the firmware in pages the host carries
     * (AMD, TDX); false where the host only sees plaintext requests and the guest checks
     * the firmware's answers by other means (Arm: RSI nonces). Scenarios about tampering
     * with or replaying a sealed page do not apply without it.
     */
    default boolean sealsMessagesForHost() { return true; }

    /**
     * True when the guest learns the host's answer to the op asynchronously and polls for it
     * after its exit returns (TDX: TDVMCALL<TDCM>, the shared page's status polled every
     * TDCM_POLL_DELAY_US): the wait is one completion action whose polls are modeled time.
     * The count is the asynchronous requests the op makes, each at least one poll; 0: none.
     */
    default int completionPolls(GuestOp op) { return 0; }

}
