package dev.moodtag.publish;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A CloudEvents sink in front of the real function that misbehaves for a while, as a Broker's ingress under load
 * does: the first {@code refusals} requests are answered 429 (with {@code Retry-After: 0}) and 503 in turn without
 * being passed on; the next {@code lostAnswers} are passed on and the function's answer is replaced by 502, so the
 * publisher cannot know the event arrived and sends it again; everything after passes through. It records every
 * answer the function gave, per object, to count how often an object was really processed.
 */
final class FlakySink implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final URI function;
    private final int refusals, lostAnswers;
    private final AtomicInteger requests = new AtomicInteger();
    private final Map<String, List<String>> outcomesByObject = Collections.synchronizedMap(new HashMap<>());
    private final List<String> ids = Collections.synchronizedList(new ArrayList<>());

    FlakySink(URI function, int refusals, int lostAnswers) throws IOException {
        this.function = function;
        this.refusals = refusals;
        this.lostAnswers = lostAnswers;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        server.setExecutor(Executors.newFixedThreadPool(8));
        server.createContext("/", this::handle);
        server.start();
    }

    URI uri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
    }

    int requests() {
        return requests.get();
    }

    /** Every ce-id that reached this sink, in order, repeats included. */
    List<String> ids() {
        return List.copyOf(ids);
    }

    /** Object URI → the outcomes the function answered for it ("processed", "skipped", "retry", ...). */
    Map<String, List<String>> outcomes() {
        synchronized (outcomesByObject) {
            return Map.copyOf(outcomesByObject);
        }
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            byte[] body = ex.getRequestBody().readAllBytes();
            ids.add(ex.getRequestHeaders().getFirst("ce-id"));
            int n = requests.incrementAndGet();
            if (n <= refusals) {
                if (n % 2 == 1) ex.getResponseHeaders().add("Retry-After", "0");
                ex.sendResponseHeaders(n % 2 == 1 ? 429 : 503, -1);
                return;
            }
            HttpRequest.Builder forward = HttpRequest.newBuilder(function).timeout(Duration.ofMinutes(5))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body));
            ex.getRequestHeaders().forEach((name, values) -> {
                String lower = name.toLowerCase(java.util.Locale.ROOT);
                if (lower.startsWith("ce-") || lower.equals("content-type")) values.forEach(v -> forward.header(name, v));
            });
            HttpResponse<byte[]> answer;
            try {
                answer = client.send(forward.build(), HttpResponse.BodyHandlers.ofByteArray());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                ex.sendResponseHeaders(500, -1);
                return;
            }
            record(answer.body());
            if (n <= refusals + lostAnswers) {
                ex.sendResponseHeaders(502, -1);
                return;
            }
            answer.headers().firstValue("Retry-After").ifPresent(v -> ex.getResponseHeaders().add("Retry-After", v));
            ex.getResponseHeaders().add("Content-Type", "application/json");
            ex.sendResponseHeaders(answer.statusCode(), answer.body().length == 0 ? -1 : answer.body().length);
            if (answer.body().length > 0) ex.getResponseBody().write(answer.body());
        }
    }

    private void record(byte[] functionAnswer) {
        try {
            JsonNode r = JSON.readTree(functionAnswer);
            for (JsonNode o : r.path("objects"))
                outcomesByObject.computeIfAbsent(o.path("object").asText(), k -> Collections.synchronizedList(new ArrayList<>()))
                        .add(o.path("outcome").asText());
        } catch (IOException notJson) {
            // counted by requests(); nothing per object to record
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
