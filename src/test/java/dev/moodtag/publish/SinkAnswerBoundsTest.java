package dev.moodtag.publish;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What a sink's answer may cost the publisher: its body comes from outside, of any size and at any pace. The status
 * decides; the body is read only as far as a refusal's reason shows, and the whole answer within the request timeout.
 * The body was read whole into memory (a 128 MB refusal: 128 MB per event in flight), and the request timeout ended
 * only the wait for the headers, so a sink that dripped its body held the event as long. Over HTTP/1.1 (the JDK's
 * server) and HTTP/2 upgraded from cleartext (Vert.x, as the function and a Broker's ingress serve it), where leaving
 * a body unread resets its stream.
 */
class SinkAnswerBoundsTest {

    private static final Duration REQUEST_TIMEOUT = Duration.ofMillis(700);
    private static final long HUGE = 128L << 20;
    /** What the socket buffers of both ends may hold of a body nobody reads any more, with room to spare. */
    private static final long BUFFERED = 32L << 20;
    private static final byte[] MB = new byte[1 << 20];

    static {
        Arrays.fill(MB, (byte) 'x');
    }

    /** How the body goes after the status line and headers. */
    enum Body { EMPTY, SHORT, HUGE, DRIP }

    private static final AtomicLong written = new AtomicLong();
    private static final AtomicInteger http2 = new AtomicInteger();
    private static HttpServer jdk;
    private static Vertx vertx;
    private static io.vertx.core.http.HttpServer h2c;

    @BeforeAll
    static void sinks() throws Exception {
        jdk = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 8);
        jdk.setExecutor(Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "answer-bounds-sink");
            t.setDaemon(true);
            return t;
        }));
        jdk.createContext("/", SinkAnswerBoundsTest::answerHttp1);
        jdk.start();
        vertx = Vertx.vertx();
        h2c = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0).setHttp2ClearTextEnabled(true))
                .requestHandler(SinkAnswerBoundsTest::answerH2c).listen().toCompletionStage().toCompletableFuture()
                .get(10, TimeUnit.SECONDS);
        // The first exchange with each (an h2c upgrade, classes loaded) takes longer than the request timeout here
        HttpClient client = HttpClient.newHttpClient();
        for (int port : new int[]{jdk.getAddress().getPort(), h2c.actualPort()})
            client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/202/EMPTY"))
                    .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.discarding());
    }

    @AfterAll
    static void stopSinks() throws Exception {
        jdk.stop(0);
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    /** {@code /STATUS/BODY}: the answer each case asks for. */
    private static int status(String path) {
        return Integer.parseInt(path.split("/")[1]);
    }

    private static Body body(String path) {
        return Body.valueOf(path.split("/")[2]);
    }

    private static void answerHttp1(HttpExchange ex) throws IOException {
        try (ex) {
            ex.getRequestBody().readAllBytes();
            String path = ex.getRequestURI().getPath();
            ex.getResponseHeaders().add("Content-Type", "text/plain");
            if (body(path) == Body.EMPTY) {
                ex.sendResponseHeaders(status(path), -1);
                return;
            }
            ex.sendResponseHeaders(status(path), 0);
            OutputStream out = ex.getResponseBody();
            switch (body(path)) {
                case SHORT -> out.write("payload too large for this broker".getBytes());
                case HUGE -> {
                    for (long n = 0; n < HUGE; n += MB.length) {
                        out.write(MB);
                        written.addAndGet(MB.length);
                    }
                }
                case DRIP -> {
                    for (int i = 0; i < 300; i++) { // a byte each 100 ms: 30 s
                        out.write('y');
                        out.flush();
                        written.incrementAndGet();
                        Thread.sleep(100);
                    }
                }
                default -> throw new IllegalStateException(path);
            }
        } catch (IOException | InterruptedException closedByThePublisher) {
            // the publisher stopped reading: what it cost is in written
        }
    }

    private static void answerH2c(HttpServerRequest req) {
        if (req.version() == HttpVersion.HTTP_2) http2.incrementAndGet();
        req.body().onComplete(ignored -> {
            String path = req.path();
            HttpServerResponse res = req.response().setStatusCode(status(path)).putHeader("Content-Type", "text/plain");
            switch (body(path)) {
                case EMPTY -> res.end();
                case SHORT -> res.end("payload too large for this broker");
                case HUGE -> pump(res.setChunked(true), HUGE);
                case DRIP -> {
                    res.setChunked(true);
                    AtomicInteger left = new AtomicInteger(300);
                    vertx.setPeriodic(100, timer -> {
                        if (res.closed() || res.ended() || left.decrementAndGet() < 0) {
                            vertx.cancelTimer(timer);
                            return;
                        }
                        res.write("y");
                        written.incrementAndGet();
                    });
                }
            }
        });
    }

    /** Writes {@code left} bytes as fast as the publisher takes them. */
    private static void pump(HttpServerResponse res, long left) {
        while (left > 0 && !res.writeQueueFull() && !res.closed()) {
            res.write(Buffer.buffer(MB));
            written.addAndGet(MB.length);
            left -= MB.length;
        }
        if (res.closed()) return;
        long rest = left;
        if (rest > 0) res.drainHandler(v -> pump(res, rest));
        else res.end();
    }

    private static CloudEventSender.Sent send(URI sink) throws InterruptedException {
        CloudEventSender sender = new CloudEventSender(HttpClient.newHttpClient(), sink, new RateLimit(1000),
                new Backoff(Duration.ZERO, Duration.ZERO, Duration.ZERO, () -> 0.0), 1, REQUEST_TIMEOUT);
        return sender.send(new CloudEventSender.Event("id-1", "t", "s", "s3://media/a.wav", "{}"), new AtomicBoolean());
    }

    /**
     * Every status shape with every body shape, over both protocols: the status decides as with a short body, within
     * the request timeout (and a little for the connection's end), and of a huge body no more than the socket buffers
     * hold was sent.
     */
    @Test
    void everyAnswerIsDecidedByItsStatusWithinTheRequestTimeoutWhateverItsBody() throws IOException {
        List<String> wrong = new ArrayList<>();
        int cases = 0;
        for (String base : List.of("http://127.0.0.1:" + jdk.getAddress().getPort(), "http://127.0.0.1:" + h2c.actualPort()))
            for (int status : new int[]{200, 202, 204, 400, 413, 503})
                for (Body body : Body.values()) {
                    if (status == 204 && body != Body.EMPTY) continue; // a 204 has no body by definition
                    cases++;
                    written.set(0);
                    URI uri = URI.create(base + "/" + status + "/" + body);
                    String shown = "HTTP " + status + " with a " + body + " body from " + base;
                    long t0 = System.nanoTime();
                    CloudEventSender.Sent sent;
                    try {
                        sent = assertTimeoutPreemptively(Duration.ofSeconds(5), () -> send(uri), shown);
                    } catch (AssertionError stillReading) {
                        wrong.add(shown + ": no end after 5 s");
                        continue;
                    }
                    double seconds = (System.nanoTime() - t0) / 1e9;
                    if (seconds > REQUEST_TIMEOUT.toMillis() / 1000.0 + 1.0) wrong.add(shown + ": took " + seconds + " s");
                    if (!Integer.valueOf(status).equals(sent.httpStatus()) || sent.attempts() != 1
                            || sent.state() != (status < 300 ? PublishState.PUBLISHED : PublishState.FAILED))
                        wrong.add(shown + ": " + sent);
                    else if (status >= 300 && !(sent.reason().contains("HTTP " + status)
                            && switch (body) {
                        case EMPTY -> true;
                        case SHORT -> sent.reason().contains("(payload too large for this broker)");
                        case HUGE -> sent.reason().contains("(" + "x".repeat(300) + "…)");
                        case DRIP -> sent.reason().matches(".*\\(y+\\)$"); // the bytes dripped so far
                    }))
                        wrong.add(shown + ": reason " + sent.reason());
                    if (body == Body.HUGE) {
                        long sentBytes = awaitWriterEnd();
                        if (sentBytes > BUFFERED) wrong.add(shown + ": " + sentBytes + " of " + HUGE + " bytes read");
                    }
                }
        assertTrue(http2.get() > 0, "the Vert.x sink was reached over HTTP/2");
        assertTrue(wrong.isEmpty(), wrong.size() + " of " + cases + " answers:\n" + String.join("\n", wrong));
    }

    /** The sink's writer has stopped (the connection or stream closed) or written everything: how much went out. */
    private static long awaitWriterEnd() throws IOException {
        long last = -1;
        for (int i = 0; i < 50 && written.get() != last; i++) {
            last = written.get();
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                throw new IOException(e);
            }
        }
        return written.get();
    }
}
