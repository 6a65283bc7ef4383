package dev.moodtag.function;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A real S3-compatible server for the function's tests: Adobe S3Mock's executable jar (copied to
 * {@code target/s3mock} by the build, or taken from the local Maven repository) started as a child process on a
 * free loopback port, with the buckets the tests use. No Docker.
 */
public class S3MockResource implements QuarkusTestResourceLifecycleManager {

    public static final String BUCKET = "media", OTHER_BUCKET = "not-configured";

    private Process process;
    private Path root;

    @Override
    public Map<String, String> start() {
        try {
            int http = freePort(), https = freePort();
            root = Files.createTempDirectory("s3mock-");
            Path log = root.resolveSibling(root.getFileName() + ".log");
            List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx256m", "-XX:TieredStopAtLevel=1", "-jar", jar().toString(),
                    "--server.address=127.0.0.1", "--server.port=" + https, "--http.port=" + http,
                    "--com.adobe.testing.s3mock.store.root=" + root,
                    "--com.adobe.testing.s3mock.store.initial-buckets=" + BUCKET + "," + OTHER_BUCKET,
                    // Videos are larger than S3Mock's default 10 MB request limit.
                    "--com.adobe.testing.s3mock.max-payload-size=256MB",
                    "--logging.level.root=WARN"));
            process = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            URI endpoint = URI.create("http://127.0.0.1:" + http);
            waitUntilUp(endpoint, log);
            return Map.of(
                    "quarkus.s3.endpoint-override", endpoint.toString(),
                    "quarkus.s3.path-style-access", "true",
                    "quarkus.s3.aws.region", "us-east-1",
                    "quarkus.s3.aws.credentials.type", "static",
                    "quarkus.s3.aws.credentials.static-provider.access-key-id", "test-key",
                    "quarkus.s3.aws.credentials.static-provider.secret-access-key", "test-secret",
                    "moodtag.storage.s3.buckets", BUCKET);
        } catch (IOException e) {
            throw new IllegalStateException("cannot start S3Mock", e);
        }
    }

    private static Path jar() {
        Path copied = Path.of(System.getProperty("s3mock.jar", "target/s3mock/s3mock-exec.jar"));
        if (Files.isRegularFile(copied)) return copied;
        Path local = Path.of(System.getProperty("user.home"), ".m2", "repository", "com", "adobe", "testing", "s3mock",
                "5.2.0", "s3mock-5.2.0-exec.jar");
        if (Files.isRegularFile(local)) return local;
        throw new IllegalStateException("S3Mock jar not found at " + copied.toAbsolutePath() + " or " + local
                + "; run the tests through Maven (maven-dependency-plugin copies it)");
    }

    private void waitUntilUp(URI endpoint, Path log) throws IOException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(90));
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive())
                throw new IllegalStateException("S3Mock exited with " + process.exitValue() + ":\n" + Files.readString(log));
            try {
                HttpURLConnection c = (HttpURLConnection) endpoint.toURL().openConnection();
                c.setConnectTimeout(500);
                c.setReadTimeout(2000);
                if (c.getResponseCode() == 200) return;
            } catch (IOException notYet) {
                // starting
            }
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted waiting for S3Mock", e);
            }
        }
        throw new IllegalStateException("S3Mock did not start in 90 s:\n" + Files.readString(log));
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Override
    public void stop() {
        if (process != null) {
            process.destroy();
            try {
                if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) process.destroyForcibly();
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
        if (root != null) FileTrees.deleteQuietly(root);
    }
}
