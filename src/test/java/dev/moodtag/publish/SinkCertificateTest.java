package dev.moodtag.publish;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManagerFactory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An https sink whose certificate does not verify answers every attempt with the same SSLHandshakeException: it was
 * retried as a dropped connection is, up to max-attempts with backoff (8 attempts and 35 s for one object with the
 * defaults), and then failed naming only the exception. It is a configuration problem no retry heals, failed at its
 * first attempt; a connection reset or closed during the handshake stays retried. Real TLS servers (the JDK's
 * HttpsServer) with certificates made by the JDK's keytool: a test CA the client trusts, and under it a good
 * certificate, an expired one and one for another host, and a self-signed one outside it.
 */
class SinkCertificateTest {

    private static final String PASSWORD = "changeit";
    private static final int ATTEMPTS = 3;
    /**
     * Room for dropped connections before the sink's refusal is read (see its test: 4 under CI's load); before the
     * refusal ended the retries, every one of them was spent.
     */
    private static final int REFUSAL_ATTEMPTS = 40;

    @TempDir
    static Path dir;

    private static SSLContext client;
    private static final Map<String, HttpsServer> SINKS = new LinkedHashMap<>();
    private static final Map<String, AtomicInteger> REQUESTS = new LinkedHashMap<>();
    private static final List<ServerSocket> RAW = new ArrayList<>();
    private static final Map<String, Integer> REFUSING = new LinkedHashMap<>();

    private static void keytool(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-storepass", PASSWORD, "-keypass", PASSWORD, "-storetype", "PKCS12"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String said = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0)
            throw new IllegalStateException("keytool " + String.join(" ", args) + ": " + said);
    }

    /** A key and a certificate for it signed by the test CA, in NAME.p12 with its chain. */
    private static void leaf(String name, String... gencertOptions) throws Exception {
        keytool("-genkeypair", "-alias", "leaf", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=" + name,
                "-keystore", name + ".p12");
        keytool("-certreq", "-alias", "leaf", "-keystore", name + ".p12", "-file", name + ".csr");
        List<String> gencert = new ArrayList<>(List.of("-gencert", "-alias", "ca", "-keystore", "ca.p12", "-infile",
                name + ".csr", "-outfile", name + ".pem", "-rfc"));
        gencert.addAll(List.of(gencertOptions));
        keytool(gencert.toArray(String[]::new));
        Files.writeString(dir.resolve(name + ".chain"), Files.readString(dir.resolve(name + ".pem"))
                + Files.readString(dir.resolve("ca.pem")));
        keytool("-importcert", "-alias", "leaf", "-keystore", name + ".p12", "-file", name + ".chain", "-noprompt");
    }

    private static SSLContext serverContext(String name) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(dir.resolve(name + ".p12"))) {
            ks.load(in, PASSWORD.toCharArray());
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, PASSWORD.toCharArray());
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(kmf.getKeyManagers(), null, null);
        return tls;
    }

    private static HttpsServer serve(String name) throws Exception {
        SSLContext tls = serverContext(name);
        HttpsServer server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 8);
        server.setHttpsConfigurator(new HttpsConfigurator(tls));
        AtomicInteger requests = new AtomicInteger();
        server.createContext("/", ex -> {
            try (ex) {
                ex.getRequestBody().readAllBytes();
                requests.incrementAndGet();
                ex.sendResponseHeaders(202, -1);
            }
        });
        server.start();
        SINKS.put(name, server);
        REQUESTS.put(name, requests);
        return server;
    }

    @BeforeAll
    static void certificatesAndSinks() throws Exception {
        keytool("-genkeypair", "-alias", "ca", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=moodtag test CA",
                "-ext", "bc:c", "-validity", "3650", "-keystore", "ca.p12");
        keytool("-exportcert", "-rfc", "-alias", "ca", "-keystore", "ca.p12", "-file", "ca.pem");
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> made = new ArrayList<>();
            made.add(pool.submit(() -> {
                leaf("good", "-ext", "SAN=ip:127.0.0.1", "-validity", "3650");
                return null;
            }));
            made.add(pool.submit(() -> {
                leaf("expired", "-ext", "SAN=ip:127.0.0.1", "-startdate", "-30d", "-validity", "1");
                return null;
            }));
            made.add(pool.submit(() -> {
                leaf("otherhost", "-ext", "SAN=dns:sink.example.org", "-validity", "3650");
                return null;
            }));
            made.add(pool.submit(() -> {
                keytool("-genkeypair", "-alias", "leaf", "-keyalg", "EC", "-groupname", "secp256r1", "-dname",
                        "CN=selfsigned", "-ext", "SAN=ip:127.0.0.1", "-keystore", "selfsigned.p12");
                return null;
            }));
            for (Future<?> f : made) f.get(120, TimeUnit.SECONDS);
        } finally {
            pool.shutdownNow();
        }
        for (String name : List.of("good", "expired", "otherhost", "selfsigned")) serve(name);
        // sinks that refuse every handshake with a fatal alert of their own, whatever the client's certificate check
        refusing("client-certificate", p -> p.setNeedClientAuth(true));
        refusing("client-certificate-tls12", p -> {
            p.setNeedClientAuth(true);
            p.setProtocols(new String[]{"TLSv1.2"});
        });
        refusing("tls12-only", p -> p.setProtocols(new String[]{"TLSv1.2"}));
        refusing("one-cipher", p -> {
            p.setProtocols(new String[]{"TLSv1.2"});
            p.setCipherSuites(new String[]{"TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384"});
        });
        KeyStore trusted = KeyStore.getInstance("PKCS12");
        trusted.load(null, null);
        try (InputStream in = Files.newInputStream(dir.resolve("ca.pem"))) {
            trusted.setCertificateEntry("ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trusted);
        client = SSLContext.getInstance("TLS");
        client.init(null, tmf.getTrustManagers(), null);
    }

    @AfterAll
    static void stopSinks() throws IOException {
        SINKS.values().forEach(s -> s.stop(0));
        for (ServerSocket s : RAW) s.close();
    }

    /** A TCP server that takes each connection, reads the start of its handshake and then does {@code end} to it. */
    private static int raw(Consumer<Socket> end) throws IOException {
        ServerSocket server = new ServerSocket(0, 8, InetAddress.getLoopbackAddress());
        RAW.add(server);
        Thread t = new Thread(() -> {
            while (!server.isClosed()) {
                try {
                    Socket s = server.accept();
                    s.getInputStream().read();
                    end.accept(s);
                } catch (IOException closed) {
                    // the test is over
                }
            }
        });
        t.setDaemon(true);
        t.start();
        return server.getLocalPort();
    }

    /**
     * A TLS sink with the good certificate whose parameters {@code tune} sets, on a blocking SSLServerSocket: it sends
     * the fatal alert that ends a failed handshake before it closes, as nginx or Envoy do (the JDK's HttpsServer closes
     * without it, which the client cannot tell from a connection cut). What gets through is answered 202.
     */
    private static void refusing(String name, Consumer<SSLParameters> tune) throws Exception {
        javax.net.ssl.SSLServerSocket server = (javax.net.ssl.SSLServerSocket) serverContext("good").getServerSocketFactory()
                .createServerSocket(0, 8, InetAddress.getLoopbackAddress());
        SSLParameters p = server.getSSLParameters();
        tune.accept(p);
        server.setSSLParameters(p);
        RAW.add(server);
        AtomicInteger requests = new AtomicInteger();
        REFUSING.put(name, server.getLocalPort());
        REQUESTS.put(name, requests);
        Thread t = new Thread(() -> {
            while (!server.isClosed()) {
                Socket accepted = null;
                try {
                    accepted = server.accept();
                    javax.net.ssl.SSLSocket s = (javax.net.ssl.SSLSocket) accepted;
                    s.startHandshake();
                    if (s.getInputStream().read() >= 0) {
                        requests.incrementAndGet();
                        s.getOutputStream().write("HTTP/1.1 202 Accepted\r\nContent-Length: 0\r\n\r\n".getBytes());
                    }
                } catch (IOException refused) {
                    // the handshake failed and its alert went to the client; or the test is over
                } finally {
                    // Closed a moment after the alert, as a server's connection is: closed at once, the client's
                    // last handshake records met a reset, which can reach it before the alert does
                    pauseThenClose(accepted);
                }
            }
        });
        t.setDaemon(true);
        t.start();
    }

    private static void pauseThenClose(Socket s) {
        if (s == null) return;
        try {
            Thread.sleep(200);
            s.close();
        } catch (IOException | InterruptedException ignored) {
            // the test is over
        }
    }

    private static CloudEventSender.Sent send(int port) throws InterruptedException {
        return send(port, client.getDefaultSSLParameters());
    }

    private static CloudEventSender.Sent send(int port, SSLParameters tls) throws InterruptedException {
        return send(port, tls, ATTEMPTS);
    }

    private static CloudEventSender.Sent send(int port, SSLParameters tls, int attempts) throws InterruptedException {
        CloudEventSender sender = new CloudEventSender(HttpClient.newBuilder().sslContext(client).sslParameters(tls)
                .connectTimeout(Duration.ofSeconds(5)).build(), URI.create("https://127.0.0.1:" + port + "/"),
                new RateLimit(1000), new Backoff(Duration.ZERO, Duration.ZERO, Duration.ZERO, () -> 0.0), attempts,
                Duration.ofSeconds(10));
        return sender.send(new CloudEventSender.Event("id-1", "t", "s", "s3://media/a.wav", "{}"), new AtomicBoolean());
    }

    @Test
    void aCertificateThatDoesNotVerifyFailsAtItsFirstAttemptNamingTheCause() throws Exception {
        assertEquals(PublishState.PUBLISHED, send(SINKS.get("good").getAddress().getPort()).state(),
                "the test CA's good certificate is trusted");
        Map<String, String> cause = Map.of("expired", "validity check failed", "otherhost", "No subject alternative names",
                "selfsigned", "unable to find valid certification path");
        for (String name : List.of("expired", "otherhost", "selfsigned")) {
            long t0 = System.nanoTime();
            CloudEventSender.Sent sent = send(SINKS.get(name).getAddress().getPort());
            double seconds = (System.nanoTime() - t0) / 1e9;
            assertEquals(PublishState.FAILED, sent.state(), name);
            assertEquals(1, sent.attempts(), name + " is not retried: " + sent.reason());
            assertTrue(sent.reason().startsWith(CloudEventSender.UNTRUSTED_CERTIFICATE), name + ": " + sent.reason());
            assertTrue(sent.reason().contains(cause.get(name)), name + ": " + sent.reason());
            assertTrue(seconds < 5, name + " took " + seconds + " s");
            assertEquals(0, REQUESTS.get(name).get(), name + ": nothing reached the sink");
        }
    }

    /**
     * A sink that ends the handshake with a fatal alert of its own (it wants a client certificate the publisher has
     * none of, or no protocol version or cipher suite is shared) answers every attempt alike: it was retried up to
     * max-attempts. Failed at the first attempt, naming the alert.
     */
    @Test
    void aFatalAlertFromTheSinkFailsAtItsFirstAttemptNamingTheAlert() throws Exception {
        SSLParameters tls13 = client.getDefaultSSLParameters();
        tls13.setProtocols(new String[]{"TLSv1.3"});
        SSLParameters otherCipher = client.getDefaultSSLParameters();
        otherCipher.setProtocols(new String[]{"TLSv1.2"});
        otherCipher.setCipherSuites(new String[]{"TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256"});
        Map<String, SSLParameters> clientSide = new LinkedHashMap<>();
        clientSide.put("client-certificate", client.getDefaultSSLParameters());
        clientSide.put("client-certificate-tls12", client.getDefaultSSLParameters());
        clientSide.put("tls12-only", tls13);
        clientSide.put("one-cipher", otherCipher);
        // the JDK's server says bad_certificate for a missing client certificate under TLS 1.3 too (others: certificate_required)
        Map<String, String> alert = Map.of("client-certificate", "bad_certificate",
                "client-certificate-tls12", "bad_certificate", "tls12-only", "protocol_version",
                "one-cipher", "handshake_failure");
        List<String> said = new ArrayList<>();
        for (var sink : clientSide.entrySet()) {
            String name = sink.getKey();
            long t0 = System.nanoTime();
            CloudEventSender.Sent sent = send(REFUSING.get(name), sink.getValue(), REFUSAL_ATTEMPTS);
            double seconds = (System.nanoTime() - t0) / 1e9;
            said.add(name + ": " + sent.state() + " after " + sent.attempts() + " attempt(s), "
                    + String.format(java.util.Locale.ROOT, "%.2f s", seconds) + ": " + sent.reason());
            assertEquals(PublishState.FAILED, sent.state(), name);
            assertEquals(0, REQUESTS.get(name).get(), name + ": nothing reached the sink");
        }
        System.out.println(String.join("\n", said));
        for (String line : said) {
            String name = line.substring(0, line.indexOf(':'));
            // Under TLS 1.2 the client can write its last handshake flight into the socket the sink closed after its
            // alert, and meet the close (a dropped connection, retried) before it reads the alert: 2 attempts in one run of
            // five alone, 4 under CI's load. What counts is that the refusal, once read, ends the retries.
            int attempts = Integer.parseInt(line.replaceAll(".* after (\\d+) attempt\\(s\\).*", "$1"));
            assertTrue(attempts < REFUSAL_ATTEMPTS, line);
            if (!name.equals("client-certificate-tls12")) assertEquals(1, attempts, line);
            assertTrue(line.contains(CloudEventSender.REFUSED_HANDSHAKE) && line.contains("Received fatal alert: "
                    + alert.get(name)), line);
        }
    }

    /**
     * TLS settings of the publisher's own that no handshake can start with (no protocol version the JDK allows, no
     * cipher suite it enables) end every attempt before a byte reaches the sink: they were retried as a dropped
     * connection is, up to max-attempts, and then said as the client's exception. Failed at the first attempt, saying
     * that the client's settings are at fault.
     */
    @Test
    void theClientsOwnTlsSettingsThatNoHandshakeCanStartWithFailAtTheFirstAttempt() throws Exception {
        Map<String, SSLParameters> settings = new LinkedHashMap<>();
        SSLParameters sslv3 = client.getDefaultSSLParameters();
        sslv3.setProtocols(new String[]{"SSLv3"}); // disabled in the JDK's java.security
        settings.put("SSLv3 only", sslv3);
        SSLParameters tls10 = client.getDefaultSSLParameters();
        tls10.setProtocols(new String[]{"TLSv1", "TLSv1.1"}); // disabled since JDK 16
        settings.put("TLS 1.0 and 1.1 only", tls10);
        SSLParameters nullCipher = client.getDefaultSSLParameters();
        nullCipher.setProtocols(new String[]{"TLSv1.2"});
        nullCipher.setCipherSuites(new String[]{"TLS_RSA_WITH_NULL_SHA256"}); // supported, disabled by default
        settings.put("a NULL cipher suite only", nullCipher);
        SSLParameters tls13WithTls12Cipher = client.getDefaultSSLParameters();
        tls13WithTls12Cipher.setProtocols(new String[]{"TLSv1.3"});
        tls13WithTls12Cipher.setCipherSuites(new String[]{"TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"});
        settings.put("TLS 1.3 with a TLS 1.2 cipher suite only", tls13WithTls12Cipher);
        int port = SINKS.get("good").getAddress().getPort(), before = REQUESTS.get("good").get();
        List<String> said = new ArrayList<>();
        for (var s : settings.entrySet()) {
            CloudEventSender.Sent sent = send(port, s.getValue());
            said.add(s.getKey() + ": " + sent.state() + " after " + sent.attempts() + " attempt(s): " + sent.reason());
        }
        System.out.println(String.join("\n", said));
        for (String line : said) {
            assertTrue(line.contains(": FAILED after 1 attempt(s): " + CloudEventSender.CLIENT_TLS_SETTINGS
                    + "No appropriate protocol"), line);
            assertTrue(line.contains("not retried") && !line.contains("gave up"), line);
        }
        assertEquals(before, REQUESTS.get("good").get(), "nothing reached the sink");
    }

    /**
     * A connection reset, or closed, in the middle of the handshake (a restarting ingress, a proxy cutting it) is the
     * same SSLHandshakeException ("Remote host terminated the handshake"), with no certificate behind it: retried.
     */
    @Test
    void aHandshakeCutShortIsRetried() throws Exception {
        int reset = raw(s -> {
            try {
                s.setSoLinger(true, 0);
                s.close();
            } catch (IOException ignored) {
                // already gone
            }
        });
        int closed = raw(s -> {
            try {
                s.close();
            } catch (IOException ignored) {
                // already gone
            }
        });
        for (int port : new int[]{reset, closed}) {
            CloudEventSender.Sent sent = send(port);
            assertEquals(PublishState.FAILED, sent.state());
            assertEquals(ATTEMPTS, sent.attempts(), "retried: " + sent.reason());
            // in words with the sink, where it was the client's class: "last: SSLHandshakeException: Remote host ..."
            assertTrue(sent.reason().startsWith("gave up after " + ATTEMPTS + " attempt(s); last: the TLS handshake with"
                    + " 127.0.0.1:" + port + " was cut short"), sent.reason());
            assertFalse(sent.reason().contains("Exception"), sent.reason());
            assertFalse(sent.reason().contains(CloudEventSender.UNTRUSTED_CERTIFICATE), sent.reason());
        }
    }

    /** Told by the cause chain, however it is nested; an SSL failure without a certificate behind it is not one. */
    @Test
    void theCauseChainDecides() {
        Map<IOException, Boolean> grid = new LinkedHashMap<>();
        grid.put(new SSLHandshakeException("Remote host terminated the handshake"), false);
        SSLHandshakeException reset = new SSLHandshakeException("Remote host terminated the handshake");
        reset.initCause(new SocketException("Connection reset"));
        grid.put(reset, false);
        grid.put(new SSLException("Received fatal alert: handshake_failure"), false);
        grid.put(new IOException("certificate", new CertificateExpiredException("NotAfter")), false); // no SSL failure
        SSLHandshakeException expired = new SSLHandshakeException("PKIX path validation failed");
        expired.initCause(new CertPathValidatorException("validity check failed"));
        grid.put(expired, true);
        SSLHandshakeException deep = new SSLHandshakeException(null);
        deep.initCause(new RuntimeException(new RuntimeException(new CertificateExpiredException("NotAfter"))));
        grid.put(deep, true);
        grid.put(new IOException("wrapped", expired), true);
        IOException cycle = new IOException("a");
        IOException b = new IOException("b", cycle);
        cycle.initCause(b);
        grid.put(cycle, false);
        grid.forEach((e, untrusted) -> {
            Optional<String> said = CloudEventSender.untrustedCertificate(e);
            assertEquals(untrusted, said.isPresent(), e + " caused by " + e.getCause());
            said.ifPresent(s -> assertFalse(s.isBlank(), "names the cause: " + e));
        });
        // a received alert refuses for good only where it says the two sides' settings do not fit
        Map<IOException, Boolean> alerts = new LinkedHashMap<>();
        alerts.put(new SSLHandshakeException("Received fatal alert: handshake_failure"), true);
        alerts.put(new SSLException("Received fatal alert: certificate_required"), true);
        alerts.put(new IOException("wrapped", new SSLHandshakeException("Received fatal alert: protocol_version")), true);
        alerts.put(new SSLException("Received fatal alert: internal_error"), false); // the sink's own failure: retried
        alerts.put(new SSLException("Received fatal alert: bad_record_mac"), false); // damaged on the way
        alerts.put(new SSLException("Received fatal alert: "), false);
        alerts.put(new SSLException((String) null), false);
        alerts.put(new SSLHandshakeException("Remote host terminated the handshake"), false);
        alerts.put(new IOException("Received fatal alert: handshake_failure"), false); // not said by TLS
        alerts.put(cycle, false);
        alerts.forEach((e, refused) -> assertEquals(refused, CloudEventSender.refusedHandshake(e).isPresent(),
                e + " caused by " + e.getCause()));
        // the client's own settings: only the JDK's words for them, however nested; a cut handshake is not one
        Map<IOException, Boolean> own = new LinkedHashMap<>();
        own.put(new SSLHandshakeException("No appropriate protocol (protocol is disabled or cipher suites are inappropriate)"), true);
        own.put(new IOException("wrapped", new SSLHandshakeException("No appropriate protocol")), true);
        own.put(new SSLHandshakeException("Remote host terminated the handshake"), false);
        own.put(new IOException("No appropriate protocol"), false); // not said by TLS
        own.put(new SSLException((String) null), false);
        own.put(cycle, false);
        own.forEach((e, ownSettings) -> assertEquals(ownSettings, CloudEventSender.clientTlsSettings(e).isPresent(),
                e + " caused by " + e.getCause()));
    }
}
