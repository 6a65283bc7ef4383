package dev.moodtag.storage;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An S3 endpoint that answers each request as the test says, down to the bytes and the socket: what a real server
 * cannot be made to do (a body cut short, a reset midway, a stall). Every request is recorded as "METHOD path", and
 * its headers as they came ({@link #heads}); an answer reads the headers of the request it answers with
 * {@link #header(String)}.
 */
final class FakeS3 implements AutoCloseable {

    /** What the fake does with one request: write an answer to {@code out}, or misbehave with the socket. */
    @FunctionalInterface
    interface Answer {
        void answer(String method, String path, Socket socket, OutputStream out) throws IOException;
    }

    final List<String> requests = new CopyOnWriteArrayList<>();
    /** Each request's header lines, in the order of {@link #requests}. */
    final List<String> heads = new CopyOnWriteArrayList<>();
    /** The head of the request being answered on this thread: each connection has its own. */
    private static final ThreadLocal<String> HEAD = new ThreadLocal<>();
    private final ServerSocket server;
    private final List<Socket> open = new CopyOnWriteArrayList<>();
    private final List<S3Client> clients = new CopyOnWriteArrayList<>();
    private volatile Answer answer;

    FakeS3(Answer answer) throws IOException {
        this.answer = answer;
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread t = new Thread(this::serve, "fake-s3");
        t.setDaemon(true);
        t.start();
    }

    void answer(Answer a) {
        answer = a;
    }

    URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getLocalPort());
    }

    /** A client as the function builds one (URLConnection), one attempt per call so that a test sees each answer. */
    S3Client client(Duration socketTimeout) {
        return builder(socketTimeout).overrideConfiguration(o -> o.retryStrategy(b -> b.maxAttempts(1))).build();
    }

    private S3ClientBuilder builder(Duration socketTimeout) {
        return S3Client.builder().endpointOverride(endpoint()).region(Region.US_EAST_1).forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("k", "s")))
                .httpClientBuilder(UrlConnectionHttpClient.builder().socketTimeout(socketTimeout));
    }

    /**
     * The store as the function builds it, on a client of this endpoint that {@link #close()} closes: one attempt per
     * call, each bounded as given.
     */
    S3ObjectStorage store(Duration socketTimeout, Duration callTimeout, Duration attemptTimeout, Duration readTimeout) {
        return store(client(socketTimeout), callTimeout, attemptTimeout, readTimeout);
    }

    /**
     * The store on a client with the SDK's own retries (four attempts, its backoff, a Retry-After waited out), as the
     * function's client has them; each call bounded as given.
     */
    S3ObjectStorage storeWithSdkRetries(Duration callTimeout, Duration attemptTimeout) {
        return store(builder(Duration.ofSeconds(1)).build(), callTimeout, attemptTimeout, S3ObjectStorage.DEFAULT_READ_TIMEOUT);
    }

    private S3ObjectStorage store(S3Client c, Duration callTimeout, Duration attemptTimeout, Duration readTimeout) {
        clients.add(c);
        return new S3ObjectStorage(List.of("media"), java.util.Optional.empty(), () -> c, callTimeout, attemptTimeout, readTimeout);
    }

    private void serve() {
        try {
            while (true) {
                Socket s = server.accept();
                open.add(s);
                Thread t = new Thread(() -> handle(s), "fake-s3-conn");
                t.setDaemon(true);
                t.start();
            }
        } catch (IOException closed) {
            // test over
        }
    }

    private void handle(Socket s) {
        try (s) {
            InputStream in = s.getInputStream();
            String head = readHead(in);
            String[] first = head.substring(0, head.indexOf("\r\n")).split(" ");
            long length = 0;
            boolean chunked = false;
            for (String line : head.split("\r\n")) {
                String l = line.toLowerCase(Locale.ROOT);
                if (l.startsWith("content-length:")) length = Long.parseLong(l.substring(15).trim());
                if (l.startsWith("transfer-encoding:") && l.contains("chunked")) chunked = true;
                if (l.startsWith("expect:") && l.contains("100-continue"))
                    s.getOutputStream().write("HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            }
            if (!chunked) in.readNBytes((int) length);
            requests.add(first[0] + " " + first[1]);
            heads.add(head);
            HEAD.set(head);
            answer.answer(first[0], first[1], s, s.getOutputStream());
            s.getOutputStream().flush();
        } catch (IOException | RuntimeException e) {
            // the client went away, or the answer meant to break the connection
        }
    }

    /** The value of the named header of the request being answered (exactly as sent), if it has one. */
    static java.util.Optional<String> header(String name) {
        String head = HEAD.get();
        if (head == null) return java.util.Optional.empty();
        for (String line : head.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase(name))
                return java.util.Optional.of(line.substring(colon + 1).trim());
        }
        return java.util.Optional.empty();
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int state = 0;
        for (int c; (c = in.read()) >= 0; ) {
            b.write(c);
            state = (c == '\r' && (state == 0 || state == 2)) ? state + 1 : (c == '\n' && (state == 1 || state == 3)) ? state + 1 : 0;
            if (state == 4) break;
        }
        return b.toString(StandardCharsets.ISO_8859_1);
    }

    /** A complete answer with {@code body}, closing the connection afterwards. */
    static void send(OutputStream out, int status, String headers, byte[] body) throws IOException {
        out.write(("HTTP/1.1 " + status + " X\r\nConnection: close\r\n" + headers + "Content-Length: " + body.length
                + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(body);
    }

    /** An S3 error document. */
    static void error(OutputStream out, int status, String code, boolean head) throws IOException {
        error(out, status, code, head, "");
    }

    /** An S3 error document, with more headers ({@code "Name: value\r\n"} each). */
    static void error(OutputStream out, int status, String code, boolean head, String headers) throws IOException {
        byte[] xml = ("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>" + code + "</Code><Message>" + code
                + "</Message><RequestId>r</RequestId></Error>").getBytes(StandardCharsets.UTF_8);
        if (head) {
            out.write(("HTTP/1.1 " + status + " X\r\nConnection: close\r\n" + headers
                    + "Content-Type: application/xml\r\nContent-Length: " + xml.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        } else {
            send(out, status, headers + "Content-Type: application/xml\r\n", xml);
        }
    }

    @Override
    public void close() throws IOException {
        clients.forEach(S3Client::close);
        server.close();
        for (Socket s : open) s.close();
    }
}
