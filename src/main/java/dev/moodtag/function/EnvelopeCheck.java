package dev.moodtag.function;

import dev.moodtag.support.ShownText;
import dev.moodtag.tagging.FunctionMetrics;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Checks the HTTP envelope of an event before Funqy reads it, so that a request that can never succeed is answered
 * 400 (or 415 for a body that is not JSON) with the reason, in the function's answer shape, and not with Funqy's
 * bare 500, which a platform redelivers until it dead-letters. What it refuses: an empty body; a body that is not
 * JSON, or holds more after its one JSON value; for structured CloudEvents ({@code application/cloudevents+json}), an
 * envelope that is not a JSON object, lacks a required attribute, carries {@code data_base64} instead of {@code data},
 * has no {@code data}, or declares a {@code datacontenttype} that is not JSON; and a CloudEvent, binary or structured,
 * whose spec version is not {@code "1.0"} (see {@link #SPEC_VERSION}). What the data means is {@link EventParser}'s to say.
 */
@ApplicationScoped
public class EnvelopeCheck {

    private static final Logger LOG = Logger.getLogger(EnvelopeCheck.class);
    /** Storage notifications are a few kB; a structured CloudEvent with a batch of records stays far below this. */
    static final long MAX_BODY_BYTES = 1L << 20;
    /** After {@link ConcurrencyLimit}'s filter (order -100), so a busy process does not read bodies; before Funqy. */
    private static final int ORDER = -50;
    private static final List<String> REQUIRED_ATTRIBUTES = List.of("specversion", "id", "source", "type");
    /**
     * The one CloudEvents version this function reads. Funqy only logs a version it does not know ("2.0", "1", "", a
     * number) and goes on, and takes 0.3 as its own: a 0.3 event's binary attributes are not percent-encoded as 1.0's
     * HTTP binding says (this function decodes them), and its data may be base64 text under datacontentencoding, which
     * would be read as the notification. Each was answered as a 1.0 event; a version is a promise about the rest of
     * the event, so any other is refused as permanent (400), naming it.
     */
    static final String SPEC_VERSION = "1.0";

    private final ObjectMapper json = new ObjectMapper();
    private final FunctionMetrics metrics;

    public EnvelopeCheck(FunctionMetrics metrics) {
        this.metrics = metrics;
    }

    void routes(@Observes Router router) {
        BodyHandler body = BodyHandler.create(false).setBodyLimit(MAX_BODY_BYTES);
        for (String path : List.of("/", "/recognize")) {
            router.post(path).order(ORDER).handler(body);
            router.post(path).order(ORDER).handler(this::check);
        }
    }

    private void check(RoutingContext ctx) {
        Optional<Refusal> refusal = refusal(ctx.request().getHeader("Content-Type"), ctx.request().getHeader("ce-id"),
                ctx.request().getHeader("ce-specversion"), ctx.body().buffer());
        if (refusal.isEmpty()) {
            ctx.next();
            return;
        }
        metrics.request("bad_event");
        LOG.warnf("bad event: %s", refusal.get().reason());
        ctx.response().setStatusCode(refusal.get().status()).putHeader("Content-Type", "application/json")
                .end(HttpAnswer.rejection(refusal.get().reason(), "rejected"));
    }

    record Refusal(int status, String reason) {
    }

    /** The refusal of a request without ce-* headers (plain JSON, or a structured CloudEvent). */
    Optional<Refusal> refusal(String contentType, Buffer body) {
        return refusal(contentType, null, null, body);
    }

    /**
     * @param ceId          the ce-id header: with a JSON Content-Type, Funqy reads the request as a binary CloudEvent
     * @param ceSpecversion the ce-specversion header
     */
    Optional<Refusal> refusal(String contentType, String ceId, String ceSpecversion, Buffer body) {
        String type = contentType == null ? "" : contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        if (type.startsWith("application/cloudevents-batch")) return Optional.empty(); // Funqy answers it (not supported)
        boolean structured = type.equals("application/cloudevents+json");
        if (!structured && !isJson(type))
            return Optional.of(new Refusal(415, "Content-Type " + (type.isEmpty() ? "missing" : "'" + type + "'")
                    + ": send the event as JSON (application/json, or application/cloudevents+json for a structured CloudEvent)"));
        if (!structured && (ceId != null || ceSpecversion != null) && !SPEC_VERSION.equals(ceSpecversion))
            return Optional.of(new Refusal(400, ceSpecversion == null
                    ? "binary CloudEvent (ce-id header) without a ce-specversion header: " + READS
                    : "ce-specversion header '" + ShownText.visible(ShownText.shortened(ceSpecversion, 80)) + "': " + READS));
        if (body == null || body.length() == 0 || body.toString().isBlank())
            return Optional.of(new Refusal(400, "empty body: expected a storage notification, a CloudEvent or {\"uri\": ...}"));
        JsonNode node;
        try (JsonParser parser = json.createParser(body.getBytes())) {
            node = json.readTree(parser);
            // Funqy reads the first value and stops: a second event after it (a batch sent as JSON lines) was dropped
            // unread and the first answered 200, so the sender never learnt of it
            if (node != null && parser.nextToken() != null)
                return Optional.of(new Refusal(400, "body holds more after its JSON value (from byte "
                        + parser.currentTokenLocation().getByteOffset() + "): send one event per request, as one JSON value"));
        } catch (JacksonException e) {
            return Optional.of(new Refusal(400, "body is not valid JSON: " + e.getOriginalMessage()));
        } catch (java.io.IOException e) {
            return Optional.of(new Refusal(400, "body could not be read as JSON: " + e.getMessage()));
        }
        return structured ? structuredRefusal(node) : Optional.empty();
    }

    private static Optional<Refusal> structuredRefusal(JsonNode ce) {
        if (ce == null || !ce.isObject())
            return Optional.of(new Refusal(400, "structured CloudEvent must be a JSON object, got "
                    + (ce == null ? "nothing" : ce.getNodeType())));
        // before the attributes' presence: a version given as 1.0 (a number) or "" is there, but not the one read
        JsonNode version = ce.get("specversion");
        if (version != null && !version.isNull() && !(version.isTextual() && version.asText().equals(SPEC_VERSION)))
            return Optional.of(new Refusal(400, "structured CloudEvent with specversion "
                    + ShownText.visible(ShownText.shortened(version.toString(), 80)) + ": " + READS));
        for (String a : REQUIRED_ATTRIBUTES) {
            if (!ce.path(a).isTextual() || ce.path(a).asText().isEmpty())
                return Optional.of(new Refusal(400, "structured CloudEvent lacks the required attribute '" + a + "'"));
        }
        if (ce.has("data_base64"))
            return Optional.of(new Refusal(400, "structured CloudEvent carries data_base64 (binary data); this function takes"
                    + " the storage notification as JSON in 'data'"));
        JsonNode dct = ce.get("datacontenttype");
        if (dct != null && !dct.isNull() && !isJson(dct.asText().split(";", 2)[0].trim().toLowerCase(Locale.ROOT)))
            return Optional.of(new Refusal(415, "structured CloudEvent with datacontenttype '" + dct.asText()
                    + "': this function takes JSON data"));
        if (!ce.has("data") || ce.get("data").isNull())
            return Optional.of(new Refusal(400, "structured CloudEvent without data: expected the storage notification in 'data'"));
        return Optional.empty();
    }

    private static final String READS = "this function reads CloudEvents " + SPEC_VERSION + " (specversion \"" + SPEC_VERSION
            + "\") only";

    private static boolean isJson(String mediaType) {
        return mediaType.equals("application/json") || mediaType.endsWith("+json");
    }
}
