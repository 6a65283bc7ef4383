package dev.moodtag.function;

import dev.moodtag.tagging.ObjectOutcome;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.ext.web.RoutingContext;

import java.util.List;

/**
 * Lets the function choose the HTTP status of its answer. Funqy writes every successful invocation as 200; the
 * function records the status it wants on the routing context, and {@link ConcurrencyLimit}'s headers-end hook
 * applies it (with {@code Retry-After} for retryable answers) just before the headers go out.
 */
final class HttpAnswer {
    private HttpAnswer() {
    }

    static final String STATUS = "moodtag.http-status", RETRY_AFTER = "moodtag.retry-after";
    /** Set from configuration at start-up ({@code moodtag.function.retry-after}). */
    static volatile long retryAfterSeconds = 5;
    private static final ObjectMapper JSON = new ObjectMapper();

    static void set(RoutingContext ctx, int status, Long retryAfterSeconds) {
        if (ctx == null) return; // not over HTTP (a direct call): nothing to set
        ctx.put(STATUS, status);
        if (retryAfterSeconds != null) ctx.put(RETRY_AFTER, retryAfterSeconds);
    }

    static void apply(RoutingContext ctx) {
        Integer status = ctx.get(STATUS);
        if (status == null) return;
        ctx.response().setStatusCode(status);
        Long retry = ctx.get(RETRY_AFTER);
        if (retry != null) ctx.response().putHeader("Retry-After", Long.toString(retry));
    }

    /**
     * The body of an answer given before the function runs (over the limit, a malformed envelope): the function's
     * own shape, one outcome without an object, so that callers read every refusal the same way.
     */
    static String rejection(String reason, String outcome) {
        try {
            return JSON.writeValueAsString(new RecognizeResponse(null, List.of(ObjectOutcome.of(outcome, null, reason))));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
