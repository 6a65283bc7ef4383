package dev.moodtag.tagging;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.moodtag.function.S3MockResource;
import dev.moodtag.storage.ObjectInfo;
import dev.moodtag.storage.ObjectRef;
import dev.moodtag.storage.S3ObjectStorage;
import dev.moodtag.support.Sha256;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.SdkHttpResponse;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

import java.net.URI;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * An S3-compatible store that sends no ETag, on the real S3 server with the header taken out of every answer (an SDK
 * interceptor, so the server behind is S3Mock as it is): an object replaced by another of the same size within the
 * second its Last-Modified names has the same size and time, and its result from the version before was kept as
 * current (skip-if-done, status). Now the time proves the version only where the result recorded the store's clock
 * ({@code source.checkedAt}) past that second; elsewhere the bytes decide against {@code source.sha256}.
 */
class S3NoETagSameSecondTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static S3MockResource server;
    /** Writes (with ETags, as a put answers anyway), and the control row: a store that sends ETags. */
    private static S3Client withETags;
    private static S3Client noETag;
    private static S3Client noETagNoTime;
    /** The GETs of media the stores under test sent: a hash reads the object once. */
    private static final List<String> GETS = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void start() {
        server = new S3MockResource();
        Map<String, String> config = server.start();
        URI endpoint = URI.create(config.get("quarkus.s3.endpoint-override"));
        withETags = client(endpoint, List.of());
        noETag = client(endpoint, List.of("ETag"));
        noETagNoTime = client(endpoint, List.of("ETag", "Last-Modified"));
    }

    /** A client whose answers lose {@code stripped} before the SDK reads them, as a store that never sent them. */
    private static S3Client client(URI endpoint, List<String> stripped) {
        return S3Client.builder().endpointOverride(endpoint).region(Region.US_EAST_1).forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("k", "s")))
                .httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(o -> o.addExecutionInterceptor(new ExecutionInterceptor() {
                    @Override
                    public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
                        var r = context.httpRequest();
                        if (r.method().name().equals("GET") && !r.encodedPath().endsWith(".emotion.json"))
                            GETS.add(r.encodedPath());
                    }

                    @Override
                    public SdkHttpResponse modifyHttpResponse(Context.ModifyHttpResponse context, ExecutionAttributes attributes) {
                        SdkHttpResponse.Builder b = context.httpResponse().toBuilder();
                        stripped.forEach(b::removeHeader);
                        return b.build();
                    }
                })).build();
    }

    @AfterAll
    static void stop() {
        for (S3Client c : new S3Client[]{withETags, noETag, noETagNoTime}) if (c != null) c.close();
        if (server != null) server.stop();
    }

    private static S3ObjectStorage store(S3Client client) {
        return new S3ObjectStorage(List.of(S3MockResource.BUCKET), Optional.empty(), () -> client);
    }

    private static void put(ObjectRef ref, byte[] bytes) {
        withETags.putObject(b -> b.bucket(ref.container()).key(ref.key()), RequestBody.fromBytes(bytes));
    }

    private static void untilNextSecond() throws InterruptedException {
        Instant now = Instant.now();
        Thread.sleep(Math.max(0, now.truncatedTo(ChronoUnit.SECONDS).plusSeconds(1).toEpochMilli() - now.toEpochMilli()) + 30);
    }

    /**
     * {@code first} put and looked at, then {@code second} put over it within the same second: the stats of both, and
     * a stat of the second made once that second is over. Tried again from the next second where the server's clock
     * turned between the two.
     */
    private static ObjectInfo[] putTwiceInOneSecond(S3ObjectStorage store, ObjectRef ref, byte[] first, byte[] second)
            throws InterruptedException {
        for (int attempt = 0; attempt < 5; attempt++) {
            untilNextSecond();
            put(ref, first);
            ObjectInfo before = store.stat(ref).orElseThrow();
            put(ref, second);
            ObjectInfo after = store.stat(ref).orElseThrow();
            if (!before.lastModified().equals(after.lastModified())) continue;
            untilNextSecond();
            untilNextSecond();
            return new ObjectInfo[]{before, after, store.stat(ref).orElseThrow()};
        }
        return fail("S3Mock's clock turned between two puts 5 times in a row");
    }

    /** The source a result records of {@code seen} and {@code bytes}, as the tagger writes it, with {@code checkedAt}. */
    private static ObjectNode source(ObjectInfo seen, byte[] bytes, String checkedAt) {
        ObjectNode src = JSON.createObjectNode().put("uri", seen.ref().uri()).put("size", bytes.length)
                .put("etag", seen.etag().orElse(null)).put("sha256", Sha256.of(bytes))
                .put("lastModified", seen.lastModified().map(Instant::toString).orElse(null));
        if (checkedAt != null) src.put("checkedAt", checkedAt);
        return src;
    }

    /**
     * The grid: 3 stores (ETag; no ETag; no ETag and no Last-Modified) x the object replaced within the second by the
     * same bytes or by other bytes of the same size x the store's time the result recorded (none, unreadable, as the
     * stat before the replacement answered, within that second, the next second, a stat made a second later, a minute
     * on). Same source: by the ETag where there is one; else by the time where the recorded check is past the
     * Last-Modified's second (nothing read), else by the bytes (one read).
     */
    @Test
    void aSameSizeReplacementWithinTheSecondIsToldApartByItsBytes() throws Exception {
        Map<String, S3Client> stores = new LinkedHashMap<>();
        stores.put("ETag", withETags);
        stores.put("no ETag", noETag);
        stores.put("no ETag, no Last-Modified", noETagNoTime);
        List<String> wrong = new ArrayList<>();
        int cells = 0, k = 0;
        for (Map.Entry<String, S3Client> s : stores.entrySet()) {
            S3ObjectStorage store = store(s.getValue());
            for (boolean sameBytes : new boolean[]{true, false}) {
                ObjectRef ref = ObjectRef.s3(S3MockResource.BUCKET, "same-second/" + k++ + ".wav");
                byte[] first = new byte[4096];
                new Random(k).nextBytes(first);
                byte[] second = first.clone();
                if (!sameBytes) second[2000] ^= 1;
                ObjectInfo[] stats = putTwiceInOneSecond(store(withETags), ref, first, second);
                // The stores under test look at the object as their clients see it
                ObjectInfo before = store.stat(ref).orElseThrow();
                ObjectInfo now = before;
                Instant modified = stats[1].lastModified().orElseThrow();
                Instant second0 = modified.truncatedTo(ChronoUnit.SECONDS);
                Map<String, String> checks = new LinkedHashMap<>();
                checks.put("none recorded", null);
                checks.put("unreadable", "yesterday");
                checks.put("the first version's stat", stats[0].checkedAt().map(Instant::toString).orElse(null));
                checks.put("within the second", second0.plusMillis(999).toString());
                checks.put("the next second", second0.plusSeconds(1).toString());
                checks.put("a stat a second later", stats[2].checkedAt().map(Instant::toString).orElse(null));
                checks.put("a minute on", second0.plusSeconds(60).toString());
                for (Map.Entry<String, String> c : checks.entrySet()) {
                    cells++;
                    // The result was made of the first version, as its stat before the replacement saw it
                    ObjectInfo recordedStat = s.getKey().equals("ETag") ? stats[0] : new ObjectInfo(stats[0].ref(),
                            stats[0].size(), Optional.empty(), now.lastModified(), Optional.empty());
                    ObjectNode src = source(recordedStat, first, c.getValue());
                    boolean etag = now.etag().isPresent();
                    Instant recorded = null;
                    try {
                        recorded = c.getValue() == null ? null : Instant.parse(c.getValue());
                    } catch (java.time.format.DateTimeParseException unreadable) {
                        // vouches for nothing
                    }
                    boolean byTime = !etag && now.lastModified().isPresent() && recorded != null
                            && !recorded.isBefore(second0.plusSeconds(1));
                    boolean expected = etag || byTime ? (etag ? sameBytes : true) : sameBytes;
                    int expectedReads = etag || byTime ? 0 : 1;
                    GETS.clear();
                    boolean judged = ResultLocator.sameSource(store, src, now);
                    String cell = s.getKey() + ", " + (sameBytes ? "same bytes" : "other bytes") + ", checked " + c.getKey()
                            + " (" + c.getValue() + ", modified " + modified + ")";
                    if (judged != expected) wrong.add(cell + ": " + (judged ? "same source" : "another source"));
                    else if (GETS.size() != expectedReads) wrong.add(cell + ": " + GETS.size() + " read(s), not " + expectedReads);
                }
                assertTrue(s.getKey().equals("ETag") || before.checkedAt().isPresent(), "S3Mock sends its Date: " + before);
            }
        }
        assertEquals(List.of(), wrong, wrong.size() + " of " + cells + " cells wrong");
    }

    /**
     * A result whose bytes had to decide (its check within the Last-Modified's second) gets the store's time of a stat
     * past that second, and names schema 2.8: the next run reads nothing. A stat still within the second records nothing.
     */
    @Test
    void aVersionProvedByItsBytesIsRecordedWithTheStoresTimeSoTheNextRunReadsNothing() throws Exception {
        S3ObjectStorage store = store(noETag);
        ObjectRef ref = ObjectRef.s3(S3MockResource.BUCKET, "same-second/recorded.wav");
        byte[] bytes = new byte[2048];
        new Random(7).nextBytes(bytes);
        ObjectInfo[] stats = putTwiceInOneSecond(store, ref, bytes, bytes);
        ResultLocator locator = new ResultLocator(new ObjectFilterTest.Config(new ObjectFilterTest.Result(Optional.empty(),
                ".emotion.json"), new ObjectFilterTest.Filter(Optional.empty(), Optional.empty(), Optional.empty(), 1)), null);
        ObjectRef resultRef = locator.resultFor(ref);
        ResultWriter writer = new ResultWriter(new FunctionMetrics(new SimpleMeterRegistry()));
        Function<String, ObjectNode> result = checkedAt -> {
            ObjectNode doc = JSON.createObjectNode().put("schema", EmotionResult.SCHEMA).put("version", 2)
                    .put("status", "labelled").put("label", "happy");
            doc.set("source", source(stats[0], bytes, checkedAt));
            doc.putObject("pack").put("id", "p").put("version", "1");
            doc.putObject("classifier").put("description", "c");
            return doc;
        };

        // Within the second: proved by the bytes, nothing recorded (the next run hashes again)
        ObjectNode within = result.apply(stats[0].lastModified().orElseThrow().truncatedTo(ChronoUnit.SECONDS).toString());
        writer.write(store, resultRef, within);
        assertTrue(ResultLocator.sameSource(store, within.path("source"), stats[0]));
        locator.recordFileVersion(store, resultRef, within, stats[0], writer);
        assertEquals(within, JSON.readTree(noETag.getObjectAsBytes(b -> b.bucket(ref.container()).key(resultRef.key())).asByteArray()));

        // Past it: recorded, schema 2.8, and then the time proves the version with nothing read
        ObjectInfo later = stats[2];
        GETS.clear();
        assertTrue(ResultLocator.sameSource(store, within.path("source"), later));
        assertEquals(1, GETS.size(), "the bytes decided: " + GETS);
        locator.recordFileVersion(store, resultRef, within, later, writer);
        JsonNode rewritten = JSON.readTree(noETag.getObjectAsBytes(b -> b.bucket(ref.container()).key(resultRef.key())).asByteArray());
        ObjectNode expected = within.deepCopy().put("schema", EmotionResult.SCHEMA_CHECKED_AT);
        ((ObjectNode) expected.path("source")).put("checkedAt", later.checkedAt().orElseThrow().toString());
        assertEquals(expected, rewritten);
        GETS.clear();
        assertTrue(ResultLocator.sameSource(store, rewritten.path("source"), store.stat(ref).orElseThrow()));
        assertEquals(List.of(), GETS, "the recorded check proves the version: nothing read");
    }
}
