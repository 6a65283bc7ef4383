package dev.moodtag.function;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;

/**
 * S3Mock ({@link S3MockResource}) behind a proxy that can break what S3 itself never breaks: while the system property
 * {@link #CUT_BODY} names a request path ({@code /bucket/key}), a GET of it is answered with the object's
 * Content-Length and then only half of the body before the connection closes; while {@link #REFUSE} is set
 * ({@code "400 ExpiredToken"}, or {@code "503 SlowDown 3600"} with a Retry-After of that many seconds), every request is
 * refused with that status and S3 error code (a HEAD without a body, as S3 answers one); while {@link #REPLACE_BEFORE_READ} names a request path, the next GET of it first replaces the object
 * with another of the same length (one byte changed) and the property is cleared: a replacement between the stat and
 * the read; while {@link #NO_ETAG} is set, every answer loses its ETag, as an S3-compatible store that sends none;
 * while {@link #REPLACE_AFTER_READ} names a request path, a GET of it, once answered, replaces the object as above and
 * the property is cleared: a replacement after the read. A system property, because the test
 * and this resource may be loaded by different class loaders; everything else passes through unchanged.
 */
public class FaultyS3Resource implements QuarkusTestResourceLifecycleManager {

    public static final String CUT_BODY = "moodtag.test.s3.cut-body";
    public static final String REFUSE = "moodtag.test.s3.refuse";
    public static final String REPLACE_BEFORE_READ = "moodtag.test.s3.replace-before-read";
    public static final String NO_ETAG = "moodtag.test.s3.no-etag";
    public static final String REPLACE_AFTER_READ = "moodtag.test.s3.replace-after-read";
    private static final Set<String> NOT_FORWARDED = Set.of("connection", "content-length", "expect", "host", "upgrade",
            "transfer-encoding", "date");

    private final S3MockResource s3 = new S3MockResource();
    private final HttpClient client = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
    private HttpServer proxy;
    private URI target;

    @Override
    public Map<String, String> start() {
        Map<String, String> config = new HashMap<>(s3.start());
        target = URI.create(config.get("quarkus.s3.endpoint-override"));
        try {
            proxy = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the S3 proxy", e);
        }
        proxy.setExecutor(Executors.newFixedThreadPool(4));
        proxy.createContext("/", this::forward);
        proxy.start();
        config.put("quarkus.s3.endpoint-override", "http://127.0.0.1:" + proxy.getAddress().getPort());
        return config;
    }

    private void forward(HttpExchange ex) throws IOException {
        try (ex) {
            byte[] body = ex.getRequestBody().readAllBytes();
            String refuse = System.getProperty(REFUSE);
            if (refuse != null) {
                String[] statusAndCode = refuse.split(" ");
                byte[] xml = ("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>" + statusAndCode[1] + "</Code>"
                        + "<Message>refused by the test</Message><RequestId>r</RequestId></Error>").getBytes(StandardCharsets.UTF_8);
                boolean head = ex.getRequestMethod().equals("HEAD");
                ex.getResponseHeaders().add("Content-Type", "application/xml");
                if (statusAndCode.length > 2) ex.getResponseHeaders().add("Retry-After", statusAndCode[2]);
                ex.sendResponseHeaders(Integer.parseInt(statusAndCode[0]), head ? -1 : xml.length);
                if (!head) ex.getResponseBody().write(xml);
                return;
            }
            if (ex.getRequestMethod().equals("GET") && ex.getRequestURI().getRawPath().equals(System.getProperty(REPLACE_BEFORE_READ))) {
                System.clearProperty(REPLACE_BEFORE_READ);
                replace(ex.getRequestURI().getRawPath());
            }
            HttpRequest.Builder req = HttpRequest.newBuilder(target.resolve(ex.getRequestURI().getRawPath()
                    + (ex.getRequestURI().getRawQuery() == null ? "" : "?" + ex.getRequestURI().getRawQuery())))
                    .method(ex.getRequestMethod(), body.length == 0 ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofByteArray(body));
            ex.getRequestHeaders().forEach((name, values) -> {
                if (!NOT_FORWARDED.contains(name.toLowerCase(Locale.ROOT))) values.forEach(v -> req.header(name, v));
            });
            HttpResponse<byte[]> answer = client.send(req.build(), HttpResponse.BodyHandlers.ofByteArray());
            answer.headers().map().forEach((name, values) -> {
                String n = name.toLowerCase(Locale.ROOT);
                if (n.equals("etag") && System.getProperty(NO_ETAG) != null) return;
                if (!NOT_FORWARDED.contains(n) || (n.equals("content-length") && ex.getRequestMethod().equals("HEAD")))
                    ex.getResponseHeaders().put(name, List.copyOf(values));
            });
            byte[] out = answer.body();
            boolean head = ex.getRequestMethod().equals("HEAD");
            ex.sendResponseHeaders(answer.statusCode(), head || out.length == 0 ? -1 : out.length);
            if (head) return;
            OutputStream o = ex.getResponseBody();
            if (ex.getRequestMethod().equals("GET") && ex.getRequestURI().getRawPath().equals(System.getProperty(CUT_BODY))) {
                o.write(out, 0, out.length / 2);
                o.flush();
                // closing short of the announced length closes the connection: the body is cut
                return;
            }
            o.write(out);
            o.close();
            if (ex.getRequestMethod().equals("GET") && ex.getRequestURI().getRawPath().equals(System.getProperty(REPLACE_AFTER_READ))) {
                System.clearProperty(REPLACE_AFTER_READ);
                replace(ex.getRequestURI().getRawPath());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    /** Puts the object at {@code path} again with its last byte but one changed: same length, another ETag. */
    private void replace(String path) throws IOException, InterruptedException {
        byte[] bytes = client.send(HttpRequest.newBuilder(target.resolve(path)).GET().build(),
                HttpResponse.BodyHandlers.ofByteArray()).body();
        bytes[bytes.length - 2] ^= 1;
        int status = client.send(HttpRequest.newBuilder(target.resolve(path)).PUT(HttpRequest.BodyPublishers.ofByteArray(bytes))
                .build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        if (status != 200) throw new IOException("the test could not replace " + path + ": HTTP " + status);
    }

    @Override
    public void stop() {
        if (proxy != null) proxy.stop(0);
        s3.stop();
    }
}
