package tdisp.referee;

/**
 * One row of the conformance table.
 *
 * @param recording the recording id the claim is checked against
 * @param scenario  the model's scenario (the recording id for a host-only run, else a matrix scenario)
 * @param platform  the platform the model ran on ("any" for a host-only run)
 * @param actor     the model thread whose calls are claimed ("" for a row about the whole run)
 * @param kind      order, nesting, host-path (the bound run's calls the recording cannot show), run
 * @param model     what the model says (a count, or the call that fails)
 * @param kernel    what the recording says (the task, or where the call is instead)
 * @param detail    one sentence for the notes under the table ("" when agreeing)
 */
public record Claim(String recording, String scenario, String platform, String actor, String kind, String model,
        String kernel, Verdict verdict, String detail) {

    /** The claim column of the text table. */
    public String label() {
        StringBuilder sb = new StringBuilder(scenario);
        if (!platform.equals(Referee.ANY)) sb.append(' ').append(platform);
        if (!actor.isEmpty()) sb.append(' ').append(actor);
        sb.append(": ").append(kind);
        return sb.toString();
    }
}
