package dev.moodtag.storage;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the S3 store makes of the faults a real S3 server cannot be made to produce, through the HTTP client the
 * function uses (URLConnection): each must end as a {@link StorageException} of the kind its answer needs, transient
 * ({@link StorageException.Kind#UNAVAILABLE}, HTTP 503) for what can pass.
 */
class S3FaultsTest {

    @TempDir
    Path tmp;

    private FakeS3 fake;

    private S3ObjectStorage s3(FakeS3.Answer answer) throws IOException {
        fake = new FakeS3(answer);
        return fake.store(Duration.ofSeconds(2), Duration.ofSeconds(10), Duration.ofSeconds(5), S3ObjectStorage.DEFAULT_READ_TIMEOUT);
    }

    @AfterEach
    void stop() throws IOException {
        if (fake != null) fake.close();
    }

    private static final ObjectRef MEDIA = ObjectRef.s3("media", "clips/a.wav");

    /**
     * A connection closed after part of the body: the JDK's client ends the stream there as if the object were whole,
     * and its first half was tagged, its result written and the object skipped for good after.
     */
    @Test
    void aBodyCutShortOfItsContentLengthIsRetryableAndLeavesNoCopy() throws IOException {
        S3ObjectStorage s3 = s3((method, path, socket, out) -> {
            out.write("HTTP/1.1 200 OK\r\nETag: \"e\"\r\nContent-Length: 1000\r\n\r\n".getBytes());
            out.write(new byte[400]);
        });
        Path copy = tmp.resolve("copy");
        StorageException e = assertThrows(StorageException.class, () -> s3.copyTo(MEDIA, copy, 1 << 20),
                "400 of 1000 bytes taken for the object");
        assertEquals(StorageException.Kind.UNAVAILABLE, e.kind(), e.getMessage());
        assertTrue(e.getMessage().contains("400 of the 1000 bytes"), e.getMessage());
        assertFalse(Files.exists(copy), "nothing of a partial copy is left");
    }

    /**
     * A body with neither Content-Length nor chunked encoding ends where the connection closes, so a connection cut
     * midway looks like the whole object. The caller's stat gave the size: a body that ends short of it is cut (or the
     * object was replaced since), retryable, and nothing of it is kept to be tagged as the whole object.
     */
    @Test
    void aBodyOfUnannouncedLengthShortOfTheStatsSizeIsRetryableAndLeavesNoCopy() throws IOException {
        S3ObjectStorage s3 = s3((method, path, socket, out) -> {
            if (method.equals("HEAD")) {
                out.write("HTTP/1.1 200 OK\r\nETag: \"e\"\r\nContent-Length: 1000\r\nConnection: close\r\n\r\n".getBytes());
                return;
            }
            out.write("HTTP/1.1 200 OK\r\nETag: \"e\"\r\nConnection: close\r\n\r\n".getBytes());
            out.write(new byte[400]);
        });
        Path copy = tmp.resolve("copy");
        ObjectInfo stat = s3.stat(MEDIA).orElseThrow();
        assertEquals(1000, stat.size());
        StorageException e = assertThrows(StorageException.class, () -> s3.copyTo(stat, copy, 1 << 20),
                "400 of 1000 bytes taken for the object");
        assertEquals(StorageException.Kind.UNAVAILABLE, e.kind(), e.getMessage());
        assertTrue(e.getMessage().contains("400 of the 1000 bytes its stat gave"), e.getMessage());
        assertFalse(Files.exists(copy), "nothing of a partial copy is left");

        // The whole body, or a longer one (replaced since; the tagging's second stat sees that), is read as it is
        for (int served : new int[]{1000, 1200}) {
            fake.answer((method, path, socket, out) -> {
                out.write("HTTP/1.1 200 OK\r\nETag: \"e\"\r\nConnection: close\r\n\r\n".getBytes());
                out.write(new byte[served]);
            });
            assertEquals(served, s3.copyTo(stat, copy, 1 << 20).bytes());
        }
    }

    /**
     * Answers that are not HTTP: a connection cut within the status line ("HTTP/1.1 2", read as status 2: a
     * permanent refusal) or the headers (a HEAD without Content-Length: a NullPointerException), a status line that
     * cannot be read at all (the URLConnection client throws UncheckedIOException or IllegalArgumentException, not an
     * SdkException). All were answered for good, as `failed` or as an internal error of moodtag's.
     */
    @Test
    void anAnswerThatIsNotHttpIsRetryable() throws IOException {
        for (String answer : new String[]{"HTTP/1.1 2", "garbage\r\n\r\n", "HTTP/1.1 OK\r\n\r\n", "HTTP/1.1 -5 X\r\n\r\n",
                "HTTP/1.1 99999999999 X\r\n\r\n"}) {
            S3ObjectStorage s3 = s3((method, path, socket, out) -> out.write(answer.getBytes()));
            everyCall(s3).forEach((what, call) -> {
                String shown = what + " answered '" + answer.replace("\r\n", "\\r\\n") + "'";
                Throwable t = assertThrows(Throwable.class, call, shown);
                assertTrue(t instanceof StorageException, shown + ": " + t);
                assertEquals(StorageException.Kind.UNAVAILABLE, ((StorageException) t).kind(), shown + ": " + t.getMessage());
            });
            stop();
        }
        S3ObjectStorage s3 = s3((method, path, socket, out) -> out.write("HTTP/1.1 200 OK\r\nETag: \"e\"\r\nContent-Le".getBytes()));
        StorageException e = assertThrows(StorageException.class, () -> s3.stat(MEDIA), "a HEAD cut within its headers");
        assertEquals(StorageException.Kind.UNAVAILABLE, e.kind(), e.getMessage());
    }

    /**
     * An IllegalArgumentException from building the request (here the HTTP client refusing a header value with a line
     * break) is moodtag's own input, not the store's answer: it fails the same way on every retry, so it must be
     * permanent. Only the one the SDK raises for a status line it could not read (see above) is the store's.
     */
    @Test
    void aRequestTheClientRefusesToSendIsPermanentNotRetryable() throws IOException {
        S3ObjectStorage s3 = s3((method, path, socket, out) -> FakeS3.send(out, 200, "ETag: \"e\"\r\n", new byte[0]));
        StorageException e = assertThrows(StorageException.class, () -> s3.writeAtomically(
                MEDIA.withKey("clips/a.wav.emotion.json"), new byte[3], "application/json\r\nX-Injected: 1"));
        assertEquals(StorageException.Kind.FAILED, e.kind(), e.getMessage());
        assertTrue(e.getMessage().contains("s3://media/clips/a.wav.emotion.json"), e.getMessage());
        assertEquals(List.of(), fake.requests, "nothing was sent");
    }

    /**
     * A session token that expired and a clock that is off pass by themselves on Kubernetes (the credentials provider
     * refreshes, NTP corrects): answered for good, the platform dropped the event and the object was never tagged.
     * A HEAD's answer has no body and so no error code; stat and the reachability check must still tell them apart.
     * A refusal of the credentials themselves stays permanent.
     */
    @Test
    void expiredCredentialsAndClockSkewAreRetryableWhateverTheCallAndAccessDeniedIsNot() throws IOException {
        String date = "Date: " + java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME.format(
                java.time.ZonedDateTime.now(java.time.ZoneOffset.UTC).plusMinutes(20)) + "\r\n";
        record Case(int status, String code, String headers, StorageException.Kind kind, String says) {
        }
        for (Case c : List.of(
                new Case(400, "ExpiredToken", "", StorageException.Kind.UNAVAILABLE, "the credentials have expired; retrying after they are refreshed"),
                new Case(403, "ExpiredToken", "", StorageException.Kind.UNAVAILABLE, "the credentials have expired"),
                new Case(400, "TokenRefreshRequired", "", StorageException.Kind.UNAVAILABLE, "the credentials have expired"),
                new Case(403, "RequestTimeTooSkewed", date, StorageException.Kind.UNAVAILABLE, "this machine's clock differs from the store's by 1"),
                new Case(403, "AccessDenied", "", StorageException.Kind.FAILED, "check the function's S3 credentials"),
                new Case(403, "InvalidAccessKeyId", "", StorageException.Kind.FAILED, "check the function's S3 credentials"),
                new Case(403, "SignatureDoesNotMatch", "", StorageException.Kind.FAILED, "check the function's S3 credentials"))) {
            S3ObjectStorage s3 = s3((method, path, socket, out) ->
                    FakeS3.error(out, c.status(), c.code(), method.equals("HEAD"), c.headers()));
            everyCall(s3).forEach((what, call) -> {
                String shown = what + " answered " + c.status() + " " + c.code();
                StorageException e = assertThrows(StorageException.class, call, shown);
                assertEquals(c.kind(), e.kind(), shown + ": " + e.getMessage());
                assertTrue(e.getMessage().contains(c.says()), shown + ": " + e.getMessage());
            });
            stop();
        }
    }

    /** Every call the product makes of a store, by name: each must answer a fault the same way. */
    private Map<String, Executable> everyCall(S3ObjectStorage s3) {
        Map<String, Executable> calls = new LinkedHashMap<>();
        calls.put("stat", () -> s3.stat(MEDIA));
        calls.put("read", () -> s3.copyTo(MEDIA, tmp.resolve("copy"), 1 << 20));
        calls.put("write", () -> s3.writeAtomically(MEDIA.withKey("clips/a.wav.emotion.json"), new byte[3], "application/json"));
        calls.put("list", () -> s3.list("media", "clips/"));
        calls.put("reach", s3::checkReachable);
        return calls;
    }
}
