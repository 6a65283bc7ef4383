package dev.moodtag.publish;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Ctrl-C (the first signal raises the publish's stop flag) while an event waits for its next attempt: the sink's
 * Retry-After (up to retry-after-max, 60 s by default), a backoff, or its turn under --rate. The wait was a plain
 * sleep that never looked at the flag, so the publish went on for up to a minute after it was told to stop. And while
 * it waits for the sink's answer: that wait was the request timeout's alone (5 minutes by default).
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

    /** A sender to a local sink that waits 10 s for an answer and never between attempts: only a stop ends it early. */
    private static CloudEventSender unhurriedSender(int port) {
        return new CloudEventSender(HttpClient.newHttpClient(), URI.create("http://127.0.0.1:" + port + "/"),
                new RateLimit(1000), new Backoff(Duration.ZERO, Duration.ZERO, Duration.ZERO, () -> 0.0), 5,
                Duration.ofSeconds(10));
    }

    private static final CloudEventSender.Event EVENT = new CloudEventSender.Event("id-1", "t", "s", "s3://media/a.wav",
            "{\"uri\":\"s3://media/a.wav\"}");

    private static void stopLater(AtomicBoolean stop, CountDownLatch after) {
        stopLater(stop, after, new AtomicLong());
    }

    /** Raises {@code stop} 200 ms after {@code after} opens, at {@code stoppedAt} (System.nanoTime). */
    private static void stopLater(AtomicBoolean stop, CountDownLatch after, AtomicLong stoppedAt) {
        Thread t = new Thread(() -> {
            try {
                after.await(10, TimeUnit.SECONDS);
                Thread.sleep(200);
            } catch (InterruptedException ignored) {
                // the test is over
            }
            stoppedAt.set(System.nanoTime());
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

    /**
     * A sink that takes the request and never answers (a Broker's ingress wedged, the function as the sink tagging a
     * long film): a stop while the event is in flight cancels the request at once, closing its connection, and the
     * event is failed-to-publish as not known to have arrived (a rerun sends it again with the same id). The stop was
     * seen only when the request timeout ended the attempt: 10.0 s here, the default 5 minutes.
     */
    @Test
    void aStopCancelsTheRequestInFlightAndTheEventIsNotKnownToHaveArrived() throws Exception {
        try (ServerSocket hanging = new ServerSocket(0, 8, InetAddress.getLoopbackAddress())) {
            CountDownLatch accepted = new CountDownLatch(1);
            AtomicReference<Socket> taken = new AtomicReference<>();
            AtomicInteger connections = new AtomicInteger();
            Thread acceptor = new Thread(() -> {
                try {
                    while (true) {
                        Socket s = hanging.accept();
                        if (connections.incrementAndGet() == 1) taken.set(s);
                        accepted.countDown();
                    }
                } catch (IOException closed) {
                    // the test is over
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            CloudEventSender sender = unhurriedSender(hanging.getLocalPort());
            AtomicBoolean stop = new AtomicBoolean();
            AtomicLong stoppedAt = new AtomicLong();
            stopLater(stop, accepted, stoppedAt);
            CloudEventSender.Sent sent = sender.send(EVENT, stop);
            double afterStop = (System.nanoTime() - stoppedAt.get()) / 1e9;
            assertTrue(stoppedAt.get() != 0 && afterStop < 1.0, "returned " + afterStop + " s after the stop: " + sent);
            assertEquals(PublishState.FAILED, sent.state());
            assertEquals(1, sent.attempts());
            assertNull(sent.httpStatus());
            assertEquals(CloudEventSender.STOPPED_IN_FLIGHT, sent.reason());
            // Cancelled, not abandoned: the client closes the connection, the sink reads its end
            Socket s = taken.get();
            s.setSoTimeout(2000);
            try (s; InputStream in = s.getInputStream()) {
                while (in.read() >= 0) {
                    // the request, then the end of the stream
                }
            } catch (SocketException reset) {
                // closed as well
            } catch (SocketTimeoutException e) {
                fail("the request's connection was left open after the stop");
            }
            assertEquals(1, connections.get(), "one connection, no second attempt");
        }
    }

    /**
     * The status came before the stop and the body had not ended (a sink dripping it): the sink has the event, and it is
     * published by its status, as the request timeout answers it, now at the stop instead of at the timeout.
     */
    @Test
    void aStopAfterTheStatusCameAnswersByTheStatus() throws Exception {
        CountDownLatch headersSent = new CountDownLatch(1);
        sink = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 4);
        sink.createContext("/", ex -> {
            try (ex) {
                ex.getRequestBody().readAllBytes();
                ex.sendResponseHeaders(202, 0);
                headersSent.countDown();
                OutputStream out = ex.getResponseBody();
                for (int i = 0; i < 300; i++) { // a byte each 100 ms: 30 s
                    out.write('y');
                    out.flush();
                    Thread.sleep(100);
                }
            } catch (IOException | InterruptedException closedByThePublisher) {
                // the publisher read no more
            }
        });
        sink.start();
        CloudEventSender sender = unhurriedSender(sink.getAddress().getPort());
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong stoppedAt = new AtomicLong();
        stopLater(stop, headersSent, stoppedAt);
        CloudEventSender.Sent sent = sender.send(EVENT, stop);
        double afterStop = (System.nanoTime() - stoppedAt.get()) / 1e9;
        assertTrue(stoppedAt.get() != 0 && afterStop < 1.0, "returned " + afterStop + " s after the stop: " + sent);
        assertEquals(PublishState.PUBLISHED, sent.state(), sent.reason());
        assertEquals(202, sent.httpStatus());
        assertEquals(1, sent.attempts());
    }
}
