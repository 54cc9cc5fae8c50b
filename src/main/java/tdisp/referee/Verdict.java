package tdisp.referee;

/** What the kernel says to one claim of the model. */
public enum Verdict {
    AGREE("agree"),
    DIFFER("differ"),
    /** The path needs a bound TDI: merged code on hardware without TDISP cannot take it. */
    NO_TDISP("no-tdisp"),
    /** No recording of the scenario in the recordings directory: nothing was checked. */
    NOT_RECORDED("not recorded"),
    /** The model has no host-only run for the recording: nothing was checked. */
    NOT_MODELLED("not modelled");

    private final String word;

    Verdict(String word) { this.word = word; }

    public String word() { return word; }
}
