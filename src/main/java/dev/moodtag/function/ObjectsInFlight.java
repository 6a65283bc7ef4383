package dev.moodtag.function;

import dev.moodtag.tagging.ObjectAddress;

import jakarta.enterprise.context.ApplicationScoped;

import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One recognition per object at a time in this process. Two events for the same object at once (a notification
 * delivered twice, a retry racing the original) would decode and embed it twice and race to write its result; the
 * second is answered {@code in_progress}, retryable, instead. Its retry then finds the first one's result and is
 * skipped, or, when the object changed meanwhile, processes the new version.
 * <p>
 * Objects are keyed as the event names them, with local paths normalised ({@code /a/./b} is {@code /a/b}); an
 * object named once as {@code s3://bucket/key} and once by its endpoint URL counts as two.
 */
@ApplicationScoped
public class ObjectsInFlight {

    private final ConcurrentHashMap<String, String> byObject = new ConcurrentHashMap<>();

    /** A claim on {@code address} for {@code requestId}, or empty with nothing changed when another request holds it. */
    public Optional<Claim> claim(ObjectAddress address, String requestId) {
        String key = key(address);
        String holder = byObject.putIfAbsent(key, requestId);
        return holder == null ? Optional.of(new Claim(key, requestId)) : Optional.empty();
    }

    /** The request working on {@code address} now, if any. */
    public Optional<String> holder(ObjectAddress address) {
        return Optional.ofNullable(byObject.get(key(address)));
    }

    static String key(ObjectAddress address) {
        return address instanceof ObjectAddress.LocalFile f ? "file://" + f.path().normalize() : address.toString();
    }

    /** Released once, when the recognition of the object ends. */
    public final class Claim implements AutoCloseable {
        private final String key, requestId;

        private Claim(String key, String requestId) {
            this.key = key;
            this.requestId = requestId;
        }

        @Override
        public void close() {
            byObject.remove(key, requestId);
        }
    }
}
