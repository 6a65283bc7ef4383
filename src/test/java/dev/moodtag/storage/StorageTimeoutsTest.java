package dev.moodtag.storage;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 16: a frozen S3 endpoint (accepts connections, never answers) held requests and readiness for 120 s. Every
 * S3 call is now bounded by the configured timeouts, and readiness answers within its own timeout from a cached,
 * single-flight check.
 */
class StorageTimeoutsTest {

    /** Far below what the SDK's defaults take on a frozen endpoint (30 s socket timeout per attempt, three attempts). */
    private static final Duration BOUND = Duration.ofSeconds(20);

    @TempDir
    Path tmp;

    private ServerSocket frozen;
    private final List<Socket> held = new CopyOnWriteArrayList<>();
    private S3Client client;

    @BeforeEach
    void freeze() throws IOException {
        frozen = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(() -> {
            try {
                while (true) held.add(frozen.accept()); // and never a byte back
            } catch (IOException closed) {
                // test over
            }
        }, "frozen-s3");
        acceptor.setDaemon(true);
        acceptor.start();
        client = S3Client.builder().endpointOverride(URI.create("http://127.0.0.1:" + frozen.getLocalPort()))
                .region(Region.US_EAST_1).forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("k", "s")))
                .httpClientBuilder(UrlConnectionHttpClient.builder()).build();
    }

    @AfterEach
    void thaw() throws IOException {
        client.close();
        frozen.close();
        for (Socket s : held) s.close();
    }

    private S3ObjectStorage s3(Duration call, Duration attempt) {
        return new S3ObjectStorage(List.of("media"), Optional.empty(), () -> client, call, attempt);
    }

    @Test
    void everyS3CallOnAFrozenEndpointFailsRetryablyWithinTheConfiguredTimeout() {
        S3ObjectStorage s3 = s3(Duration.ofSeconds(2), Duration.ofMillis(600));
        ObjectRef ref = ObjectRef.s3("media", "clips/a.wav");
        Map<String, Executable> calls = Map.of(
                "stat", () -> s3.stat(ref),
                "read", () -> s3.copyTo(ref, tmp.resolve("copy"), 1 << 20),
                "write", () -> s3.writeAtomically(ref.withKey("clips/a.wav.emotion.json"), new byte[10], "application/json"),
                "list", () -> s3.list("media", "clips/"),
                "reach", s3::checkReachable);
        calls.forEach((what, call) -> {
            StorageException e = assertTimeoutPreemptively(BOUND, () -> assertThrows(StorageException.class, call), what);
            assertEquals(StorageException.Kind.UNAVAILABLE, e.kind(), what + ": " + e.getMessage());
        });
        assertFalse(held.isEmpty(), "the calls did reach the frozen endpoint");
    }

    @Test
    void readinessOnAFrozenEndpointAnswersWithinItsTimeoutAndAsksOneAtATime() {
        AtomicInteger asked = new AtomicInteger();
        ObjectStorage counted = counting(s3(Duration.ofSeconds(60), Duration.ofSeconds(60)), asked);
        StorageReachability readiness = new StorageReachability(Duration.ofSeconds(1), Duration.ofSeconds(10), System::nanoTime);
        for (int probe = 0; probe < 3; probe++) {
            StorageReachability.Answer a = assertTimeoutPreemptively(BOUND, () -> readiness.check(counted));
            assertFalse(a.reachable());
            assertTrue(a.detail().contains("no answer within 1000 ms"), a.detail());
        }
        assertEquals(1, asked.get(), "probes while a check is in flight wait for it instead of piling up calls");
    }

    /**
     * The answer's time is taken when the store answered, before the caller sees it: it used to be recorded by a
     * callback that could run after the caller had moved on (and after the clock had), so the TTL ran from too late.
     */
    @Test
    void theAnswerIsRecordedBeforeTheCallerSeesIt() {
        for (int round = 0; round < 300; round++) {
            AtomicInteger asked = new AtomicInteger();
            ObjectStorage store = counting(new LocalObjectStorage(List.of(tmp), true), asked);
            AtomicLong now = new AtomicLong();
            StorageReachability readiness = new StorageReachability(Duration.ofSeconds(5), Duration.ofSeconds(10), now::get);
            assertTrue(readiness.check(store).reachable());
            now.addAndGet(Duration.ofSeconds(11).toNanos());
            readiness.check(store);
            assertEquals(2, asked.get(), "round " + round + ": an answer older than the TTL is asked again");
        }
    }

    @Test
    void anAnswerIsReusedForTheCacheTtlThenAskedAgain() throws IOException {
        Path root = Files.createDirectories(tmp.resolve("root"));
        AtomicInteger asked = new AtomicInteger();
        ObjectStorage store = counting(new LocalObjectStorage(List.of(root), true), asked);
        AtomicLong now = new AtomicLong();
        StorageReachability readiness = new StorageReachability(Duration.ofSeconds(5), Duration.ofSeconds(10), now::get);

        assertTrue(readiness.check(store).reachable());
        assertEquals(1, asked.get());
        now.addAndGet(Duration.ofSeconds(9).toNanos());
        Files.delete(root);
        assertTrue(readiness.check(store).reachable(), "within the TTL the cached answer stands");
        assertEquals(1, asked.get(), "a probe within the TTL makes no call");
        now.addAndGet(Duration.ofSeconds(2).toNanos());
        StorageReachability.Answer gone = readiness.check(store);
        assertEquals(2, asked.get());
        assertFalse(gone.reachable());
        assertTrue(gone.detail().contains(root.toString()), gone.detail());
    }

    /**
     * A reachability timeout or cache TTL longer than a long counts in nanoseconds ("as long as it takes"; "for good")
     * threw ArithmeticException: the TTL at start-up, with a message naming no key, the timeout in every readiness
     * probe. Each is now the longest wait there is.
     */
    @Test
    void aTimeoutOrCacheTtlTooLongForALongIsTheLongestThereIs() throws IOException {
        Path root = Files.createDirectories(tmp.resolve("root"));
        AtomicInteger asked = new AtomicInteger();
        ObjectStorage store = counting(new LocalObjectStorage(List.of(root), true), asked);
        Duration longest = Duration.ofSeconds(Long.MAX_VALUE, 999_999_999);
        for (Duration[] t : new Duration[][]{{longest, longest}, {Duration.ofHours(2562048), Duration.ofHours(2562048)},
                {Duration.ofSeconds(5), longest}, {longest, Duration.ofSeconds(10)}}) {
            asked.set(0);
            AtomicLong now = new AtomicLong();
            StorageReachability readiness = new StorageReachability(t[0], t[1], now::get);
            assertTrue(readiness.check(store).reachable(), t[0] + ", " + t[1]);
            now.addAndGet(Duration.ofSeconds(9).toNanos());
            assertTrue(readiness.check(store).reachable(), t[0] + ", " + t[1]);
            assertEquals(1, asked.get(), "within the TTL the answer is reused: " + t[0] + ", " + t[1]);
        }
    }

    /**
     * A reachability timeout that is not positive and a negative cache TTL are refused at start naming the key, where
     * each was accepted: a timeout of PT0S or below answered every probe "no answer within 0 ms" before the store could
     * answer, so with probes as far apart as the TTL (the kubelet's 10 s against the default PT10S) the function was
     * never ready however reachable its store; a negative TTL silently meant PT0S. Probes here come 10 s apart to a
     * real store that answers in 50 ms.
     */
    @Test
    void aReachabilityTimeoutThatIsNotPositiveOrANegativeTtlIsRefusedAtStartNamingTheKey() throws IOException {
        Path root = Files.createDirectories(tmp.resolve("root"));
        ObjectStorage slowish = counting(new LocalObjectStorage(List.of(root), true), new AtomicInteger(), 50);
        Duration lowest = Duration.ofSeconds(Long.MIN_VALUE);
        List<String> accepted = new CopyOnWriteArrayList<>();
        for (Duration timeout : List.of(Duration.ZERO, Duration.ofMillis(-1), Duration.ofSeconds(-2), lowest)) {
            for (Duration ttl : List.of(Duration.ZERO, Duration.ofSeconds(10))) {
                AtomicLong now = new AtomicLong();
                try {
                    StorageReachability readiness = new StorageReachability(timeout, ttl, now::get);
                    int ready = 0;
                    for (int probe = 0; probe < 5; probe++, now.addAndGet(Duration.ofSeconds(10).toNanos()))
                        if (readiness.check(slowish).reachable()) ready++;
                    accepted.add("timeout " + timeout + ", ttl " + ttl + ": ready at " + ready + " of 5 probes");
                } catch (dev.moodtag.support.SettingOutOfRange e) {
                    assertTrue(e.getMessage().contains("moodtag.storage.reachability.timeout must be positive"), e.getMessage());
                }
            }
        }
        for (Duration ttl : List.of(Duration.ofNanos(-1), Duration.ofSeconds(-10), lowest)) {
            try {
                new StorageReachability(Duration.ofSeconds(2), ttl, System::nanoTime);
                accepted.add("ttl " + ttl);
            } catch (dev.moodtag.support.SettingOutOfRange e) {
                assertTrue(e.getMessage().contains("moodtag.storage.reachability.cache-ttl must not be negative"), e.getMessage());
            }
        }
        assertEquals(List.of(), accepted, "settings out of range accepted at start");
        StorageConfig config = dev.moodtag.testing.Settings.mapped(StorageConfig.class,
                "moodtag.storage.reachability.timeout", "PT0S", "moodtag.storage.reachability.cache-ttl", "-PT1S");
        IllegalArgumentException both = assertThrows(dev.moodtag.support.SettingOutOfRange.class,
                () -> StorageReachability.checkSettings(config));
        assertTrue(both.getMessage().contains("timeout") && both.getMessage().contains("cache-ttl"), both.getMessage());
    }

    /** The ends of the ranges still answer: the shortest positive timeout and a TTL of PT0S (ask at every probe). */
    @Test
    void theShortestTimeoutAndNoCacheAreAccepted() throws IOException {
        Path root = Files.createDirectories(tmp.resolve("root"));
        LocalObjectStorage real = new LocalObjectStorage(List.of(root), true);
        // The 1 ns check gives up before its probe may have begun, which then asks later: it counts apart (one shared
        // count read 3 under CI's load, where this expected the three probes below plus that one)
        StorageReachability readiness = new StorageReachability(Duration.ofNanos(1), Duration.ZERO, System::nanoTime);
        readiness.check(counting(real, new AtomicInteger()));
        AtomicInteger asked = new AtomicInteger();
        ObjectStorage store = counting(real, asked);
        StorageReachability noCache = new StorageReachability(Duration.ofSeconds(5), Duration.ZERO, System::nanoTime);
        for (int probe = 0; probe < 3; probe++) assertTrue(noCache.check(store).reachable());
        assertEquals(3, asked.get(), "with a TTL of PT0S every probe asks");
    }

    /** A real store whose reachability checks are counted. */
    private static ObjectStorage counting(ObjectStorage real, AtomicInteger asked) {
        return counting(real, asked, 0);
    }

    /** As {@link #counting(ObjectStorage, AtomicInteger)}, each check taking at least {@code answerMs}. */
    private static ObjectStorage counting(ObjectStorage real, AtomicInteger asked, long answerMs) {
        return new ObjectStorage() {
            public ObjectRef.Scheme scheme() {
                return real.scheme();
            }

            public boolean configured() {
                return real.configured();
            }

            public ObjectRef confine(ObjectRef ref) {
                return real.confine(ref);
            }

            public Optional<ObjectInfo> stat(ObjectRef ref) {
                return real.stat(ref);
            }

            public <T> T read(ObjectRef ref, ContentReader<T> reader) {
                return real.read(ref, reader);
            }

            public void writeAtomically(ObjectRef ref, byte[] content, String contentType) {
                real.writeAtomically(ref, content, contentType);
            }

            public void checkReachable() {
                asked.incrementAndGet();
                try {
                    Thread.sleep(answerMs);
                } catch (InterruptedException stop) {
                    Thread.currentThread().interrupt();
                }
                real.checkReachable();
            }
        };
    }

    /**
     * A timeout that is not positive is refused when the store is built, naming the key: the SDK refused it on every
     * call, and each event was answered as a storage failure retrying cannot fix (found by a review).
     */
    @Test
    void aTimeoutThatIsNotPositiveIsRefusedAtStart() {
        for (Duration[] t : new Duration[][]{{Duration.ZERO, Duration.ofSeconds(1)}, {Duration.ofSeconds(1), Duration.ofMillis(-1)}}) {
            IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(dev.moodtag.support.SettingOutOfRange.class,
                    () -> s3(t[0], t[1]));
            org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains(t[0].isZero()
                    ? "moodtag.storage.s3.call-timeout" : "moodtag.storage.s3.attempt-timeout"), e.getMessage());
        }
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(dev.moodtag.support.SettingOutOfRange.class,
                () -> new S3ObjectStorage(List.of("media"), Optional.empty(), () -> null, Duration.ofSeconds(1),
                        Duration.ofSeconds(1), Duration.ZERO));
        org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("moodtag.storage.s3.read-timeout must be positive"), e.getMessage());
    }
}
