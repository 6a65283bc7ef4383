package dev.moodtag.tagging;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/**
 * How long the function (and {@code moodtag tag}) may spend on one object: {@code base + per-media-second × length},
 * where the length is what has been decoded (see {@link dev.moodtag.media.TimeBudget}: a declared length buys nothing). An
 * object whose own CPU time also used its budget gets a result with status {@code error} and kind
 * {@code limit_exceeded}, its decoding threads stopped; one kept waiting by a loaded machine runs on to
 * {@link #starvedCap()} times its budget and is then retried, with nothing written. The defaults leave a wide margin: a one-hour recording took 41–313 s here (real-time factor 0.012–0.087,
 * idle and under load) against a budget of 1860 s; a 3 s clip takes about 0.2 s against 61.5 s.
 */
@ConfigMapping(prefix = "moodtag.budget")
public interface TimeBudgetConfig {

    /** Allowed whatever the media's length: copying the file in, opening it, the first run of every model. */
    @WithDefault("PT60S")
    Duration base();

    /** Allowed on top, per second of media. */
    @WithDefault("0.5")
    double perMediaSecond();

    /**
     * The wall-clock cap for an object whose own CPU time stays under its budget (a machine loaded far beyond its
     * cores, a pod held to its CPU limit), as a multiple of the budget: there it stops as a transient failure, answered
     * as retryable with no result written. At least 1 (1: stopped as soon as the budget is spent).
     */
    @WithDefault("4")
    double starvedCap();
}
