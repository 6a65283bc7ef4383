package dev.moodtag.publish;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The turns --rate hands out, for rates from the absurdly low to the unbounded (no sleeping: the waits are computed). */
class RateLimitTest {

    /**
     * A rate so low that its spacing, or the queue of turns it builds, passes Long.MAX_VALUE nanoseconds (--rate 1e-10
     * at once, 1e-9 after nine events): the next turn wrapped to a time in the past, and the events after it went at
     * once, unspaced. Every turn after the first now waits about one spacing or more (or as long as a wait can be).
     */
    @Test
    void aRateSoLowItsTurnsPassTheLongestWaitStillSpacesEveryEvent() {
        for (double rate : new double[]{Double.MIN_VALUE, 1e-300, 1e-10, 1.0842e-10, 1e-9, 1e-8}) {
            RateLimit limit = new RateLimit(rate);
            long spacing = (long) Math.min(1e9 / rate, Long.MAX_VALUE / 2);
            assertEquals(0, limit.turn(), "the first event goes at once");
            for (int event = 2; event <= 40; event++) {
                long wait = limit.turn();
                // half: the turn is counted from now, and the calls themselves take a little of it (these spacings are years)
                assertTrue(wait >= spacing / 2, "rate " + rate + ", event " + event + ": waits " + wait + " ns, less than the spacing");
            }
        }
    }

    @Test
    void anUnboundedRateNeverWaits() {
        RateLimit limit = new RateLimit(Double.POSITIVE_INFINITY);
        for (int event = 1; event <= 5; event++) assertEquals(0, limit.turn());
    }
}
