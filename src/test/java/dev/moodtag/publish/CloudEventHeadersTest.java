package dev.moodtag.publish;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The event's attributes travel as ce-* headers, which HTTP limits to visible Latin-1 and the CloudEvents HTTP binding
 * asks to be percent-encoded beyond printable ASCII. The type and source come from configuration
 * (moodtag.publish.event-type, event-source): one the HTTP client refused to put in a header (a line break, a
 * character above U+00FF) threw IllegalArgumentException in every sending thread, and the publish ended at its
 * first event with "publish worker failed".
 */
class CloudEventHeadersTest {

    private HttpServer sink;
    private final Map<String, String> received = new ConcurrentHashMap<>();

    @AfterEach
    void close() {
        if (sink != null) sink.stop(0);
    }

    @Test
    void anyConfiguredTypeAndSourceIsSentPercentEncodedAndPublished() throws Exception {
        sink = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 4);
        sink.createContext("/", ex -> {
            try (ex) {
                ex.getRequestBody().readAllBytes();
                for (String h : List.of("ce-type", "ce-source", "ce-id"))
                    received.put(h, ex.getRequestHeaders().getFirst(h));
                ex.sendResponseHeaders(202, -1);
            }
        });
        sink.start();
        URI uri = URI.create("http://127.0.0.1:" + sink.getAddress().getPort() + "/");
        CloudEventSender sender = new CloudEventSender(HttpClient.newHttpClient(), uri, new RateLimit(1000),
                new Backoff(Duration.ZERO, Duration.ZERO, Duration.ZERO, () -> 0), 1, Duration.ofSeconds(10));
        String type = "dev.moodtag.请求\r\nX-Injected: 1", source = "moodtag/publié 50%";

        CloudEventSender.Sent sent = sender.send(new CloudEventSender.Event("moodtag-1", type, source, "s3://media/a.wav",
                "{\"uri\":\"s3://media/a.wav\"}"), new AtomicBoolean());

        assertEquals(PublishState.PUBLISHED, sent.state(), String.valueOf(sent.reason()));
        assertEquals(type, URLDecoder.decode(received.get("ce-type").replace("+", "%2B"), StandardCharsets.UTF_8));
        assertEquals(source, URLDecoder.decode(received.get("ce-source").replace("+", "%2B"), StandardCharsets.UTF_8));
        assertEquals("moodtag-1", received.get("ce-id"));
    }
}
