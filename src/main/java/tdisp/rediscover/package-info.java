/**
 * The known upstream bugs ({@link tdisp.rediscover.KnownBugs}) and the rediscovery service
 * that explores each with its buggy and its fixed knobs ({@link tdisp.rediscover.Rediscovery}).
 * A model package: imports explore, strategy, platform and world; never cli or report.
 */
package tdisp.rediscover;
