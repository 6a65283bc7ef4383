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
import static org.junit.jupiter.api.Assertions.assertFalse;
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
                "http://127.0.0.1:" + closedPort + "/", "the connection to 127.0.0.1:" + closedPort + " was refused");
        for (Map.Entry<String, String> sink : said.entrySet()) {
            CloudEventSender sender = new CloudEventSender(HttpClient.newHttpClient(), URI.create(sink.getKey()),
                    new RateLimit(1000), new Backoff(Duration.ZERO, Duration.ZERO, Duration.ZERO, () -> 0.0), 3,
                    Duration.ofSeconds(10));
            CloudEventSender.Sent sent = sender.send(new CloudEventSender.Event("id-1", "t", "s", "s3://media/a.wav", "{}"),
                    new AtomicBoolean());
            assertEquals(PublishState.FAILED, sent.state(), sink.getKey());
            assertEquals(3, sent.attempts(), sink.getKey() + " is retried");
            // in words, where it was the client's class first: "last: ConnectException: cannot connect to ..."
            assertTrue(sent.reason().startsWith("gave up after 3 attempt(s); last: " + sink.getValue()), sent.reason());
            assertFalse(sent.reason().contains("Exception"), sent.reason());
        }
    }

    /**
     * Every way an attempt can fail without an answer, said in words naming the sink's host and port, never the
     * client's exception class: a sink that takes the connection and never answers was "HttpTimeoutException: no
     * answer within the request timeout PT0.3S", one that closes or resets it mid-request "IOException: ..." or
     * "EOFException: ...". Each is retried to the last attempt as before.
     */
    @Test
    void everyFailureWithoutAnAnswerIsSaidInWordsNamingTheSink() throws Exception {
        Map<String, java.util.function.Consumer<java.net.Socket>> ends = new java.util.LinkedHashMap<>();
        ends.put("never answers", s -> sleepQuietly(3_000));
        ends.put("closes", s -> { });
        ends.put("resets", s -> {
            try {
                s.setSoLinger(true, 0);
            } catch (IOException ignored) {
                // already gone
            }
        });
        ends.put("answers garbage", s -> {
            try {
                s.getOutputStream().write("not http at all\r\n\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            } catch (IOException ignored) {
                // already gone
            }
        });
        ends.put("answers half a status line", s -> {
            try {
                s.getOutputStream().write("HTTP/1.1 20".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            } catch (IOException ignored) {
                // already gone
            }
        });
        java.util.List<String> wrong = new java.util.ArrayList<>(), said = new java.util.ArrayList<>();
        for (Map.Entry<String, java.util.function.Consumer<java.net.Socket>> end : ends.entrySet()) {
            try (java.net.ServerSocket server = new java.net.ServerSocket(0, 8, InetAddress.getLoopbackAddress())) {
                Thread t = new Thread(() -> {
                    while (!server.isClosed()) {
                        try (java.net.Socket s = server.accept()) {
                            s.getInputStream().read();
                            end.getValue().accept(s);
                        } catch (IOException closed) {
                            // the case is over
                        }
                    }
                });
                t.setDaemon(true);
                t.start();
                String at = "127.0.0.1:" + server.getLocalPort();
                CloudEventSender sender = new CloudEventSender(HttpClient.newHttpClient(), URI.create("http://" + at + "/"),
                        new RateLimit(1000), new Backoff(Duration.ZERO, Duration.ZERO, Duration.ZERO, () -> 0.0), 2,
                        Duration.ofMillis(300));
                CloudEventSender.Sent sent = sender.send(new CloudEventSender.Event("id-1", "t", "s", "s3://media/a.wav",
                        "{}"), new AtomicBoolean());
                String shown = end.getKey() + ": " + sent.attempts() + " attempt(s), " + sent.reason();
                said.add(shown);
                if (sent.state() != PublishState.FAILED || sent.attempts() != 2 || sent.reason().contains("Exception")
                        || !sent.reason().startsWith("gave up after 2 attempt(s); last: ") || !sent.reason().contains(at)
                        || end.getKey().equals("never answers")
                        && !sent.reason().endsWith("no answer from " + at + " within 300 ms (moodtag.publish.request-timeout)"))
                    wrong.add(shown);
                t.interrupt();
            }
        }
        System.out.println(String.join("\n", said));
        assertTrue(wrong.isEmpty(), String.join("\n", wrong));
        assertEquals("5 min", CloudEventSender.shown(Duration.ofMinutes(5)));
        assertEquals("10 s", CloudEventSender.shown(Duration.ofSeconds(10)));
        assertEquals("1500 ms", CloudEventSender.shown(Duration.ofMillis(1500)));
    }

    /**
     * The client's failures as its exceptions nest them, each said in words naming the sink's host and port, never a
     * class, whatever the nesting: a wrapper whose message is its cause's toString() ("java.net.SocketException:
     * Connection reset") is passed over for the cause's own words.
     */
    @Test
    void everyKindOfClientFailureIsSaidInWords() {
        CloudEventSender sender = new CloudEventSender(HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
                .build(), URI.create("https://sink.test:8443/"), new RateLimit(1000),
                new Backoff(Duration.ZERO, Duration.ZERO, Duration.ZERO, () -> 0.0), 3, Duration.ofMinutes(5));
        Map<IOException, String> grid = new java.util.LinkedHashMap<>();
        grid.put(new java.net.ConnectException(), "the connection to sink.test:8443 was refused (nothing listens on that"
                + " port, or a firewall turns it away)");
        grid.put(new java.net.ConnectException("No route to host"), "cannot connect to sink.test:8443: No route to host");
        grid.put(new java.net.http.HttpConnectTimeoutException("HTTP connect timed out"),
                "no connection to sink.test:8443 within 10 s (moodtag.publish.connect-timeout)");
        grid.put(new java.net.http.HttpTimeoutException("request timed out"),
                "no answer from sink.test:8443 within 5 min (moodtag.publish.request-timeout)");
        grid.put(new javax.net.ssl.SSLHandshakeException("Remote host terminated the handshake"),
                "the TLS handshake with sink.test:8443 was cut short (Remote host terminated the handshake)");
        grid.put(new javax.net.ssl.SSLHandshakeException("Received fatal alert: internal_error"),
                "the sink ended the TLS handshake with sink.test:8443: Received fatal alert: internal_error");
        grid.put(new javax.net.ssl.SSLException("Tag mismatch"), "the TLS connection to sink.test:8443 failed: Tag mismatch");
        grid.put(new IOException(new java.net.SocketException("Connection reset")),
                "the exchange with sink.test:8443 ended without an answer it could read: Connection reset");
        grid.put(new java.io.EOFException(), "the exchange with sink.test:8443 ended without an answer it could read: the connection was closed before it came");
        grid.put(new IOException((String) null), "the exchange with sink.test:8443 ended without an answer it could read: "
                + "input/output error");
        grid.put(new java.net.ProtocolException("Invalid status line: \"x\""),
                "the exchange with sink.test:8443 ended without an answer it could read: Invalid status line: \"x\"");
        grid.put(new IOException("wrapped", new java.nio.channels.UnresolvedAddressException()),
                "the sink's host name sink.test does not resolve (not yet in DNS, or misspelt)");
        java.util.List<String> wrong = new java.util.ArrayList<>();
        grid.forEach((e, words) -> {
            String said = sender.problem(e);
            if (!said.equals(words) || said.contains("Exception") || said.contains("java.")) wrong.add(e + " -> " + said);
        });
        assertEquals(java.util.List.of(), wrong, grid.size() + " failures");
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
