package dev.moodtag.publish;

import dev.moodtag.support.RetryAfter;

import java.net.http.HttpHeaders;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.DoubleSupplier;

/**
 * How long to wait before the next attempt: exponential backoff with full jitter (a random wait between zero and
 * {@code initial × 2^(attempt-1)}, capped), so that many publishers turned away at once do not come back at once;
 * or the sink's {@code Retry-After} when it sent one, capped, because it knows better when it can take the event.
 */
final class Backoff {

    /**
     * The longest wait the sender can sleep, counted in nanoseconds by a long (about 292 years). A setting above it
     * (PT2562048H and more) means "as long as there is": converted as it was, it threw ArithmeticException in a sending
     * thread and ended the whole publish.
     */
    static final Duration LONGEST = Duration.ofNanos(Long.MAX_VALUE);

    private final Duration initial, max, retryAfterMax;
    private final DoubleSupplier random;

    /** @param random uniform in [0, 1) */
    Backoff(Duration initial, Duration max, Duration retryAfterMax, DoubleSupplier random) {
        this.initial = atMostLongest(initial);
        this.max = atMostLongest(max);
        this.retryAfterMax = atMostLongest(retryAfterMax);
        this.random = random;
    }

    private static Duration atMostLongest(Duration d) {
        return d.compareTo(LONGEST) > 0 ? LONGEST : d;
    }

    /** The wait after failed attempt number {@code attempt} (1 for the first). */
    Duration after(int attempt, Optional<Duration> retryAfter) {
        if (retryAfter.isPresent()) {
            Duration d = retryAfter.get();
            return d.isNegative() ? Duration.ZERO : d.compareTo(retryAfterMax) > 0 ? retryAfterMax : d;
        }
        // In doubles, which do not wrap; the cast to long saturates at LONGEST
        double ceiling = Math.min(max.toNanos(), initial.toNanos() * Math.pow(2, Math.min(attempt - 1, 40)));
        return Duration.ofNanos((long) (ceiling * random.getAsDouble()));
    }

    /** {@code Retry-After} as delay-seconds or an HTTP-date (RFC 9110); empty when absent or unreadable. */
    static Optional<Duration> retryAfter(HttpHeaders headers, Instant now) {
        return headers.firstValue("Retry-After").flatMap(v -> RetryAfter.of(v, now));
    }
}
