package dev.moodtag.function;

import dev.moodtag.storage.LocalFailures;
import dev.moodtag.support.S3Uri;
import dev.moodtag.support.WholeNumber;
import dev.moodtag.tagging.ObjectAddress;
import dev.moodtag.tagging.ObjectEvent;

import com.fasterxml.jackson.databind.JsonNode;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Turns the storage notifications users really send into {@link ObjectEvent}s, by the shape of the payload and,
 * for CloudEvents, their type:
 * <ul>
 *   <li>AWS S3 event notifications and MinIO bucket notifications: {@code Records[].s3}, keys URL-encoded
 *       ({@code red+flower.jpg}; MinIO also encodes {@code /});</li>
 *   <li>S3 events through Amazon EventBridge: {@code detail-type} "Object Created", {@code detail.bucket.name},
 *       {@code detail.object.key};</li>
 *   <li>Google Cloud Storage: CloudEvents type {@code google.cloud.storage.object.v1.finalized} whose data is a
 *       StorageObjectData ({@code bucket}, {@code name}, {@code size} as a string), or that object alone;</li>
 *   <li>plain {@code {"uri": "s3://bucket/key"}}, {@code file:///path} or {@code http(s)://endpoint/bucket/key},
 *       optionally with {@code "force": true}; {@code "uris": [...]} for several.</li>
 * </ul>
 * The parser only parses; whether an address may be reached is for the storage layer to decide.
 */
public final class EventParser {

    public static final String GCS_FINALIZED = "google.cloud.storage.object.v1.finalized";

    /** An event that names no object and asks for nothing: answered as ignored (200), not refused (400). */
    public static final class NothingToTag extends RuntimeException {
        NothingToTag(String reason) {
            super(reason);
        }
    }

    /**
     * @param body   the event data (structured CloudEvents: its {@code data}; binary and plain: the body)
     * @param ceType the CloudEvent type, or null for a plain request
     * @throws EventException when the payload is not one of the understood shapes
     * @throws NothingToTag    for S3's {@code s3:TestEvent}, which names no object
     */
    public List<ObjectEvent> parse(JsonNode body, String ceType) {
        if (body == null || body.isNull() || body.isMissingNode())
            throw new EventException("empty event" + typeNote(ceType) + ": expected a storage notification or {\"uri\": ...}");
        if (!body.isObject())
            throw new EventException("malformed event" + typeNote(ceType) + ": expected a JSON object, got " + body.getNodeType());
        if (body.has("Records")) return records(body.get("Records"));
        if (body.has("detail-type") && body.has("detail")) return List.of(eventBridge(body));
        if (GCS_FINALIZED.equals(ceType) || "storage#object".equals(text(body, "kind"))) return List.of(gcs(body, ceType));
        if (body.has("uri") || body.has("uris")) return plain(body);
        // Sent once when a bucket's notification is configured, to check the destination: a 400 would have it
        // dead-lettered (and the set-up look broken) for an event that asks for nothing.
        if ("Amazon S3".equals(text(body, "Service")) && "s3:TestEvent".equals(text(body, "Event")))
            throw new NothingToTag("s3:TestEvent for bucket " + Optional.ofNullable(text(body, "Bucket")).orElse("(none named)")
                    + ": S3 checking the notification configuration; it names no object");
        throw new EventException("unknown event" + typeNote(ceType) + " with fields " + fieldNames(body)
                + ": expected an S3/MinIO notification (Records), an EventBridge S3 event (detail-type), a GCS "
                + GCS_FINALIZED + " event or {\"uri\": \"s3://bucket/key\" | \"file:///path\"}");
    }

    private List<ObjectEvent> records(JsonNode records) {
        if (!records.isArray() || records.isEmpty()) throw new EventException("malformed S3 notification: Records must be a non-empty array");
        List<ObjectEvent> out = new ArrayList<>();
        for (JsonNode r : records) {
            JsonNode s3 = r.path("s3");
            String bucket = text(s3.path("bucket"), "name");
            String rawKey = text(s3.path("object"), "key");
            if (bucket == null || rawKey == null)
                throw new EventException("malformed S3 notification: a record lacks s3.bucket.name or s3.object.key");
            String source = Optional.ofNullable(text(r, "eventSource")).orElse("");
            String format = source.startsWith("minio") ? "minio" : "aws-s3";
            String name = Optional.ofNullable(text(r, "eventName")).orElse("");
            // AWS and MinIO URL-encode keys in notifications, form style: "red flower.jpg" arrives as "red+flower.jpg".
            String key;
            try {
                key = S3Uri.decodeKey(rawKey, true);
            } catch (IllegalArgumentException e) {
                throw new EventException("malformed S3 notification: " + e.getMessage());
            }
            out.add(new ObjectEvent(format, name, name.replaceFirst("^s3:", "").startsWith("ObjectCreated"),
                    bucketObject(bucket, key), number(s3.path("object").get("size")),
                    Optional.ofNullable(text(s3.path("object"), "eTag")),
                    Optional.ofNullable(text(s3.path("object"), "contentType")), false));
        }
        return out;
    }

    private ObjectEvent eventBridge(JsonNode body) {
        String detailType = text(body, "detail-type");
        JsonNode detail = body.get("detail");
        String bucket = text(detail.path("bucket"), "name");
        String key = text(detail.path("object"), "key");
        if (!"aws.s3".equals(text(body, "source")) || bucket == null || key == null)
            throw new EventException("unknown EventBridge event '" + detailType + "' from " + text(body, "source")
                    + ": only aws.s3 events with detail.bucket.name and detail.object.key are handled");
        // EventBridge carries keys as stored, not URL-encoded like S3 notifications (Amazon S3 User Guide, "EventBridge
        // event message structure": detail.object.key is the object's key).
        return new ObjectEvent("eventbridge", detailType, "Object Created".equals(detailType),
                bucketObject(bucket, key), number(detail.path("object").get("size")),
                Optional.ofNullable(text(detail.path("object"), "etag")), Optional.empty(), false);
    }

    private ObjectEvent gcs(JsonNode data, String ceType) {
        String bucket = text(data, "bucket"), name = text(data, "name");
        if (bucket == null || name == null)
            throw new EventException("malformed GCS event: data lacks bucket or name");
        String type = ceType == null ? "storage#object" : ceType;
        // Older Cloud Functions payloads without a CloudEvent type are finalize notifications too.
        boolean created = ceType == null || GCS_FINALIZED.equals(ceType);
        return new ObjectEvent("gcs", type, created, bucketObject(bucket, name), number(data.get("size")),
                Optional.ofNullable(text(data, "etag")), Optional.ofNullable(text(data, "contentType")), false);
    }

    private List<ObjectEvent> plain(JsonNode body) {
        boolean force = body.path("force").asBoolean(false);
        List<String> uris = new ArrayList<>();
        if (body.has("uri")) {
            if (!body.get("uri").isTextual()) throw new EventException("malformed request: \"uri\" must be a string");
            uris.add(body.get("uri").asText());
        }
        if (body.has("uris")) {
            if (!body.get("uris").isArray()) throw new EventException("malformed request: \"uris\" must be an array of strings");
            for (JsonNode u : body.get("uris")) {
                if (!u.isTextual()) throw new EventException("malformed request: \"uris\" must be an array of strings, not " + u.getNodeType());
                uris.add(u.asText());
            }
        }
        if (uris.isEmpty()) throw new EventException("malformed request: no uri given");
        return uris.stream().map(u -> new ObjectEvent("uri", "request", true, address(u), OptionalLong.empty(),
                Optional.empty(), Optional.empty(), force)).toList();
    }

    /** {@code s3://bucket/key}, {@code file:///abs/path} or {@code http(s)://host/bucket/key}. */
    static ObjectAddress address(String uri) {
        String lower = uri.toLowerCase(Locale.ROOT);
        if (S3Uri.is(uri)) {
            S3Uri s3;
            try {
                s3 = S3Uri.object(uri);
            } catch (IllegalArgumentException e) {
                throw new EventException("malformed uri: " + e.getMessage());
            }
            return bucketObject(s3.bucket(), s3.key());
        }
        URI parsed;
        try {
            parsed = new URI(uri);
        } catch (URISyntaxException e) {
            throw new EventException("malformed uri '" + shorten(uri) + "': " + e.getReason());
        }
        if (lower.startsWith("file:")) {
            if (parsed.getRawAuthority() != null && !parsed.getRawAuthority().isEmpty() && !"localhost".equals(parsed.getHost()))
                throw new EventException("file URIs name a local path only (file:///path), not host " + parsed.getRawAuthority());
            if (parsed.getRawPath() == null || !parsed.getRawPath().startsWith("/"))
                throw new EventException("malformed uri '" + shorten(uri) + "': expected file:///absolute/path");
            String path;
            try {
                // Not URI.getPath(), which reads escapes that are no UTF-8 as U+FFFD: "caf%E9.wav" named the file
                // "caf\uFFFD.wav", another one than the sender's, as an object URL's key is never read
                path = S3Uri.decodeKey(parsed.getRawPath(), false);
            } catch (IllegalArgumentException e) {
                throw new EventException("malformed uri '" + shorten(uri) + "': " + e.getMessage());
            }
            try {
                return localFile(uri, Path.of(path));
            } catch (InvalidPathException e) {
                // A NUL (raw or %00) or a character the file system cannot name: no such file can exist.
                throw new EventException("malformed uri '" + shorten(uri) + "': not a valid local path (" + e.getReason() + ")");
            }
        }
        if (lower.startsWith("http://") || lower.startsWith("https://")) return new ObjectAddress.Url(parsed);
        throw new EventException("unsupported uri scheme in '" + shorten(uri) + "': use s3://, file:// or the S3 endpoint's http(s) URL");
    }

    /** S3 and GCS refuse longer keys: an event naming one cannot name a stored object. */
    static final int MAX_KEY_BYTES = 1024;

    private static ObjectAddress.Bucket bucketObject(String bucket, String key) {
        // No store keeps such a key (S3 answers in XML 1.0, which cannot carry a NUL): refused here as the README says,
        // not by the store after the event was taken, as a failure
        if (key.indexOf('\u0000') >= 0)
            throw new EventException("malformed event: key '" + shorten(key.replace('\u0000', '?')) + "' holds a NUL character");
        // Nor one with half a surrogate pair (a lone \\ud800 escape in the JSON): UTF-8 has no form for it, and the S3
        // client sent it as '?', reaching another object
        int half = S3Uri.halfSurrogateAt(key);
        if (half >= 0)
            throw new EventException("malformed event: key '" + shorten(key.replaceAll("\\p{Cs}", "?"))
                    + "' holds half a surrogate pair at character " + half + ", which no object name can");
        int bytes = key.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > MAX_KEY_BYTES)
            throw new EventException("malformed event: key '" + shorten(key) + "' has " + bytes + " bytes; object stores allow "
                    + MAX_KEY_BYTES);
        return new ObjectAddress.Bucket(bucket, key);
    }

    private static ObjectAddress.LocalFile localFile(String uri, Path path) {
        Optional<String> overlong = LocalFailures.overlongName(path);
        if (overlong.isPresent())
            throw new EventException("malformed uri '" + shorten(uri) + "': " + overlong.get() + ", so no such file can exist");
        return new ObjectAddress.LocalFile(path);
    }

    /**
     * The size an event reports where it is a byte count, a whole number from 0 to Long.MAX_VALUE (GCS sends it as a
     * string of ASCII digits); anything else says nothing, and the store's own size decides. Read with asLong, 2^64 + 1
     * was 1 byte, 1e30 was Long.MAX_VALUE (an object "too large", ignored unread), 1.9 was 1 and -5 was kept; a string
     * read with Long.parseLong took "+5" and the digits of every script ("\u0665", Arabic-Indic five, was 5 bytes).
     */
    private static OptionalLong number(JsonNode n) {
        return WholeNumber.of(n, 0, Long.MAX_VALUE, true);
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n == null ? null : n.get(field);
        return v == null || v.isNull() || !v.isValueNode() ? null : v.asText();
    }

    private static String typeNote(String ceType) {
        return ceType == null ? "" : " (CloudEvent type " + ceType + ")";
    }

    private static List<String> fieldNames(JsonNode body) {
        List<String> names = new ArrayList<>();
        body.fieldNames().forEachRemaining(names::add);
        return names.size() > 10 ? names.subList(0, 10) : names;
    }

    private static String shorten(String s) {
        return s.length() > 80 ? s.substring(0, 80) + "…" : s;
    }
}
