package dev.moodtag.storage;

import dev.moodtag.function.S3MockResource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An object replaced by a shorter one between its stat and its read, on the real S3 server: the read names no range
 * (so no 416 Range Not Satisfiable can come of it, which the fault grid answers as permanent), only the stat's ETag in
 * If-Match, and the change comes back as 412, retryable with nothing read, as every "replaced since its stat" is.
 */
class S3ReplacedShorterTest {

    private static S3MockResource server;
    private static S3Client client;
    private static final List<String> SENT = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void start() {
        server = new S3MockResource();
        Map<String, String> config = server.start();
        client = S3Client.builder().endpointOverride(URI.create(config.get("quarkus.s3.endpoint-override")))
                .region(Region.US_EAST_1).forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("k", "s")))
                .httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(o -> o.addExecutionInterceptor(new ExecutionInterceptor() {
                    @Override
                    public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
                        var r = context.httpRequest();
                        SENT.add(r.method() + " range=" + r.firstMatchingHeader("Range").orElse("none")
                                + " if-match=" + r.firstMatchingHeader("If-Match").isPresent());
                    }
                })).build();
    }

    @AfterAll
    static void stop() {
        if (client != null) client.close();
        if (server != null) server.stop();
    }

    @Test
    void aShorterObjectPutBetweenStatAndReadIsRetryableAndNoRangeIsAsked() {
        S3ObjectStorage store = new S3ObjectStorage(List.of(S3MockResource.BUCKET), Optional.empty(), () -> client);
        for (int shorter : new int[]{0, 1, 999}) {
            ObjectRef ref = ObjectRef.s3(S3MockResource.BUCKET, "race/" + shorter + ".wav");
            client.putObject(b -> b.bucket(ref.container()).key(ref.key()), RequestBody.fromBytes(new byte[1000]));
            ObjectInfo stat = store.stat(ref).orElseThrow();
            client.putObject(b -> b.bucket(ref.container()).key(ref.key()), RequestBody.fromBytes(new byte[shorter]));
            SENT.clear();
            StorageException e = assertThrows(StorageException.class, () -> store.read(stat, (in, n) -> in.readAllBytes().length));
            assertTrue(e.kind().isTransient() && e.getMessage().contains("replaced since its stat"), e.kind() + ": " + e.getMessage());
            assertEquals("GET range=none if-match=true", SENT.get(0), SENT.toString());
            assertTrue(SENT.stream().noneMatch(s -> !s.contains("range=none")), SENT.toString());
        }
    }
}
