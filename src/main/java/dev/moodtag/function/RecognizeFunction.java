package dev.moodtag.function;

import dev.moodtag.support.S3Uri;
import dev.moodtag.tagging.FunctionConfig;
import dev.moodtag.tagging.FunctionMetrics;
import dev.moodtag.tagging.ObjectEvent;
import dev.moodtag.tagging.ObjectOutcome;
import dev.moodtag.tagging.Recognizer;
import dev.moodtag.tagging.RetryableException;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.funqy.Context;
import io.quarkus.funqy.Funq;
import io.quarkus.funqy.knative.events.CloudEvent;
import io.quarkus.vertx.http.runtime.CurrentVertxRequest;
import io.vertx.ext.web.RoutingContext;
import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The function: one storage event (a CloudEvent on {@code POST /}, binary or structured, or plain JSON on
 * {@code POST /recognize}) in, one {@link RecognizeResponse} out, one result written per media object.
 * HTTP status, as a platform that retries should read it:
 * <ul>
 *   <li>200: acknowledged, do not redeliver (processed, skipped, ignored, rejected, failed, and results with status
 *       {@code error}, kind {@code internal} included: retrying changes nothing);</li>
 *   <li>400 / 415: the event cannot be understood ({@link EnvelopeCheck}, {@link EventParser}), or names more than
 *       {@code moodtag.function.max-objects-per-event} objects; permanent, dead-letter it;</li>
 *   <li>429 + Retry-After: over {@code moodtag.function.max-concurrent}; nothing was done;</li>
 *   <li>503 + Retry-After: storage unavailable, the model pack failed to load, the object is being worked on by
 *       another event ({@code in_progress}), or the process is shutting down; objects answered before stay done
 *       and are skipped on the retry.</li>
 * </ul>
 */
public class RecognizeFunction {

    private static final Logger LOG = Logger.getLogger(RecognizeFunction.class);
    static final String IN_PROGRESS = "in_progress", RETRY = "retry";

    private final EventParser parser = new EventParser();
    private final Recognizer recognizer;
    private final CurrentVertxRequest currentRequest;
    private final FunctionMetrics metrics;
    private final FunctionStartup startup;
    private final ConcurrencyLimit limit;
    private final ObjectsInFlight objectsInFlight;
    private final FunctionConfig config;

    public RecognizeFunction(Recognizer recognizer, CurrentVertxRequest currentRequest, FunctionMetrics metrics,
                             FunctionStartup startup, ConcurrencyLimit limit, ObjectsInFlight objectsInFlight,
                             FunctionConfig config) {
        this.recognizer = recognizer;
        this.startup = startup;
        this.currentRequest = currentRequest;
        this.metrics = metrics;
        this.limit = limit;
        this.objectsInFlight = objectsInFlight;
        this.config = config;
    }

    @Funq("recognize")
    public RecognizeResponse recognize(JsonNode event, @Context CloudEvent<?> cloudEvent) {
        boolean binary = cloudEvent != null && !structured(current());
        String requestId, ceType;
        try {
            requestId = attribute(cloudEvent == null ? null : cloudEvent.id(), binary, "ce-id");
            ceType = attribute(cloudEvent == null ? null : cloudEvent.type(), binary, "ce-type");
        } catch (EventException e) {
            metrics.request("bad_event");
            LOG.warnf("bad event: %s", e.getMessage());
            HttpAnswer.set(current(), 400, null);
            return new RecognizeResponse(UUID.randomUUID().toString(),
                    List.of(ObjectOutcome.of(ObjectOutcome.REJECTED, null, e.getMessage())));
        }
        if (requestId == null) requestId = UUID.randomUUID().toString();
        MDC.put("requestId", requestId); // escaped when written (LogLineEscaper): ids come from outside
        try {
            List<ObjectEvent> objects;
            try {
                objects = parser.parse(event, ceType);
                if (objects.size() > config.maxObjectsPerEvent())
                    throw new EventException(objects.size() + " objects in one event, more than moodtag.function."
                            + "max-objects-per-event=" + config.maxObjectsPerEvent() + ": send them as separate events");
            } catch (EventException e) {
                metrics.request("bad_event");
                LOG.warnf("bad event: %s", e.getMessage());
                HttpAnswer.set(current(), 400, null);
                return new RecognizeResponse(requestId, List.of(ObjectOutcome.of(ObjectOutcome.REJECTED, null, e.getMessage())));
            } catch (EventParser.NothingToTag e) {
                metrics.request("ok");
                return new RecognizeResponse(requestId, List.of(ObjectOutcome.of(ObjectOutcome.IGNORED, null, e.getMessage())));
            }
            FunctionStartup.Refusal refusal = startup.refusal();
            if (refusal != null) {
                // The event is not consumed: the platform keeps retrying it (and dead-letters it in the end) while
                // the deployment is fixed, instead of each object failing for a reason that is not the object's.
                String why = refusal + "; " + refusal.remedy() + "; /q/health/ready says the same";
                return retry(requestId, List.of(), objects, 503, why);
            }
            Optional<ConcurrencyLimit.Permit> permit = limit.tryStart();
            if (permit.isEmpty()) {
                boolean draining = limit.draining();
                return retry(requestId, List.of(), objects, draining ? 503 : 429, limit.busyReason());
            }
            try (ConcurrencyLimit.Permit held = permit.get()) {
                return recognizeAll(objects, requestId);
            }
        } finally {
            MDC.remove("requestId");
        }
    }

    /** The objects one after another, under the event's one permit. */
    private RecognizeResponse recognizeAll(List<ObjectEvent> objects, String requestId) {
        List<ObjectOutcome> outcomes = new ArrayList<>();
        for (int i = 0; i < objects.size(); i++) {
            ObjectEvent o = objects.get(i);
            Optional<ObjectsInFlight.Claim> claim = objectsInFlight.claim(o.address(), requestId);
            if (claim.isEmpty()) {
                String by = objectsInFlight.holder(o.address()).map(id -> " by request " + id).orElse("");
                return retry(requestId, outcomes, objects.subList(i, objects.size()), 503, IN_PROGRESS,
                        o.address() + " is being processed" + by + " now; retry: it will then be skipped if that run"
                                + " wrote its result, or processed if the object changed");
            }
            try (ObjectsInFlight.Claim held = claim.get()) {
                outcomes.add(recognizer.recognize(o, requestId));
            } catch (RetryableException e) {
                // Nothing of this object was written; results already written for earlier objects stay and are
                // skipped on the retry.
                return retry(requestId, outcomes, objects.subList(i, objects.size()), 503, e.getMessage());
            } catch (RuntimeException e) {
                // Unexpected, outside the tagging itself (which writes an error result of kind internal): answered,
                // because redelivering the event would fail the same way; counted and logged for whoever fixes it.
                metrics.internalError();
                LOG.errorf(e, "internal error on %s", o.address());
                outcomes.add(ObjectOutcome.of(ObjectOutcome.FAILED, o.address().toString(), "internal error ("
                        + e.getClass().getSimpleName() + ": " + e.getMessage() + "); retrying will not help"));
            }
        }
        metrics.request("ok");
        return new RecognizeResponse(requestId, outcomes);
    }

    private RecognizeResponse retry(String requestId, List<ObjectOutcome> done, List<ObjectEvent> notDone, int status,
                                    String reason) {
        return retry(requestId, done, notDone, status, RETRY, reason);
    }

    /** A retryable answer: what was done so far, then every object not done with {@code outcome} and the reason. */
    private RecognizeResponse retry(String requestId, List<ObjectOutcome> done, List<ObjectEvent> notDone, int status,
                                    String outcome, String reason) {
        metrics.request(status == 429 ? "over_limit" : RETRY);
        HttpAnswer.set(current(), status, HttpAnswer.retryAfterSeconds);
        List<ObjectOutcome> outcomes = new ArrayList<>(done);
        notDone.forEach(o -> outcomes.add(ObjectOutcome.of(outcome, o.address().toString(), reason)));
        return new RecognizeResponse(requestId, outcomes);
    }

    private static boolean structured(RoutingContext ctx) {
        String type = ctx == null ? null : ctx.request().getHeader("Content-Type");
        return type != null && type.split(";", 2)[0].trim().equalsIgnoreCase("application/cloudevents+json");
    }

    /**
     * A binary event's attribute as its sender meant it. The CloudEvents HTTP binding (3.1.3.2) percent-encodes ce-*
     * header values (space, '"', '%', anything outside printable ASCII; publish does) and Funqy hands them over as
     * they came: "id 1" became the requestId "id%201". Decoded as the binding says: a quoted value (older senders)
     * unquoted first, then one round of percent-decoding, invalid UTF-8 refused. Structured events carry attributes
     * in JSON, not encoded.
     */
    static String attribute(String value, boolean binary, String header) {
        if (value == null || !binary) return value;
        String v = value;
        if (v.length() >= 2 && v.startsWith("\"") && v.endsWith("\""))
            v = v.substring(1, v.length() - 1).replaceAll("\\\\(.)", "$1");
        try {
            return S3Uri.decodeKey(v, false);
        } catch (IllegalArgumentException e) {
            throw new EventException(header + " header '" + LogLineEscaper.escape(value.length() > 80 ? value.substring(0, 80) + "…" : value)
                    + "' is not percent-encoded UTF-8 as the CloudEvents HTTP binding requires");
        }
    }

    private RoutingContext current() {
        return currentRequest.getCurrent();
    }
}
