package dev.moodtag.function;

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
import java.util.UUID;

/**
 * The function: one storage event (a CloudEvent on {@code POST /}, binary or structured, or plain JSON on
 * {@code POST /recognize}) in, one {@link RecognizeResponse} out, one result written per media object.
 * HTTP status: 200 for everything acknowledged (processed, skipped, ignored, rejected, failed: retrying changes
 * nothing), 400 for an event that cannot be understood, 503 with Retry-After when storage is unavailable or the
 * model pack failed to load.
 */
public class RecognizeFunction {

    private static final Logger LOG = Logger.getLogger(RecognizeFunction.class);

    private final EventParser parser = new EventParser();
    private final Recognizer recognizer;
    private final CurrentVertxRequest currentRequest;
    private final FunctionMetrics metrics;
    private final FunctionStartup startup;

    public RecognizeFunction(Recognizer recognizer, CurrentVertxRequest currentRequest, FunctionMetrics metrics,
                             FunctionStartup startup) {
        this.recognizer = recognizer;
        this.startup = startup;
        this.currentRequest = currentRequest;
        this.metrics = metrics;
    }

    @Funq("recognize")
    public RecognizeResponse recognize(JsonNode event, @Context CloudEvent<?> cloudEvent) {
        String requestId = cloudEvent != null && cloudEvent.id() != null ? cloudEvent.id() : UUID.randomUUID().toString();
        MDC.put("requestId", requestId);
        try {
            List<ObjectEvent> objects;
            try {
                objects = parser.parse(event, cloudEvent == null ? null : cloudEvent.type());
            } catch (EventException e) {
                metrics.request("bad_event");
                LOG.warnf("bad event: %s", e.getMessage());
                HttpAnswer.set(current(), 400, null);
                return new RecognizeResponse(requestId, List.of(ObjectOutcome.of(ObjectOutcome.REJECTED, null, e.getMessage())));
            }
            if (startup.failure() != null) {
                // The event is not consumed: the platform keeps retrying it (and dead-letters it in the end) while
                // the deployment is fixed, instead of each object failing for a reason that is not the object's.
                String why = "model pack failed to load: " + startup.failure()
                        + "; fix the pack (its manifest, files or classifier) and restart; /q/health/ready says the same";
                metrics.request("retry");
                HttpAnswer.set(current(), 503, HttpAnswer.retryAfterSeconds);
                return new RecognizeResponse(requestId, objects.stream()
                        .map(o -> ObjectOutcome.of("retry", o.address().toString(), why)).toList());
            }
            List<ObjectOutcome> outcomes = new ArrayList<>();
            for (ObjectEvent o : objects) {
                try {
                    outcomes.add(recognizer.recognize(o, requestId));
                } catch (RetryableException e) {
                    // Nothing of this object was written; results already written for earlier objects stay and are
                    // skipped on the retry.
                    metrics.request("retry");
                    HttpAnswer.set(current(), 503, HttpAnswer.retryAfterSeconds);
                    outcomes.add(ObjectOutcome.of("retry", o.address().toString(), e.getMessage()));
                    return new RecognizeResponse(requestId, outcomes);
                }
            }
            metrics.request("ok");
            return new RecognizeResponse(requestId, outcomes);
        } finally {
            MDC.remove("requestId");
        }
    }

    private RoutingContext current() {
        return currentRequest.getCurrent();
    }
}
