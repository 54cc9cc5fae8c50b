package tdisp.cli;

/**
 * A command (or mixin) whose inputs are checked after parsing and before any work:
 * strategy ids against the loaded catalog, scenario ids, cost tables, option combinations.
 * A failure is a usage error (exit 2) and nothing runs.
 */
interface Validated {
    void validate();
}
