package dev.moodtag.storage;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Object URLs at the configured endpoint: path-encoded keys, decoded strictly (no S3 call is made). */
class S3ObjectUrlTest {

    private final S3ObjectStorage s3 = new S3ObjectStorage(List.of("media"), Optional.of(URI.create("http://127.0.0.1:9090")),
            () -> {
                throw new AssertionError("no S3 call expected");
            });

    @Test
    void pathEncodedKeysDecodeWithPlusAsItself() {
        assertEquals(ObjectRef.s3("media", "a b+c/\u00e9.wav"),
                s3.refForUrl(URI.create("http://127.0.0.1:9090/media/a%20b+c/%C3%A9.wav")));
        assertEquals(ObjectRef.s3("media", "50%.wav"), s3.refForUrl(URI.create("http://127.0.0.1:9090/media/50%25.wav")));
    }

    @Test
    void keysThatAreNotUtf8AreRefusedNotTurnedIntoReplacementCharacters() {
        // Before S3Uri.decodeKey, URLDecoder made "%FF.wav" the key "\uFFFD.wav": an object that is not the one sent.
        for (String path : List.of("/media/%FF.wav", "/media/%C3%28.wav", "/media/%ED%A0%80.wav", "/media/%C0%AF.wav")) {
            StorageException e = assertThrows(StorageException.class, () -> s3.refForUrl(URI.create("http://127.0.0.1:9090" + path)), path);
            assertEquals(StorageException.Kind.NOT_ALLOWED, e.kind(), "a permanent problem, never retried");
            assertTrue(e.getMessage().contains("UTF-8"), e.getMessage());
        }
    }
}
