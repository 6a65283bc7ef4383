package dev.moodtag.publish;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Sends one CloudEvent in binary mode (attributes as {@code ce-*} headers, data as the JSON body), the mode a Knative
 * Broker's ingress and the function both take, and retries it until the sink acknowledges (2xx), refuses it for good,
 * or the attempts run out. Retried: 404, 408, 409, 429, 5xx and connection errors or timeouts; anything else is
 * permanent.
 */
final class CloudEventSender {

    /** How one event's sending ended. */
    record Sent(PublishState state, Integer httpStatus, int attempts, String reason) {
    }

    /** The CloudEvent: attributes and data. */
    record Event(String id, String type, String source, String subject, String jsonData) {
    }

    private static final int MAX_BODY_IN_REASON = 300;

    static final String STOPPED_BEFORE_SENT = "publish stopped before it was sent; run it again to continue";

    private final HttpClient client;
    private final URI sink;
    private final RateLimit rate;
    private final Backoff backoff;
    private final int maxAttempts;
    private final Duration requestTimeout;

    CloudEventSender(HttpClient client, URI sink, RateLimit rate, Backoff backoff, int maxAttempts, Duration requestTimeout) {
        this.client = client;
        this.sink = sink;
        this.rate = rate;
        this.backoff = backoff;
        this.maxAttempts = maxAttempts;
        this.requestTimeout = requestTimeout;
    }

    /**
     * A header value as CloudEvents' HTTP binding (3.1.3.2) encodes it: space, double quote, percent and every
     * character outside U+0021-U+007E as percent-encoded UTF-8, nothing else. The HTTP client refuses anything above
     * U+00FF with an IllegalArgumentException, so one key such as {@code s3://media/会議.wav} ended the whole publish
     * run; a space or a quote sent as it was is cut from the ends or unquoted by a receiver. The event's data keeps
     * the name as it is.
     */
    static String asciiHeaderValue(String value) {
        StringBuilder out = new StringBuilder(value.length());
        for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (c > 0x20 && c < 0x7f && c != '%' && c != '"') out.append((char) c);
            else out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                    .append(Character.toUpperCase(Character.forDigit(c & 15, 16)));
        }
        return out.toString();
    }

    Sent send(Event event, AtomicBoolean stop) throws InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(sink).timeout(requestTimeout)
                .header("Content-Type", "application/json")
                .header("ce-specversion", "1.0")
                // The type and source are configured (moodtag.publish.event-type, event-source): one with a character
                // the client refuses in a header threw in every sending thread and ended the publish at its first event
                .header("ce-id", asciiHeaderValue(event.id()))
                .header("ce-type", asciiHeaderValue(event.type()))
                .header("ce-source", asciiHeaderValue(event.source()))
                .header("ce-subject", asciiHeaderValue(event.subject()))
                .POST(HttpRequest.BodyPublishers.ofString(event.jsonData(), StandardCharsets.UTF_8)).build();
        Integer lastStatus = null;
        String lastProblem = null;
        for (int attempt = 1; attempt <= maxAttempts; attempt++) {
            if (!rate.acquire(stop)) return stopped(attempt - 1, lastStatus, lastProblem);
            Optional<Duration> retryAfter = Optional.empty();
            try {
                HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
                int status = response.statusCode();
                lastStatus = status;
                if (status >= 200 && status < 300) return new Sent(PublishState.PUBLISHED, status, attempt, null);
                lastProblem = "HTTP " + status + bodyNote(response.body());
                if (!retryable(status)) return new Sent(PublishState.FAILED, status, attempt,
                        "the sink refused the event for good: " + lastProblem);
                retryAfter = Backoff.retryAfter(response.headers(), Instant.now());
            } catch (IOException e) {
                // Nothing came back: the event may or may not have arrived. Sent again with the same id; the
                // function's skip-if-done makes a second delivery of an event it handled harmless.
                lastStatus = null;
                lastProblem = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
            }
            if (attempt == maxAttempts)
                return new Sent(PublishState.FAILED, lastStatus, attempt, "gave up after " + attempt + " attempt(s); last: "
                        + lastProblem);
            if (!Pause.sleep(backoff.after(attempt, retryAfter).toNanos(), stop)) return stopped(attempt, lastStatus, lastProblem);
        }
        throw new IllegalStateException("unreachable: maxAttempts " + maxAttempts);
    }

    /** Not published: stopped before the first attempt, or between attempts (then the last answer is the reason's). */
    private static Sent stopped(int attempts, Integer lastStatus, String lastProblem) {
        return new Sent(PublishState.FAILED, lastStatus, attempts, attempts == 0 ? STOPPED_BEFORE_SENT
                : "publish stopped while retrying; last: " + lastProblem);
    }

    /**
     * The Knative Eventing data-plane contract's retries (404: the endpoint is not there yet, a Broker still being
     * made ready; 409: the event is still being processed; 429; 5xx), and 408, a timeout in the sink's own words.
     */
    static boolean retryable(int status) {
        return status == 404 || status == 409 || status == 429 || status == 408 || status >= 500;
    }

    private static String bodyNote(String body) {
        if (body == null || body.isBlank()) return "";
        String b = body.strip().replaceAll("\\s+", " ");
        return " (" + (b.length() > MAX_BODY_IN_REASON ? b.substring(0, MAX_BODY_IN_REASON) + "…" : b) + ")";
    }
}
