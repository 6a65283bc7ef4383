package dev.moodtag.publish;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A local HTTP sink that takes every event (202) and counts the requests: for tests that check what a publish sent,
 * usually that it sent nothing.
 */
public final class AcceptingSink implements AutoCloseable {
    private final HttpServer server;
    private final AtomicInteger requests = new AtomicInteger();

    private AcceptingSink(HttpServer server) {
        this.server = server;
    }

    /** Started on a free loopback port. */
    public static AcceptingSink start() {
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 4);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        AcceptingSink sink = new AcceptingSink(server);
        server.createContext("/", ex -> {
            try (ex) {
                ex.getRequestBody().readAllBytes();
                sink.requests.incrementAndGet();
                ex.sendResponseHeaders(202, -1);
            }
        });
        server.start();
        return sink;
    }

    public URI uri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
    }

    public int requests() {
        return requests.get();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
