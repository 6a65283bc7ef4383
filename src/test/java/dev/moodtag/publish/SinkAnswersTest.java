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
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Which answers of a sink are retried: the Knative Eventing data-plane contract's table ("Event Acknowledgement and
 * Delivery Retry"). A Broker's ingress answers 404 while the Broker is not (yet) there, and 409 for an event still
 * being processed: both retried there; 400 and other 4xx are the event's own fault and end it at once.
 */
class SinkAnswersTest {

    private HttpServer sink;

    @AfterEach
    void close() {
        if (sink != null) sink.stop(0);
    }

    /** A sink that answers {@code first} to the first request and 202 after it. */
    private URI sink(int first, AtomicInteger requests) throws IOException {
        sink = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 4);
        sink.createContext("/", ex -> {
            try (ex) {
                ex.getRequestBody().readAllBytes();
                ex.sendResponseHeaders(requests.incrementAndGet() == 1 ? first : 202, -1);
            }
        });
        sink.start();
        return URI.create("http://127.0.0.1:" + sink.getAddress().getPort() + "/");
    }

    private CloudEventSender.Sent send(int first, AtomicInteger requests) throws Exception {
        CloudEventSender sender = new CloudEventSender(HttpClient.newHttpClient(), sink(first, requests),
                new RateLimit(1000), new Backoff(Duration.ZERO, Duration.ZERO, Duration.ZERO, () -> 0.0), 3,
                Duration.ofSeconds(10));
        return sender.send(new CloudEventSender.Event("id-1", "t", "s", "s3://media/a.wav", "{}"), new AtomicBoolean());
    }

    @Test
    void answersTheContractRetriesAreRetriedAndTheOthersEndTheEvent() throws Exception {
        for (int status : new int[]{404, 408, 409, 429, 500, 502, 503, 504, 599}) {
            AtomicInteger requests = new AtomicInteger();
            CloudEventSender.Sent sent = send(status, requests);
            assertEquals(PublishState.PUBLISHED, sent.state(), status + ": " + sent.reason());
            assertEquals(2, sent.attempts(), status + " is retried");
            close();
        }
        for (int status : new int[]{400, 401, 403, 405, 410, 413, 415, 422}) {
            AtomicInteger requests = new AtomicInteger();
            CloudEventSender.Sent sent = send(status, requests);
            assertEquals(PublishState.FAILED, sent.state(), String.valueOf(status));
            assertEquals(1, requests.get(), status + " is not retried");
            close();
        }
    }

    /**
     * No connection at all: retried, as a Knative Broker's ingress name may resolve only a little after the Broker is
     * created, and nothing tells that from a misspelt host. The reason was "ConnectException" alone (the client's
     * exception has no message, nor has its cause); it names the host now, and what failed.
     */
    @Test
    void aSinkThatCannotBeReachedIsRetriedAndItsHostNamed() throws Exception {
        int closedPort;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        Map<String, String> said = Map.of(
                "http://broker-ingress.no-such-namespace.invalid/", "the sink's host name broker-ingress.no-such-namespace.invalid does not resolve",
                "http://127.0.0.1:" + closedPort + "/", "cannot connect to 127.0.0.1:" + closedPort);
        for (Map.Entry<String, String> sink : said.entrySet()) {
            CloudEventSender sender = new CloudEventSender(HttpClient.newHttpClient(), URI.create(sink.getKey()),
                    new RateLimit(1000), new Backoff(Duration.ZERO, Duration.ZERO, Duration.ZERO, () -> 0.0), 3,
                    Duration.ofSeconds(10));
            CloudEventSender.Sent sent = sender.send(new CloudEventSender.Event("id-1", "t", "s", "s3://media/a.wav", "{}"),
                    new AtomicBoolean());
            assertEquals(PublishState.FAILED, sent.state(), sink.getKey());
            assertEquals(3, sent.attempts(), sink.getKey() + " is retried");
            assertTrue(sent.reason().startsWith("gave up after 3 attempt(s); last: ConnectException: " + sink.getValue()),
                    sent.reason());
        }
    }
}
