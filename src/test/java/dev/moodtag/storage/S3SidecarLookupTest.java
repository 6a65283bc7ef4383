package dev.moodtag.storage;

import dev.moodtag.media.TranscriptLoader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.*;

/**
 * A media's sidecar in a bucket, in any case of its extension ({@link S3ObjectStorage#firstExisting}): one listing of
 * the names' shared start and one HEAD of the chosen key, where each of the 40 names would be a HEAD; the listing's
 * faults are the store's, transient or not as any other call's.
 */
class S3SidecarLookupTest {
    private FakeS3 fake;

    @AfterEach
    void stop() throws IOException {
        if (fake != null) fake.close();
    }

    private static final ObjectRef MEDIA = ObjectRef.s3("media", "clips/talk.wav");
    private static final List<ObjectRef> CANDIDATES = TranscriptLoader.sidecarNames(MEDIA.name()).stream().map(MEDIA::sibling).toList();

    /** Lists {@code keys} (truncated as said) and answers a HEAD of any of them, 404 for any other key. */
    private S3ObjectStorage store(Set<String> keys, boolean truncated) throws IOException {
        fake = new FakeS3((method, path, socket, out) -> {
            if (method.equals("GET") && path.contains("list-type=2")) {
                FakeS3.send(out, 200, "", S3FaultGridTest.page(keys.stream().sorted().toList(), truncated, truncated ? "t" : null));
            } else if (method.equals("HEAD") && keys.contains(path.substring("/media/".length()))) {
                out.write("HTTP/1.1 200 X\r\nConnection: close\r\nETag: \"e\"\r\nContent-Length: 5\r\n\r\n"
                        .getBytes(StandardCharsets.US_ASCII));
            } else {
                FakeS3.error(out, 404, "NoSuchKey", method.equals("HEAD"));
            }
        });
        return fake.store(Duration.ofSeconds(1), Duration.ofSeconds(4), Duration.ofSeconds(2), S3ObjectStorage.DEFAULT_READ_TIMEOUT);
    }

    @Test
    void oneListingAndOneHeadFindTheRuleSChoice() throws IOException {
        S3ObjectStorage s3 = store(Set.of("clips/talk.wav", "clips/talk.wav.emotion.json", "clips/talk.Txt",
                "clips/talk.TXT", "clips/talk.SRT", "clips/talks.txt"), false);
        Optional<ObjectInfo> found = s3.firstExisting(CANDIDATES);
        assertEquals("clips/talk.TXT", found.orElseThrow().ref().key());
        assertEquals(5, found.get().size());
        assertEquals(2, fake.requests.size(), fake.requests.toString());
        assertTrue(fake.requests.get(0).startsWith("GET /media?") && fake.requests.get(0).contains("prefix=clips%2Ftalk."),
                fake.requests.toString());
        assertEquals("HEAD /media/clips/talk.TXT", fake.requests.get(1));
    }

    @Test
    void noSidecarCostsOneListing() throws IOException {
        S3ObjectStorage s3 = store(Set.of("clips/talk.wav", "clips/talk.wav.emotion.json"), false);
        assertEquals(Optional.empty(), s3.firstExisting(CANDIDATES));
        assertEquals(1, fake.requests.size(), fake.requests.toString());
    }

    /** More than a page of keys starting with the base name: each name is asked on its own, in the rule's order. */
    @Test
    void aTruncatedListingFallsBackToAHeadPerName() throws IOException {
        S3ObjectStorage s3 = store(Set.of("clips/talk.vtt", "clips/talk.VTT"), true);
        assertEquals("clips/talk.vtt", s3.firstExisting(CANDIDATES).orElseThrow().ref().key());
        // the listing, then the 8 cases of .txt and the lower-case .vtt
        assertEquals(1 + 8 + 1, fake.requests.size(), fake.requests.toString());
    }

    @Test
    void aListingFaultIsTheStoreSTransientOrNot() throws IOException {
        fake = new FakeS3((method, path, socket, out) -> FakeS3.error(out, 503, "SlowDown", method.equals("HEAD")));
        S3ObjectStorage s3 = fake.store(Duration.ofSeconds(1), Duration.ofSeconds(4), Duration.ofSeconds(2), S3ObjectStorage.DEFAULT_READ_TIMEOUT);
        StorageException e = assertThrows(StorageException.class, () -> s3.firstExisting(CANDIDATES));
        assertTrue(e.kind().isTransient(), e.kind() + ": " + e.getMessage());
        fake.answer((method, path, socket, out) -> FakeS3.error(out, 403, "AccessDenied", method.equals("HEAD")));
        e = assertThrows(StorageException.class, () -> s3.firstExisting(CANDIDATES));
        assertFalse(e.kind().isTransient(), e.kind() + ": " + e.getMessage());
        // a bucket that is not configured is refused before anything is asked
        int asked = fake.requests.size();
        List<ObjectRef> elsewhere = CANDIDATES.stream().map(c -> ObjectRef.s3("other", c.key())).toList();
        assertEquals(StorageException.Kind.NOT_ALLOWED, assertThrows(StorageException.class, () -> s3.firstExisting(elsewhere)).kind());
        assertEquals(asked, fake.requests.size());
    }

    /**
     * A media key of the longest length S3 allows has no .json sidecar (its key would be a byte longer): that name is
     * not asked for, where asking refused the media as NOT_ALLOWED whether or not a .txt stood beside it.
     */
    @Test
    void aSidecarNameLongerThanAKeyCanBeIsNotAsked() throws IOException {
        String base = "clips/" + "k".repeat(1024 - "clips/".length() - ".wav".length());
        ObjectRef longest = ObjectRef.s3("media", base + ".wav");
        assertEquals(1024, longest.key().length());
        List<ObjectRef> names = TranscriptLoader.sidecarNames(longest.name()).stream().map(longest::sibling).toList();
        S3ObjectStorage s3 = store(Set.of(longest.key(), base + ".TXT"), false);
        assertEquals(base + ".TXT", s3.firstExisting(names).orElseThrow().ref().key());
        s3 = store(Set.of(longest.key()), false);
        assertEquals(Optional.empty(), s3.firstExisting(names));
    }
}
