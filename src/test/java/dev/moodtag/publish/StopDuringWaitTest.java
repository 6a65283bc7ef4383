package dev.moodtag.publish;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Ctrl-C (the first signal raises the publish's stop flag) while an event waits for its next attempt: the sink's
 * Retry-After (up to retry-after-max, 60 s by default), a backoff, or its turn under --rate. The wait was a plain
 * sleep that never looked at the flag, so the publish went on for up to a minute after it was told to stop.
 */
class StopDuringWaitTest {

    private HttpServer sink;
    private final AtomicInteger requests = new AtomicInteger();
    private CountDownLatch answered;

    private URI sink(int status, String retryAfter) throws IOException {
        CountDownLatch answered = this.answered = new CountDownLatch(1);
        sink = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 4);
        sink.createContext("/", ex -> {
            try (ex) {
                ex.getRequestBody().readAllBytes();
                requests.incrementAndGet();
                if (retryAfter != null) ex.getResponseHeaders().add("Retry-After", retryAfter);
                ex.sendResponseHeaders(status, -1);
            }
            answered.countDown();
        });
        sink.start();
        return URI.create("http://127.0.0.1:" + sink.getAddress().getPort() + "/");
    }

    @AfterEach
    void close() {
        if (sink != null) sink.stop(0);
    }

    private static CloudEventSender sender(URI sink, RateLimit rate) {
        return new CloudEventSender(HttpClient.newHttpClient(), sink, rate, new Backoff(Duration.ofSeconds(60),
                Duration.ofSeconds(60), Duration.ofSeconds(60), () -> 0.999), 5, Duration.ofSeconds(10));
    }

    private static final CloudEventSender.Event EVENT = new CloudEventSender.Event("id-1", "t", "s", "s3://media/a.wav",
            "{\"uri\":\"s3://media/a.wav\"}");

    private static void stopLater(AtomicBoolean stop, CountDownLatch after) {
        Thread t = new Thread(() -> {
            try {
                after.await(10, TimeUnit.SECONDS);
                Thread.sleep(200);
            } catch (InterruptedException ignored) {
                // the test is over
            }
            stop.set(true);
        });
        t.setDaemon(true);
        t.start();
    }

    @Test
    void aStopEndsTheWaitForTheSinksRetryAfterAndTheEventIsNotPublished() throws IOException {
        for (String retryAfter : new String[]{"60", null}) { // Retry-After, then the backoff (60 s here)
            requests.set(0);
            CloudEventSender sender = sender(sink(503, retryAfter), new RateLimit(1000));
            AtomicBoolean stop = new AtomicBoolean();
            stopLater(stop, answered);
            CloudEventSender.Sent sent = assertTimeoutPreemptively(Duration.ofSeconds(5), () -> sender.send(EVENT, stop),
                    "Retry-After " + retryAfter + ": the stop is seen within the wait");
            assertEquals(PublishState.FAILED, sent.state());
            assertEquals(1, sent.attempts());
            assertEquals(1, requests.get(), "not sent again after the stop");
            assertTrue(sent.reason().startsWith("publish stopped while retrying; last: HTTP 503"), sent.reason());
            close();
        }
    }

    @Test
    void aStopEndsTheWaitForItsTurnUnderTheRateAndNothingIsSent() throws IOException, InterruptedException {
        URI uri = sink(202, null);
        RateLimit rate = new RateLimit(1.0 / 60);
        AtomicBoolean stop = new AtomicBoolean();
        assertEquals(PublishState.PUBLISHED, sender(uri, rate).send(EVENT, stop).state());
        stopLater(stop, new CountDownLatch(0));
        CloudEventSender.Sent sent = assertTimeoutPreemptively(Duration.ofSeconds(5), () -> sender(uri, rate).send(EVENT, stop),
                "the next turn is 60 s away: the stop is seen within the wait");
        assertEquals(PublishState.FAILED, sent.state());
        assertEquals(0, sent.attempts());
        assertNull(sent.httpStatus());
        assertEquals(1, requests.get(), "nothing sent after the stop");
        assertEquals("publish stopped before it was sent; run it again to continue", sent.reason());
    }
}
