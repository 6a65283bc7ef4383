package dev.moodtag.storage;

import dev.moodtag.support.Sha256;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A fault-injection grid over the S3 store's real calls as the tagging makes them (stat, then a bounded copy given
 * the stat's size; the result's PUT; a prefix's listing), through the URLConnection client the product uses: each
 * fault must end in the outcome the product promises (a transient one retryable, a permanent one not), leave no
 * copy of a read that was not whole, and end within generous bounds of the configured timeouts. The outcome of each
 * case is printed as one grid line, so a run shows counts per fault and outcome.
 */
class S3FaultGridTest {

    @TempDir
    Path tmp;

    private FakeS3 fake;

    private static final ObjectRef MEDIA = ObjectRef.s3("media", "clips/a.wav");
    private static final byte[] BODY = body(1000);
    /** Generous: the slowest case on a loaded 2-core machine, not a timing under test. */
    private static final Duration BOUND = Duration.ofSeconds(20);

    private static byte[] body(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) b[i] = (byte) (i * 31 + 7);
        return b;
    }

    private S3ObjectStorage s3(FakeS3.Answer answer) throws IOException {
        return s3(answer, S3ObjectStorage.DEFAULT_READ_TIMEOUT);
    }

    /** A fresh endpoint answering as given, in place of the last one, and the store on it. */
    private S3ObjectStorage s3(FakeS3.Answer answer, Duration readTimeout) throws IOException {
        stop();
        fake = new FakeS3(answer);
        return fake.store(Duration.ofSeconds(1), Duration.ofSeconds(4), Duration.ofSeconds(2), readTimeout);
    }

    @AfterEach
    void stop() throws IOException {
        if (fake != null) fake.close();
        fake = null;
    }

    /** What one call came to: "ok" (with what it read) or the kind of its StorageException. */
    private static String outcome(Supplier<String> call) {
        try {
            return "ok " + call.get();
        } catch (StorageException e) {
            return e.kind().name();
        } catch (RuntimeException e) {
            return "THROWN " + e.getClass().getSimpleName() + ": " + e.getMessage();
        }
    }

    private final Map<String, Integer> grid = new TreeMap<>();
    private final List<String> wrong = new ArrayList<>();

    private void record(String fault, String expected, String got) {
        grid.merge(fault + " -> " + got, 1, Integer::sum);
        if (!got.startsWith(expected)) wrong.add(fault + ": expected " + expected + ", got " + got);
    }

    private void report(String what) {
        grid.forEach((k, v) -> System.out.printf("grid %s: %-70s %d%n", what, k, v));
        assertTrue(wrong.isEmpty(), String.join("\n", wrong));
    }

    private static void head(OutputStream out, String headers) throws IOException {
        out.write(("HTTP/1.1 200 OK\r\nConnection: close\r\nETag: \"e\"\r\n" + headers + "\r\n").getBytes(StandardCharsets.US_ASCII));
    }

    private static void headOk(OutputStream out) throws IOException {
        head(out, "Content-Length: " + BODY.length + "\r\n");
    }

    /** A reset (RST), not a close: what a crashed server or a middlebox that drops the connection sends. */
    private static void reset(Socket socket) throws IOException {
        socket.setSoLinger(true, 0);
        socket.close();
    }

    /** The copy the tagging makes (stat, then a bounded copy given its size), as "bytes sha" when it succeeds. */
    private String tagCopy(S3ObjectStorage s3) {
        ObjectInfo info = s3.stat(MEDIA).orElseThrow(() -> new StorageException(StorageException.Kind.NOT_FOUND, "gone"));
        CopiedObject c = s3.copyTo(info, tmp.resolve("copy"), 1 << 20);
        return c.bytes() + " " + (c.sha256().equals(Sha256.hex(digest(BODY))) ? "whole" : "other bytes");
    }

    private static java.security.MessageDigest digest(byte[] b) {
        java.security.MessageDigest d = Sha256.digest();
        d.update(b);
        return d;
    }

    /** One GET fault, HEAD answered as the object is; the result must be {@code expected} within the bound. */
    private void get(String fault, String expected, FakeS3.Answer onGet) throws IOException {
        S3ObjectStorage s3 = s3((method, path, socket, out) -> {
            if (method.equals("HEAD")) headOk(out);
            else onGet.answer(method, path, socket, out);
        });
        Path copy = tmp.resolve("copy");
        String got = assertTimeoutPreemptively(BOUND, () -> outcome(() -> tagCopy(s3)), fault);
        if (!got.startsWith("ok")) assertFalse(Files.exists(copy), fault + ": a copy of a read that failed is left");
        Files.deleteIfExists(copy);
        record("GET " + fault, expected, got);
    }

    @Test
    void getFaults() throws IOException {
        for (int at : new int[]{0, 1, BODY.length / 2, BODY.length - 1}) {
            get("reset at byte " + at, "UNAVAILABLE", (m, p, socket, out) -> {
                headOk(out);
                out.write(BODY, 0, at);
                out.flush();
                reset(socket);
            });
            get("closed at byte " + at, "UNAVAILABLE", (m, p, socket, out) -> {
                headOk(out);
                out.write(BODY, 0, at);
            });
            get("closed at byte " + at + " without Content-Length", "UNAVAILABLE", (m, p, socket, out) -> {
                head(out, "");
                out.write(BODY, 0, at);
            });
        }
        get("whole body", "ok 1000 whole", (m, p, socket, out) -> {
            headOk(out);
            out.write(BODY);
        });
        get("whole body without Content-Length", "ok 1000 whole", (m, p, socket, out) -> {
            head(out, "");
            out.write(BODY);
        });
        // HTTP ends a body at its Content-Length: what follows is no part of the object
        get("body longer than its Content-Length", "ok 1000 whole", (m, p, socket, out) -> {
            headOk(out);
            out.write(BODY);
            out.write(new byte[200]);
        });
        // An answer of another length than the stat gave is not all of the object the stat saw: a part of it, an
        // error document sent as 200, or a newer version (whose stat the retry makes)
        get("206 of the first half, no range asked", "UNAVAILABLE", (m, p, socket, out) -> {
            out.write(("HTTP/1.1 206 Partial\r\nConnection: close\r\nETag: \"e\"\r\nContent-Range: bytes 0-499/1000\r\n"
                    + "Content-Length: 500\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(BODY, 0, 500);
        });
        get("206 of all of it", "ok 1000 whole", (m, p, socket, out) -> {
            out.write(("HTTP/1.1 206 Partial\r\nConnection: close\r\nETag: \"e\"\r\nContent-Range: bytes 0-999/1000\r\n"
                    + "Content-Length: 1000\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(BODY);
        });
        get("200 with an XML error document", "UNAVAILABLE", (m, p, socket, out) -> FakeS3.send(out, 200,
                "ETag: \"e\"\r\nContent-Type: application/xml\r\n", ("<?xml version=\"1.0\"?><Error><Code>InternalError"
                        + "</Code><Message>m</Message></Error>").getBytes(StandardCharsets.UTF_8)));
        get("replaced between HEAD and GET (new ETag, 1200 bytes)", "UNAVAILABLE", (m, p, socket, out) ->
                FakeS3.send(out, 200, "ETag: \"f\"\r\n", new byte[1200]));
        get("chunked, cut inside a chunk", "UNAVAILABLE", (m, p, socket, out) -> {
            head(out, "Transfer-Encoding: chunked\r\n");
            out.write(("3e8\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(BODY, 0, 500);
        });
        get("chunked, no last chunk", "UNAVAILABLE", (m, p, socket, out) -> {
            head(out, "Transfer-Encoding: chunked\r\n");
            out.write(("3e8\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(BODY);
            out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
        });
        get("chunked, a size that is not hex", "UNAVAILABLE", (m, p, socket, out) -> {
            head(out, "Transfer-Encoding: chunked\r\n");
            out.write(("zz\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(BODY);
        });
        get("chunked, whole", "ok 1000 whole", (m, p, socket, out) -> {
            head(out, "Transfer-Encoding: chunked\r\n");
            out.write(("3e8\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(BODY);
            out.write("\r\n0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        });
        for (int status : new int[]{404, 403, 416, 500, 503}) {
            String expected = switch (status) {
                case 404 -> "NOT_FOUND";
                case 403, 416 -> "FAILED";
                default -> "UNAVAILABLE";
            };
            get(status + " between HEAD and GET", expected, (m, p, socket, out) ->
                    FakeS3.error(out, status, status == 404 ? "NoSuchKey" : status == 403 ? "AccessDenied" : "X", false));
        }
        for (String retryAfter : new String[]{"", "Retry-After: 3600\r\n", "Retry-After: 1\r\n"}) {
            get("503 SlowDown " + retryAfter.trim(), "UNAVAILABLE", (m, p, socket, out) ->
                    FakeS3.error(out, 503, "SlowDown", false, retryAfter));
            get("500 InternalError " + retryAfter.trim(), "UNAVAILABLE", (m, p, socket, out) ->
                    FakeS3.error(out, 500, "InternalError", false, retryAfter));
        }
        report("GET");
    }

    /**
     * A body that drips in a byte at a time, each within the socket timeout, was read for as long as it dripped (1,000
     * bytes at 2 a second: over 8 minutes; an object of the default maximum size, for ever): the call and attempt
     * timeouts end at the answer's headers. The read of a body is bounded as a whole by its own timeout.
     */
    @Test
    void aBodyThatDripsPastTheReadTimeoutIsRetryableAndLeavesNoCopy() throws IOException {
        S3ObjectStorage s3 = s3((method, path, socket, out) -> {
            headOk(out);
            if (method.equals("HEAD")) return;
            for (byte b : BODY) {
                out.write(b);
                out.flush();
                try {
                    Thread.sleep(500);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, Duration.ofSeconds(2));
        record("GET drip of 2 bytes/s past a 2 s read timeout", "UNAVAILABLE",
                assertTimeoutPreemptively(BOUND, () -> outcome(() -> tagCopy(s3))));
        assertFalse(Files.exists(tmp.resolve("copy")));
        report("GET");
    }

    /**
     * A stat that gave a negative size made the read that followed take it for "no size known", so a body of
     * unannounced length cut short was copied whole for tagging.
     */
    @Test
    void aNegativeSizeFromAStatLetsNoCutBodyThrough() throws IOException {
        S3ObjectStorage s3 = s3((method, path, socket, out) -> {
            head(out, method.equals("HEAD") ? "Content-Length: -1\r\n" : "");
            if (method.equals("GET")) out.write(BODY, 0, 400);
        });
        record("HEAD -1, then GET of no length cut at byte 400", "UNAVAILABLE", outcome(() -> tagCopy(s3)));
        assertFalse(Files.exists(tmp.resolve("copy")));
        report("GET");
    }

    /**
     * A store of one object in versions: HEAD and GET answer the current one, and a GET whose If-Match names another
     * ETag is refused 412 as S3 refuses it (strong comparison: the header as sent against the ETag as the store
     * writes it). {@code replaceAfterHeads} HEADs in, the object is replaced by {@code next}: between a stat and its read.
     */
    private S3ObjectStorage versioned(String etag, byte[] body, String nextEtag, byte[] next, int replaceAfterHeads)
            throws IOException {
        return versioned(etag, body, nextEtag, next, replaceAfterHeads, true, true);
    }

    /**
     * As {@link #versioned(String, byte[], String, byte[], int)}, by a look-alike that may not know If-Match (it then
     * answers the current version) and may send no ETag with a GET.
     */
    private S3ObjectStorage versioned(String etag, byte[] body, String nextEtag, byte[] next, int replaceAfterHeads,
                                      boolean honoursIfMatch, boolean etagOnGet) throws IOException {
        AtomicInteger heads = new AtomicInteger();
        return s3((method, path, socket, out) -> {
            boolean replaced = heads.get() >= replaceAfterHeads;
            String current = replaced ? nextEtag : etag;
            byte[] bytes = replaced ? next : body;
            String tag = current == null ? "" : "ETag: " + current + "\r\n";
            if (method.equals("HEAD")) {
                heads.incrementAndGet();
                out.write(("HTTP/1.1 200 OK\r\nConnection: close\r\n" + tag + "Content-Length: " + bytes.length + "\r\n\r\n")
                        .getBytes(StandardCharsets.ISO_8859_1));
                return;
            }
            java.util.Optional<String> ifMatch = FakeS3.header("If-Match");
            if (honoursIfMatch && ifMatch.isPresent() && !ifMatch.get().equals("*") && !ifMatch.get().equals(current)) {
                FakeS3.error(out, 412, "PreconditionFailed", false);
                return;
            }
            out.write(("HTTP/1.1 200 OK\r\nConnection: close\r\n" + (etagOnGet ? tag : "") + "Content-Length: "
                    + bytes.length + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.write(bytes);
        });
    }

    /**
     * A store that refuses every If-Match, its own current ETag included (a look-alike that compares otherwise, or not
     * at all), answered every read 412 and the object was retried as replaced until the platform gave up, though it
     * never changed: a permanent problem answered as transient. A 412 is now checked against a new stat: an unchanged
     * ETag reads the object once more without If-Match (its answer's ETag still checked), a changed one stays retryable.
     */
    @Test
    void aStoreThatRefusesItsOwnETagInIfMatchIsReadWithoutIt() throws IOException {
        S3ObjectStorage s3 = s3((method, path, socket, out) -> {
            if (method.equals("HEAD")) {
                headOk(out);
                return;
            }
            if (FakeS3.header("If-Match").isPresent()) {
                FakeS3.error(out, 412, "PreconditionFailed", false);
                return;
            }
            head(out, "Content-Length: " + BODY.length + "\r\n");
            out.write(BODY);
        });
        record("GET 412 to the object's own ETag", "ok 1000 whole", assertTimeoutPreemptively(BOUND, () -> outcome(() -> tagCopy(s3))));
        report("GET");
        assertEquals(List.of("\"e\"", "none"), ifMatchSent(), "read again without If-Match, once");
        assertEquals(2, fake.requests.stream().filter(r -> r.startsWith("HEAD ")).count(), "the 412 checked by a new stat");
    }

    /** The If-Match header each GET carried, "none" where it had none. */
    private List<String> ifMatchSent() {
        List<String> sent = new ArrayList<>();
        for (int i = 0; i < fake.requests.size(); i++)
            if (fake.requests.get(i).startsWith("GET ")) {
                String ifMatch = "none";
                for (String line : fake.heads.get(i).split("\r\n"))
                    if (line.toLowerCase(java.util.Locale.ROOT).startsWith("if-match:")) ifMatch = line.substring(9).trim();
                sent.add(ifMatch);
            }
        return sent;
    }

    /**
     * An object replaced by another of the same length between its stat and its read was copied and tagged as the
     * version the stat described, under that version's ETag; only the stat after tagging saw the change, the whole
     * tagging spent for nothing. The read names the stat's version (If-Match), the store refuses it (412), and that
     * is the object changing while it was read: retryable, nothing copied, and the retry reads the new version.
     */
    @Test
    void anObjectReplacedBetweenItsStatAndItsReadIsRetryableAndTheRetryReadsTheNewVersion() throws IOException {
        byte[] other = body(1000);
        other[500] ^= 1;
        S3ObjectStorage s3 = versioned("\"e\"", BODY, "\"f\"", other, 1);
        Path copy = tmp.resolve("copy");
        StorageException e = assertThrows(StorageException.class, () -> assertTimeoutPreemptively(BOUND, () -> tagCopy(s3)));
        record("GET of the same length, replaced after HEAD (store honours If-Match)", "UNAVAILABLE", e.kind().name());
        report("GET");
        assertTrue(e.getMessage().endsWith("it was replaced since its stat (HTTP 412 PreconditionFailed: its ETag is no "
                + "longer \"e\"); nothing read, the retry reads the new version"), e.getMessage());
        assertEquals(List.of("\"e\""), ifMatchSent(), "the read names the version its stat gave, as S3 wrote its ETag");
        assertFalse(Files.exists(copy), "nothing of the new version is copied as the old one");
        // the retry stats the new version and reads it
        String again = assertTimeoutPreemptively(BOUND, () -> outcome(() -> tagCopy(s3)));
        record("retry after the replacement", "ok 1000 other bytes", again);
        assertEquals(List.of("\"e\"", "\"f\""), ifMatchSent());
        Files.delete(copy);

        // A look-alike that ignores If-Match answers the new version: its GET's own ETag tells it apart from the stat's
        S3ObjectStorage ignoring = versioned("\"e\"", BODY, "\"f\"", other, 1, false, true);
        record("GET of the same length, replaced after HEAD (If-Match ignored, new ETag on GET)", "UNAVAILABLE",
                assertTimeoutPreemptively(BOUND, () -> outcome(() -> tagCopy(ignoring))));
        assertFalse(Files.exists(copy));
        // ... and one that sends no ETag with it cannot be told apart here: the stat after tagging sees the change
        S3ObjectStorage blind = versioned("\"e\"", BODY, "\"f\"", other, 1, false, false);
        record("GET of the same length, replaced after HEAD (If-Match ignored, no ETag on GET)", "ok 1000 other bytes",
                assertTimeoutPreemptively(BOUND, () -> outcome(() -> tagCopy(blind))));
        report("GET");
    }

    /**
     * The ETag a stat gave, as the store wrote it, against the If-Match its read sends: S3's (quoted, a multipart
     * upload's too) is named exactly; none is sent where a store gives no ETag, a weak one (a proxy's, which a strong
     * comparison never matches: every read would be refused for good), one without quotes (whose comparison the store
     * alone knows) or one HTTP cannot carry back, and the read of an unchanged object is whole in every case.
     */
    @Test
    void theReadNamesTheStatsVersionOnlyByAnETagAsHttpWritesOne() throws IOException {
        Map<String, String> shapes = new java.util.LinkedHashMap<>();
        shapes.put("\"e\"", "\"e\"");
        shapes.put("\"9b2cf535f27731c974343645a3985328-3\"", "\"9b2cf535f27731c974343645a3985328-3\"");
        shapes.put("\"!#$%&'()*+,-./:;<=>?@[]^_`{|}~\"", "\"!#$%&'()*+,-./:;<=>?@[]^_`{|}~\"");
        shapes.put(null, "none");
        shapes.put("W/\"e\"", "none");
        shapes.put("e", "none");
        shapes.put("\"\"", "none");
        shapes.put("\"", "none");
        shapes.put("\"a b\"", "none");
        shapes.put("\"a\"b\"", "none");
        shapes.put("\"\u00e9t\u00e9\"", "none");
        shapes.put("\"e", "none");
        for (Map.Entry<String, String> shape : shapes.entrySet()) {
            // a store that compares If-Match as sent against its ETag as written, never replaced
            S3ObjectStorage s3 = versioned(shape.getKey(), BODY, shape.getKey(), BODY, Integer.MAX_VALUE);
            String got = assertTimeoutPreemptively(BOUND, () -> outcome(() -> tagCopy(s3)));
            record("ETag " + shape.getKey() + ", unchanged", "ok 1000 whole", got);
            record("ETag " + shape.getKey() + " sends If-Match", shape.getValue(), String.join(",", ifMatchSent()));
        }
        report("GET");
    }

    /**
     * A 503 whose Retry-After is longer than the call may last: the SDK waits out max(its backoff, Retry-After) with
     * no cap of its own, so the call sat for the whole call timeout and failed as "storage unreachable (Client execution
     * did not complete ...)", naming no 503. Such a wait ends the SDK's retries at once, with the store's answer; a
     * shorter one is still waited out and retried. Counted in requests and read in the message, not timed.
     */
    @Test
    void aRetryAfterLongerThanTheCallEndsItsRetriesWithTheStoresAnswer() throws IOException {
        for (int retryAfter : new int[]{3600, 11, 1}) {
            stop();
            fake = new FakeS3((m, p, socket, out) -> FakeS3.error(out, 503, "SlowDown", m.equals("HEAD"),
                    "Retry-After: " + retryAfter + "\r\n"));
            S3ObjectStorage s3 = fake.storeWithSdkRetries(Duration.ofSeconds(10), Duration.ofSeconds(2));
            Map<String, Runnable> calls = new java.util.LinkedHashMap<>();
            calls.put("stat", () -> s3.stat(MEDIA));
            calls.put("read", () -> s3.copyTo(MEDIA, tmp.resolve("copy"), 1 << 20));
            calls.put("write", () -> s3.writeAtomically(MEDIA.withKey("clips/a.wav.emotion.json"), new byte[10], "application/json"));
            calls.put("list", () -> s3.list("media", "clips/"));
            for (Map.Entry<String, Runnable> call : calls.entrySet()) {
                int before = fake.requests.size();
                long t0 = System.nanoTime();
                StorageException e = assertTimeoutPreemptively(BOUND, () -> org.junit.jupiter.api.Assertions.assertThrows(
                        StorageException.class, call.getValue()::run));
                String fault = call.getKey() + " 503 Retry-After: " + retryAfter + " (call timeout 10 s)";
                record(fault, "UNAVAILABLE", e.kind().name());
                // a wait within the call is waited out and retried, up to the SDK's four attempts
                record(fault + ": requests", retryAfter < 10 ? "4" : "1", String.valueOf(fake.requests.size() - before));
                record(fault + ": names the 503", "true", String.valueOf(e.getMessage().contains(": HTTP 503")));
                System.out.printf("grid RETRY-AFTER: %s: %d ms%n", fault, (System.nanoTime() - t0) / 1_000_000);
                // generous: the call either returns at once or sits out its whole 10 s
                if (retryAfter >= 10)
                    record(fault + ": held for half the call timeout or more", "false",
                            String.valueOf(System.nanoTime() - t0 >= Duration.ofSeconds(5).toNanos()));
            }
        }
        report("RETRY-AFTER");
    }

    /**
     * A 503 whose Retry-After is an HTTP-date (IMF-fixdate, RFC 850's or asctime's form, RFC 9110 5.6.7) asks for a
     * wait as delay-seconds do, but the SDK reads delay-seconds alone: a date an hour ahead was asked again three times
     * within about 2.5 s (4 requests) before the call failed, where "3600" ends it with its first answer; and a date 3 s
     * ahead was asked again after the SDK's own backoff, about 0.4 s, refused again by a store that meant it. Each now
     * counts as its delay-seconds would.
     */
    @Test
    void aRetryAfterGivenAsAnHttpDateCountsAsItsDelaySecondsWould() throws IOException {
        List<String> wrong = new ArrayList<>();
        for (String form : new String[]{"EEE, dd MMM yyyy HH:mm:ss 'GMT'", "EEEE, dd-MMM-yy HH:mm:ss 'GMT'",
                "EEE MMM ppd HH:mm:ss yyyy"}) {
            java.time.format.DateTimeFormatter format = java.time.format.DateTimeFormatter.ofPattern(form, java.util.Locale.US);
            for (int ahead : new int[]{3600, 3}) {
                stop();
                java.time.ZonedDateTime[] until = {null};
                fake = new FakeS3((m, p, socket, out) -> {
                    java.time.ZonedDateTime now = java.time.ZonedDateTime.now(java.time.ZoneOffset.UTC);
                    if (until[0] == null) until[0] = now.plusSeconds(ahead).withNano(0);
                    if (now.isBefore(until[0]))
                        FakeS3.error(out, 503, "SlowDown", false, "Retry-After: " + format.format(until[0]) + "\r\n");
                    else FakeS3.send(out, 200, "ETag: \"e\"\r\n", new byte[0]);
                });
                S3ObjectStorage s3 = fake.storeWithSdkRetries(Duration.ofSeconds(10), Duration.ofSeconds(2));
                long t0 = System.nanoTime();
                String outcome = assertTimeoutPreemptively(BOUND, () -> outcome(() -> {
                    s3.writeAtomically(MEDIA.withKey("clips/a.wav.emotion.json"), new byte[10], "application/json");
                    return "written";
                }));
                long ms = (System.nanoTime() - t0) / 1_000_000;
                String got = outcome + " after " + fake.requests.size() + " requests";
                String expected = ahead >= 10 ? "UNAVAILABLE after 1 requests" : "ok written after 2 requests";
                System.out.printf("grid RETRY-AFTER DATE: [%s] %d s ahead: %s, %d ms%n", form, ahead, got, ms);
                if (!got.equals(expected)) wrong.add("[" + form + "] " + ahead + " s ahead: " + got + " in " + ms + " ms");
            }
        }
        assertEquals(List.of(), wrong);
    }

    /** One HEAD fault; the stat must be {@code expected} within the bound. */
    private void stat(String fault, String expected, String headers) throws IOException {
        S3ObjectStorage s3 = s3((method, path, socket, out) -> {
            if (method.equals("HEAD")) head(out, headers);
            else {
                headOk(out);
                out.write(BODY);
            }
        });
        String got = assertTimeoutPreemptively(BOUND, () -> outcome(() -> "size " + s3.stat(MEDIA).orElseThrow().size()), fault);
        record("HEAD " + fault, expected, got);
    }

    @Test
    void headFaults() throws IOException {
        stat("Content-Length 1000", "ok size 1000", "Content-Length: 1000\r\n");
        stat("Content-Length missing", "UNAVAILABLE", "");
        stat("Content-Length 2^63-1", "ok size " + Long.MAX_VALUE, "Content-Length: " + Long.MAX_VALUE + "\r\n");
        stat("Content-Length above the max object size", "ok size " + (2L << 30), "Content-Length: " + (2L << 30) + "\r\n");
        // Not a length: the answer is broken, as one cut within its headers
        for (String cl : new String[]{"-1", "-9223372036854775808", "abc", "18446744073709551616"})
            stat("Content-Length " + cl, "UNAVAILABLE", "Content-Length: " + cl + "\r\n");
        report("HEAD");
    }

    /** One PUT fault; the write must be {@code expected} within the bound. */
    private void put(String fault, String expected, FakeS3.Answer answer) throws IOException {
        S3ObjectStorage s3 = s3(answer);
        String got = assertTimeoutPreemptively(BOUND, () -> outcome(() -> {
            s3.writeAtomically(MEDIA.withKey("clips/a.wav.emotion.json"), new byte[5000], "application/json");
            return "written";
        }), fault);
        record("PUT " + fault, expected, got);
    }

    @Test
    void putFaults() throws IOException {
        put("200", "ok written", (m, p, socket, out) -> FakeS3.send(out, 200, "ETag: \"r\"\r\n", new byte[0]));
        for (int status : new int[]{500, 503})
            put(status + "", "UNAVAILABLE", (m, p, socket, out) -> FakeS3.error(out, status, "X", false));
        put("503 SlowDown Retry-After: 3600", "UNAVAILABLE", (m, p, socket, out) ->
                FakeS3.error(out, 503, "SlowDown", false, "Retry-After: 3600\r\n"));
        put("403 AccessDenied", "FAILED", (m, p, socket, out) -> FakeS3.error(out, 403, "AccessDenied", false));
        put("reset before the answer", "UNAVAILABLE", (m, p, socket, out) -> reset(socket));
        put("closed before the answer", "UNAVAILABLE", (m, p, socket, out) -> {
        });
        put("no answer (stalled past the timeouts)", "UNAVAILABLE", (m, p, socket, out) -> {
            try {
                Thread.sleep(60_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        report("PUT");
    }

    /** A ListObjectsV2 page: {@code keys} already XML-escaped. */
    static byte[] page(List<String> keys, boolean truncated, String nextToken) {
        StringBuilder x = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?><ListBucketResult "
                + "xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><Name>media</Name><Prefix>clips/</Prefix><KeyCount>")
                .append(keys.size()).append("</KeyCount><MaxKeys>1000</MaxKeys><IsTruncated>").append(truncated)
                .append("</IsTruncated>");
        if (nextToken != null) x.append("<NextContinuationToken>").append(nextToken).append("</NextContinuationToken>");
        for (String k : keys)
            x.append("<Contents><Key>").append(k).append("</Key><Size>1</Size><ETag>\"e\"</ETag>"
                    + "<LastModified>2026-01-01T00:00:00.000Z</LastModified><StorageClass>STANDARD</StorageClass></Contents>");
        return x.append("</ListBucketResult>").toString().getBytes(StandardCharsets.UTF_8);
    }

    /** The continuation token a listing request carries, or "" for its first page. */
    static String token(String path) {
        int at = path.indexOf("continuation-token=");
        if (at < 0) return "";
        int end = path.indexOf('&', at);
        return java.net.URLDecoder.decode(path.substring(at + 19, end < 0 ? path.length() : end), StandardCharsets.UTF_8);
    }

    /** One listing fault; the listing must be {@code expected} (or "ok N keys") within the bound. */
    private void list(String fault, String expected, FakeS3.Answer answer) throws IOException {
        S3ObjectStorage s3 = s3(answer);
        String got = assertTimeoutPreemptively(BOUND, () -> outcome(() -> s3.list("media", "clips/").size() + " keys"), fault);
        record("LIST " + fault, expected, got);
    }

    @Test
    void listFaults() throws IOException {
        list("two pages", "ok 2 keys", (m, p, socket, out) -> FakeS3.send(out, 200, "", token(p).isEmpty()
                ? page(List.of("clips/a.wav"), true, "t1") : page(List.of("clips/b.wav"), false, null)));
        list("a key repeated across pages", "ok 2 keys", (m, p, socket, out) -> FakeS3.send(out, 200, "", token(p).isEmpty()
                ? page(List.of("clips/a.wav"), true, "t1") : page(List.of("clips/a.wav"), false, null)));
        list("hostile keys (.., 1100 bytes, line break)", "ok 3 keys", (m, p, socket, out) -> FakeS3.send(out, 200, "",
                page(List.of("clips/../../etc/passwd", "clips/" + "x".repeat(1100), "clips/a&#13;&#10;b.wav"), false, null)));
        list("malformed XML", "UNAVAILABLE", (m, p, socket, out) -> FakeS3.send(out, 200, "",
                "<ListBucketResult><Contents><Key>clips/a".getBytes(StandardCharsets.UTF_8)));
        list("500 on the second page", "UNAVAILABLE", (m, p, socket, out) -> {
            if (token(p).isEmpty()) FakeS3.send(out, 200, "", page(List.of("clips/a.wav"), true, "t1"));
            else FakeS3.error(out, 500, "InternalError", false);
        });
        list("reset on the second page", "UNAVAILABLE", (m, p, socket, out) -> {
            if (token(p).isEmpty()) FakeS3.send(out, 200, "", page(List.of("clips/a.wav"), true, "t1"));
            else reset(socket);
        });
        String laughs = "<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\">"
                + "<!ENTITY l1 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">"
                + "<!ENTITY l2 \"&l1;&l1;&l1;&l1;&l1;&l1;&l1;&l1;&l1;&l1;\"><!ENTITY l3 \"&l2;&l2;&l2;&l2;&l2;&l2;&l2;&l2;&l2;&l2;\">"
                + "<!ENTITY l4 \"&l3;&l3;&l3;&l3;&l3;&l3;&l3;&l3;&l3;&l3;\"><!ENTITY l5 \"&l4;&l4;&l4;&l4;&l4;&l4;&l4;&l4;&l4;&l4;\">"
                + "<!ENTITY l6 \"&l5;&l5;&l5;&l5;&l5;&l5;&l5;&l5;&l5;&l5;\"><!ENTITY l7 \"&l6;&l6;&l6;&l6;&l6;&l6;&l6;&l6;&l6;&l6;\">"
                + "<!ENTITY l8 \"&l7;&l7;&l7;&l7;&l7;&l7;&l7;&l7;&l7;&l7;\"><!ENTITY l9 \"&l8;&l8;&l8;&l8;&l8;&l8;&l8;&l8;&l8;&l8;\">]>"
                + "<ListBucketResult><IsTruncated>false</IsTruncated><Contents><Key>&l9;</Key></Contents></ListBucketResult>";
        Runtime rt = Runtime.getRuntime();
        long before = rt.totalMemory() - rt.freeMemory();
        list("entity expansion (billion laughs)", "UNAVAILABLE", (m, p, socket, out) ->
                FakeS3.send(out, 200, "", laughs.getBytes(StandardCharsets.UTF_8)));
        long grew = rt.totalMemory() - rt.freeMemory() - before;
        System.out.printf("grid LIST: billion laughs grew the heap by %d MB%n", grew >> 20);
        list("an external entity", "UNAVAILABLE", (m, p, socket, out) -> FakeS3.send(out, 200, "",
                ("<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]>"
                        + "<ListBucketResult><IsTruncated>false</IsTruncated><Contents><Key>&e;</Key></Contents></ListBucketResult>")
                        .getBytes(StandardCharsets.UTF_8)));
        report("LIST");
    }

    /**
     * A key holding a control character cannot be written in XML 1.0: S3 sends it as a character reference the
     * parser refuses unless the listing asks for URL-encoded keys, and every listing of its prefix failed. The keys
     * must come back exactly as stored, '%' and '+' included. The fake answers as S3 does, encoding keys only when
     * asked and then as S3 does (spaces as '+').
     */
    @Test
    void aListingOfKeysWithControlCharactersListsThemExactly() throws IOException {
        List<String> stored = List.of("clips/a\u0001b.wav", "clips/tab\tand\u007f.wav", "clips/50% off+plus sign.wav",
                "clips/\u00e9t\u00e9 \ud83c\udfb5.wav");
        S3ObjectStorage encoding = s3((m, p, socket, out) -> {
            boolean url = p.contains("encoding-type=url");
            String xml = new String(page(stored.stream().map(k -> url
                    ? java.net.URLEncoder.encode(k, StandardCharsets.UTF_8).replace("%2F", "/")
                    : k.chars().mapToObj(c -> c < 0x20 || c == 0x7f || c == '&' || c == '<' ? "&#x" + Integer.toHexString(c) + ";"
                    : String.valueOf((char) c)).reduce("", String::concat)).toList(), false, null), StandardCharsets.UTF_8);
            // S3 says how it wrote the keys, and only then are they to be decoded
            FakeS3.send(out, 200, "", (url ? xml.replace("<MaxKeys>", "<EncodingType>url</EncodingType><MaxKeys>") : xml)
                    .getBytes(StandardCharsets.UTF_8));
        });
        List<String> keys = assertTimeoutPreemptively(BOUND, () -> encoding.list("media", "clips/")).stream().map(ObjectRef::key).toList();
        assertEquals(stored, keys);

        // A look-alike that does not know the parameter answers the keys as they are, and they are taken as they are
        List<String> plain = List.of("clips/50% off+plus sign.wav", "clips/a%2Fb.wav");
        S3ObjectStorage ignoring = s3((m, p, socket, out) -> FakeS3.send(out, 200, "", page(plain, false, null)));
        assertEquals(plain, ignoring.list("media", "clips/").stream().map(ObjectRef::key).toList());
    }

    /**
     * A store whose listing pages do not lead to an end: the SDK's paginator followed a token the store handed out
     * again for ever (holding every page's keys), and took a page marked truncated without a token for the last one,
     * so the batch silently missed the rest. Each is the store's fault, and the same listing repeats it: permanent.
     */
    @Test
    void aListingWhosePagesDoNotLeadToAnEndFailsForGood() throws IOException {
        AtomicInteger served = new AtomicInteger();
        list("the same continuation token forever", "FAILED", (m, p, socket, out) -> {
            served.incrementAndGet();
            FakeS3.send(out, 200, "", page(List.of("clips/a.wav"), true, "t1"));
        });
        assertEquals(2, served.get(), "the token is refused the first time it comes back");
        served.set(0);
        list("tokens that cycle", "FAILED", (m, p, socket, out) -> {
            served.incrementAndGet();
            FakeS3.send(out, 200, "", page(List.of("clips/a.wav"), true, token(p).equals("t1") ? "t2" : "t1"));
        });
        assertEquals(3, served.get());
        served.set(0);
        list("empty pages truncated forever, each with a new token", "FAILED", (m, p, socket, out) ->
                FakeS3.send(out, 200, "", page(List.of(), true, "t" + served.incrementAndGet())));
        assertEquals(S3ObjectStorage.MAX_EMPTY_PAGES, served.get());
        list("truncated without a token", "FAILED", (m, p, socket, out) ->
                FakeS3.send(out, 200, "", page(List.of("clips/a.wav"), true, null)));
        served.set(0);
        list("a few empty pages, then keys", "ok 1 keys", (m, p, socket, out) -> {
            int n = served.incrementAndGet();
            FakeS3.send(out, 200, "", n < 5 ? page(List.of(), true, "t" + n) : page(List.of("clips/a.wav"), false, null));
        });
        report("LIST");
    }

    /** 200,000 keys in pages of 1,000: the listing's time and the heap it holds. */
    @Test
    void aListingOfManyKeysIsBoundedInTimeAndMemory() throws IOException {
        int pages = 200;
        AtomicInteger served = new AtomicInteger();
        S3ObjectStorage s3 = s3((m, p, socket, out) -> {
            String t = token(p);
            int n = t.isEmpty() ? 0 : Integer.parseInt(t);
            List<String> keys = new ArrayList<>(1000);
            for (int i = 0; i < 1000; i++) keys.add(String.format("clips/%03d/take-%04d.wav", n, i));
            served.incrementAndGet();
            FakeS3.send(out, 200, "", page(keys, n + 1 < pages, n + 1 < pages ? String.valueOf(n + 1) : null));
        });
        System.gc();
        Runtime rt = Runtime.getRuntime();
        long before = rt.totalMemory() - rt.freeMemory();
        long t0 = System.nanoTime();
        List<int[]> progress = new java.util.concurrent.CopyOnWriteArrayList<>();
        List<ObjectRef> listed = assertTimeoutPreemptively(Duration.ofSeconds(60), () -> s3.list("media", "clips/",
                (pagesSoFar, keysSoFar) -> progress.add(new int[]{pagesSoFar, keysSoFar})));
        long ms = (System.nanoTime() - t0) / 1_000_000;
        System.gc();
        long held = rt.totalMemory() - rt.freeMemory() - before;
        System.out.printf("grid LIST: 200,000 keys in %d pages: %d ms, %d MB held%n", served.get(), ms, held >> 20);
        assertEquals(pages * 1000, listed.size());
        assertEquals(pages, served.get(), "one request per page");
        // A long listing says how far it got, page by page, before the batch starts
        assertEquals(pages, progress.size());
        assertEquals(List.of(1, 1000), List.of(progress.get(0)[0], progress.get(0)[1]));
        assertEquals(List.of(pages, pages * 1000), List.of(progress.get(pages - 1)[0], progress.get(pages - 1)[1]));
        assertTrue(held < 200L << 20, "the listing holds " + (held >> 20) + " MB");
    }
}
