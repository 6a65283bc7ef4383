package dev.moodtag.storage;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.List;
import java.util.Map;
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

    /**
     * An endpoint with a path of its own (MinIO behind a proxy at /s3) takes only URLs below that path. Before, as
     * many characters as the path is long were cut whatever they were: with endpoint http://minio:9000/s3,
     * http://minio:9000/xx/media/clip.mp4 was read as s3://media/clip.mp4.
     */
    @Test
    void onlyUrlsBelowTheEndpointsOwnPathAreTaken() {
        ObjectRef clip = ObjectRef.s3("media", "clip.mp4");
        Map<String, List<String>> refusedAt = Map.of(
                "http://minio:9000", List.of("", "/media", "//media/clip.mp4"),
                "http://minio:9000/", List.of("", "/media", "//media/clip.mp4"),
                "http://minio:9000/s3", List.of("/xx/media/clip.mp4", "/s3media/clip.mp4", "/s3", "/S3/media/clip.mp4",
                        "/media/clip.mp4", "/s3x/media/clip.mp4"),
                "http://minio:9000/s3/", List.of("/xx/media/clip.mp4", "/s3media/clip.mp4", "/s3/", "/media/clip.mp4"),
                "http://minio:9000/my%20s3", List.of("/xx%20s3/media/clip.mp4", "/my%20s4/media/clip.mp4",
                        "/my%20s3media/clip.mp4", "/my+s3/media/clip.mp4", "/media/clip.mp4"));
        for (Map.Entry<String, List<String>> at : refusedAt.entrySet()) {
            URI endpoint = URI.create(at.getKey());
            S3ObjectStorage store = new S3ObjectStorage(List.of("media"), Optional.of(endpoint), () -> {
                throw new AssertionError("no S3 call expected");
            });
            String base = endpoint.getRawPath().replaceAll("/$", "");
            assertEquals(clip, store.refForUrl(URI.create("http://minio:9000" + base + "/media/clip.mp4")), at.getKey());
            for (String path : at.getValue()) {
                URI url = URI.create("http://minio:9000" + path);
                StorageException e = assertThrows(StorageException.class, () -> store.refForUrl(url),
                        () -> at.getKey() + ": " + url + " accepted as " + store.refForUrl(url));
                assertEquals(StorageException.Kind.NOT_ALLOWED, e.kind(), e.getMessage());
            }
        }
    }
}
