package dev.moodtag.storage;

import dev.moodtag.support.RetryAfter;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.SdkPlugin;
import software.amazon.awssdk.core.SdkServiceClientConfiguration;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.retries.api.AcquireInitialTokenRequest;
import software.amazon.awssdk.retries.api.AcquireInitialTokenResponse;
import software.amazon.awssdk.retries.api.RecordSuccessRequest;
import software.amazon.awssdk.retries.api.RecordSuccessResponse;
import software.amazon.awssdk.retries.api.RefreshRetryTokenRequest;
import software.amazon.awssdk.retries.api.RefreshRetryTokenResponse;
import software.amazon.awssdk.retries.api.RetryStrategy;
import software.amazon.awssdk.retries.api.TokenAcquisitionFailedException;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Ends the SDK's retries of a call at once when the store asks to be left alone (Retry-After) for as long as the call
 * may last or longer. The SDK waits out the longer of its backoff and the store's Retry-After with no cap of its own,
 * so a 503 with {@code Retry-After: 3600} sat out the whole call timeout and then failed as "storage unreachable",
 * naming no 503; the store's own answer now comes back at once, and the event is retried later from outside. A shorter
 * wait is left to the SDK. A Retry-After given as an HTTP-date, which the SDK ignores, is read here ({@link RetryAfter})
 * and counts as delay-seconds do. Applied to each request, so that it holds whatever retry strategy the client was built with.
 */
final class RetryAfterLimit implements SdkPlugin {

    private final Duration longest;

    /** @param longest the call timeout: no retry after a wait this long can end within the call */
    RetryAfterLimit(Duration longest) {
        this.longest = longest;
    }

    @Override
    public void configureClient(SdkServiceClientConfiguration.Builder config) {
        ClientOverrideConfiguration o = config.overrideConfiguration();
        // a client built with a legacy RetryPolicy has no strategy to wrap: left as it is
        o.retryStrategy().ifPresent(s -> config.overrideConfiguration(o.toBuilder().retryStrategy(new Limited(s, longest)).build()));
    }

    private record Limited(RetryStrategy strategy, Duration longest) implements RetryStrategy {
        @Override
        public AcquireInitialTokenResponse acquireInitialToken(AcquireInitialTokenRequest request) {
            return strategy.acquireInitialToken(request);
        }

        @Override
        public RefreshRetryTokenResponse refreshRetryToken(RefreshRetryTokenRequest request) {
            // the SDK suggests zero where the answer gave no delay-seconds
            Optional<Duration> given = request.suggestedDelay().filter(d -> !d.isZero());
            Optional<Duration> asDate = given.isPresent() ? Optional.empty() : askedAsDate(request.failure());
            Optional<Duration> asked = given.or(() -> asDate);
            if (asked.filter(d -> d.compareTo(longest) >= 0).isPresent())
                throw new TokenAcquisitionFailedException("the store asks to wait " + asked.get()
                        + " before a retry, as long as the call may last (" + longest + ") or longer", request.token(),
                        request.failure());
            // handed to the strategy as the SDK hands it delay-seconds: it waits the longer of that and its backoff
            return strategy.refreshRetryToken(asDate.isEmpty() ? request : request.toBuilder().suggestedDelay(asDate.get()).build());
        }

        /**
         * The wait a Retry-After in an HTTP-date's form asks for, which the SDK does not read (it reads delay-seconds
         * alone, and logs the date as a number it cannot parse): a store that asked for an hour so was asked again three
         * times within three seconds before the call failed, and one that asked for 4 s within half a second, each
         * refused again.
         */
        private static Optional<Duration> askedAsDate(Throwable failure) {
            if (!(failure instanceof AwsServiceException e) || e.awsErrorDetails() == null
                    || e.awsErrorDetails().sdkHttpResponse() == null) return Optional.empty();
            return e.awsErrorDetails().sdkHttpResponse().firstMatchingHeader("Retry-After")
                    .filter(v -> !RetryAfter.inSeconds(v)).flatMap(v -> RetryAfter.of(v, Instant.now()))
                    .map(d -> d.isNegative() ? Duration.ZERO : d);
        }

        @Override
        public RecordSuccessResponse recordSuccess(RecordSuccessRequest request) {
            return strategy.recordSuccess(request);
        }

        @Override
        public int maxAttempts() {
            return strategy.maxAttempts();
        }

        @Override
        public boolean useClientDefaults() {
            return strategy.useClientDefaults();
        }

        @Override
        public Builder<?, ?> toBuilder() {
            return strategy.toBuilder();
        }
    }
}
