package dev.moodtag.publish;

import dev.moodtag.storage.LocalFailures;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.UnresolvedAddressException;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;

/**
 * Sends one CloudEvent in binary mode (attributes as {@code ce-*} headers, data as the JSON body), the mode a Knative
 * Broker's ingress and the function both take, and retries it until the sink acknowledges (2xx), refuses it for good,
 * or the attempts run out. Retried: 404, 408, 409, 429, 5xx and connection errors or timeouts; anything else is
 * permanent, and so is a sink whose certificate does not verify or that ends the handshake with a fatal alert saying
 * the two sides' TLS settings do not fit. An answer is read no further than the publisher needs
 * it: its status, and the start of its body for a refusal's reason, within the request timeout. A stop ends the wait
 * for an answer as it ends the waits between attempts.
 */
final class CloudEventSender {

    /** How one event's sending ended. */
    record Sent(PublishState state, Integer httpStatus, int attempts, String reason) {
    }

    /** The CloudEvent: attributes and data. */
    record Event(String id, String type, String source, String subject, String jsonData) {
    }

    private static final int MAX_BODY_IN_REASON = 300;

    /**
     * The most of an answer's body read: {@link #MAX_BODY_IN_REASON} characters of UTF-8 after its white space is
     * folded, with room to spare (a Broker's 202 has none, the function's answer a few hundred bytes, read to its end
     * so that the connection is kept). The body was read whole into a String, so a sink (or a proxy in front of it)
     * answering with hundreds of megabytes held them per event in flight, with eight in flight enough to end the publish.
     */
    static final int MAX_BODY_BYTES = 4096;

    static final String STOPPED_BEFORE_SENT = "publish stopped before it was sent; run it again to continue";
    /**
     * The request was cancelled unanswered: the sink may have taken the event or not. It is not recorded as
     * acknowledged, so a rerun sends it again with the same id, which the function's skip-if-done makes harmless.
     */
    static final String STOPPED_IN_FLIGHT = "publish stopped while the event was in flight, not known to have arrived; "
            + "run it again to send it again (same id)";
    static final String UNTRUSTED_CERTIFICATE = "the sink's certificate is not trusted: ";
    static final String REFUSED_HANDSHAKE = "the sink refused the TLS handshake: ";
    static final String CLIENT_TLS_SETTINGS = "the publisher's own TLS settings start no handshake: ";

    private final HttpClient client;
    private final URI sink;
    private final RateLimit rate;
    private final Backoff backoff;
    private final int maxAttempts;
    private final Duration requestTimeout;

    CloudEventSender(HttpClient client, URI sink, RateLimit rate, Backoff backoff, int maxAttempts, Duration requestTimeout) {
        this.client = client;
        this.sink = sink;
        this.rate = rate;
        this.backoff = backoff;
        this.maxAttempts = maxAttempts;
        this.requestTimeout = requestTimeout;
    }

    /**
     * A header value as CloudEvents' HTTP binding (3.1.3.2) encodes it: space, double quote, percent and every
     * character outside U+0021-U+007E as percent-encoded UTF-8, nothing else. The HTTP client refuses anything above
     * U+00FF with an IllegalArgumentException, so one key such as {@code s3://media/会議.wav} ended the whole publish
     * run; a space or a quote sent as it was is cut from the ends or unquoted by a receiver. The event's data keeps
     * the name as it is.
     */
    static String asciiHeaderValue(String value) {
        StringBuilder out = new StringBuilder(value.length());
        for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (c > 0x20 && c < 0x7f && c != '%' && c != '"') out.append((char) c);
            else out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                    .append(Character.toUpperCase(Character.forDigit(c & 15, 16)));
        }
        return out.toString();
    }

    Sent send(Event event, AtomicBoolean stop) throws InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(sink).timeout(requestTimeout)
                .header("Content-Type", "application/json")
                .header("ce-specversion", "1.0")
                // The type and source are configured (moodtag.publish.event-type, event-source): one with a character
                // the client refuses in a header threw in every sending thread and ended the publish at its first event
                .header("ce-id", asciiHeaderValue(event.id()))
                .header("ce-type", asciiHeaderValue(event.type()))
                .header("ce-source", asciiHeaderValue(event.source()))
                .header("ce-subject", asciiHeaderValue(event.subject()))
                .POST(HttpRequest.BodyPublishers.ofString(event.jsonData(), StandardCharsets.UTF_8)).build();
        Integer lastStatus = null;
        String lastProblem = null;
        for (int attempt = 1; attempt <= maxAttempts; attempt++) {
            if (!rate.acquire(stop)) return stopped(attempt - 1, lastStatus, lastProblem);
            Optional<Duration> retryAfter = Optional.empty();
            try {
                Answer answer = exchange(request, stop);
                int status = answer.status();
                lastStatus = status;
                if (status >= 200 && status < 300) return new Sent(PublishState.PUBLISHED, status, attempt, null);
                lastProblem = "HTTP " + status + bodyNote(answer.bodyStart());
                if (!retryable(status)) return new Sent(PublishState.FAILED, status, attempt,
                        "the sink refused the event for good: " + lastProblem);
                retryAfter = Backoff.retryAfter(answer.headers(), Instant.now());
            } catch (StoppedInFlight e) {
                return new Sent(PublishState.FAILED, null, attempt, STOPPED_IN_FLIGHT);
            } catch (IOException e) {
                Optional<String> untrusted = untrustedCertificate(e);
                // Every attempt meets the same certificate: up to max-attempts handshakes and their backoffs (35 s with
                // the defaults) bought nothing but a later failure. The trust store or the URL must change.
                if (untrusted.isPresent()) return new Sent(PublishState.FAILED, null, attempt, UNTRUSTED_CERTIFICATE
                        + untrusted.get() + " (" + sink + "; not retried: no attempt gets past it until the sink's "
                        + "certificate, the JVM's trust store or the URL changes)");
                // Nor past the client's own settings: no TLS version or cipher suite it may use, found before a byte is sent
                Optional<String> unusable = clientTlsSettings(e);
                if (unusable.isPresent()) return new Sent(PublishState.FAILED, null, attempt, CLIENT_TLS_SETTINGS
                        + unusable.get() + " (" + sink + "; not retried: the JVM's TLS settings, jdk.tls.client.protocols, "
                        + "jdk.tls.disabledAlgorithms in java.security or the client's SSL parameters, leave no TLS version "
                        + "and cipher suite to offer; nothing was sent)");
                // The same for an alert the sink sends: it answers every attempt alike until one side's TLS setup changes
                Optional<String> refused = refusedHandshake(e);
                if (refused.isPresent()) return new Sent(PublishState.FAILED, null, attempt, REFUSED_HANDSHAKE
                        + refused.get() + " (" + sink + "; not retried: every attempt meets the same refusal until the "
                        + "sink's or the JVM's TLS settings change)");
                // Nothing came back: the event may or may not have arrived. Sent again with the same id; the
                // function's skip-if-done makes a second delivery of an event it handled harmless.
                lastStatus = null;
                lastProblem = problem(e);
            }
            if (attempt == maxAttempts)
                return new Sent(PublishState.FAILED, lastStatus, attempt, "gave up after " + attempt + " attempt(s); last: "
                        + lastProblem);
            if (!Pause.sleep(backoff.after(attempt, retryAfter).toNanos(), stop)) return stopped(attempt, lastStatus, lastProblem);
        }
        throw new IllegalStateException("unreachable: maxAttempts " + maxAttempts);
    }

    /** What the publisher reads of an answer: its status and headers, and the start of its body. */
    private record Answer(int status, HttpHeaders headers, String bodyStart) {
    }

    /**
     * One attempt, its answer read within {@link #requestTimeout} from the request's start. The client's own timeout
     * ends only the wait for the status line and headers: a sink that then dripped its body a byte at a time held the
     * event (and, at its end, the publish) for as long as it dripped. A sink whose headers came in time and whose body
     * did not is answered by its status, with the body read so far. A stop cancels the request (its connection or
     * stream closed) within {@link Pause#LOOK_NANOS}: the wait was the request timeout's alone, so after Ctrl-C a sink
     * that took its time (the function as the sink answers when the object is tagged) held the publish for up to the
     * timeout, 5 minutes by default.
     *
     * @throws StoppedInFlight stopped before the status came: the event may or may not have arrived
     */
    private Answer exchange(HttpRequest request, AtomicBoolean stop) throws IOException, InterruptedException, StoppedInFlight {
        AtomicReference<BodyStart> reading = new AtomicReference<>();
        CompletableFuture<HttpResponse<String>> answer = client.sendAsync(request, info -> {
            BodyStart body = new BodyStart(info, MAX_BODY_BYTES);
            reading.set(body);
            return body;
        });
        boolean endless = requestTimeout.compareTo(Backoff.LONGEST) > 0;
        long deadline = System.nanoTime() + (endless ? 0 : requestTimeout.toNanos());
        try {
            while (true) {
                if (stop.get()) {
                    answer.cancel(true);
                    BodyStart body = reading.get();
                    if (body == null) throw new StoppedInFlight();
                    // The status came (a 2xx: the sink has the event); the body is what the stop leaves unread
                    return new Answer(body.info.statusCode(), body.info.headers(), body.end());
                }
                long left = endless ? Pause.LOOK_NANOS : deadline - System.nanoTime();
                try {
                    HttpResponse<String> r = answer.get(Math.max(0, Math.min(left, Pause.LOOK_NANOS)), TimeUnit.NANOSECONDS);
                    return new Answer(r.statusCode(), r.headers(), r.body());
                } catch (TimeoutException e) {
                    if (endless || deadline - System.nanoTime() > 0) continue;
                    answer.cancel(true);
                    BodyStart body = reading.get();
                    if (body == null) throw new HttpTimeoutException("no answer within the request timeout " + shown(requestTimeout));
                    return new Answer(body.info.statusCode(), body.info.headers(), body.end());
                }
            }
        } catch (InterruptedException e) {
            answer.cancel(true);
            throw e;
        } catch (ExecutionException e) {
            // Reading no more of a body cancels its HTTP/2 stream, which the client may report as the exchange's failure
            // ("Stream 59 cancelled", h2c with the function as the sink): the status and what was read stand.
            BodyStart body = reading.get();
            if (body != null && body.ended()) return new Answer(body.info.statusCode(), body.info.headers(), body.end());
            // As HttpClient.send rethrows them: an IOException (connection, timeout) is the attempt's, others are bugs
            if (e.getCause() instanceof IOException io) throw io;
            if (e.getCause() instanceof RuntimeException re) throw re;
            throw new IllegalStateException(e.getCause());
        }
    }

    /** A stop came while an attempt waited for its status: the request is cancelled. */
    private static final class StoppedInFlight extends Exception {
        StoppedInFlight() {
            super(null, null, false, false);
        }
    }

    /**
     * The start of an answer's body, up to {@code limit} bytes, and then no more: the rest is not read (the connection
     * (its connection or stream closed instead), however much the sink sends and however slowly.
     */
    private static final class BodyStart implements HttpResponse.BodySubscriber<String> {
        final HttpResponse.ResponseInfo info;
        private final int limit;
        private final ByteArrayOutputStream kept = new ByteArrayOutputStream();
        private final CompletableFuture<String> body = new CompletableFuture<>();
        private volatile Flow.Subscription subscription;
        private volatile boolean ended;

        BodyStart(HttpResponse.ResponseInfo info, int limit) {
            this.info = info;
            this.limit = limit;
        }

        @Override
        public void onSubscribe(Flow.Subscription s) {
            subscription = s;
            s.request(1);
        }

        @Override
        public void onNext(List<ByteBuffer> buffers) {
            boolean full;
            synchronized (kept) {
                for (ByteBuffer b : buffers) {
                    byte[] part = new byte[Math.min(b.remaining(), limit - kept.size())];
                    b.get(part);
                    kept.write(part, 0, part.length);
                }
                full = kept.size() >= limit;
            }
            if (full) end();
            else subscription.request(1);
        }

        @Override
        public void onError(Throwable t) {
            finish(); // the status came; a body cut short by the sink still tells what it had said so far
        }

        @Override
        public void onComplete() {
            finish();
        }

        /** Reads no more of the body: what was read so far. */
        String end() {
            ended = true;
            Flow.Subscription s = subscription;
            if (s != null) s.cancel();
            return finish();
        }

        /** Whether the body was left unread past its start (its limit or the request timeout). */
        boolean ended() {
            return ended;
        }

        private String finish() {
            synchronized (kept) {
                body.complete(kept.toString(StandardCharsets.UTF_8));
            }
            return body.join();
        }

        @Override
        public CompletionStage<String> getBody() {
            return body;
        }
    }

    /**
     * What an attempt's failure says for the reason, in words with the sink's host and port: the client's exception
     * was shown by its class ("ConnectException", "HttpTimeoutException: ...", "SSLHandshakeException: Remote host
     * terminated the handshake"), which names no reason a user can act on, and its ConnectException has no message
     * (nor has its cause), which left a user to guess between a host that does not resolve and a port nobody listens
     * on. The exception's own message is kept where it adds facts.
     */
    String problem(IOException e) {
        String at = sink.getHost() + ":" + port(sink);
        // Retried as before: a Knative Broker's ingress name can resolve only a little after the Broker is created,
        // and nothing here tells that from a misspelt host, so the attempts run out either way; the reason names it.
        if (causedBy(e, UnresolvedAddressException.class).isPresent() || causedBy(e, UnknownHostException.class).isPresent())
            return "the sink's host name " + sink.getHost() + " does not resolve (not yet in DNS, or misspelt)";
        if (e instanceof HttpConnectTimeoutException)
            return "no connection to " + at + " within " + client.connectTimeout().map(CloudEventSender::shown)
                    .orElse("the connect timeout") + " (moodtag.publish.connect-timeout)";
        if (e instanceof HttpTimeoutException)
            return "no answer from " + at + " within " + shown(requestTimeout) + " (moodtag.publish.request-timeout)";
        if (e instanceof ConnectException) {
            // The client's ConnectException carries no words of its own, nor its ClosedChannelException cause, where
            // the connection was refused; a cause that has words ("No route to host") says what else it was.
            Optional<String> words = messageIn(e);
            return words.map(w -> "cannot connect to " + at + ": " + w).orElse("the connection to " + at
                    + " was refused (nothing listens on that port, or a firewall turns it away)");
        }
        if (e instanceof SSLHandshakeException) {
            Optional<String> words = messageIn(e);
            // an alert left retried (a damaged record, the sink's internal_error) is the sink's word, not a cut
            if (words.isPresent() && words.get().startsWith(RECEIVED_ALERT))
                return "the sink ended the TLS handshake with " + at + ": " + words.get();
            return "the TLS handshake with " + at + " was cut short" + words.map(m -> " (" + m + ")").orElse("");
        }
        if (e instanceof SSLException)
            return "the TLS connection to " + at + " failed" + messageIn(e).map(m -> ": " + m).orElse("");
        return "the exchange with " + at + " ended without an answer it could read: "
                + messageIn(e).orElseGet(() -> e instanceof java.io.EOFException ? "the connection was closed before it"
                + " came" : LocalFailures.typeInWords(e));
    }

    /**
     * The first message that {@code e} or one of its causes gives, for what it adds to a reason said in words; a
     * message that is only its cause's {@code toString()} (as {@code new IOException(cause)} makes it, a class name
     * first) is passed over for the cause's own.
     */
    private static Optional<String> messageIn(Throwable e) {
        int depth = 0;
        for (Throwable t = e; t != null && depth < 16; t = t.getCause() == t ? null : t.getCause(), depth++) {
            String m = t.getMessage();
            if (m != null && !m.isBlank() && !(t.getCause() != null && m.equals(t.getCause().toString())))
                return Optional.of(m.strip());
        }
        return Optional.empty();
    }

    /** "10 s", "500 ms", "5 min": a timeout as a person reads it, where its ISO form ("PT5M") was shown. */
    static String shown(Duration d) {
        if (d.toMillis() % 60_000 == 0 && d.toMinutes() > 0) return d.toMinutes() + " min";
        if (d.toMillis() % 1000 == 0) return d.toSeconds() + " s";
        return d.toMillis() + " ms";
    }

    private static int port(URI uri) {
        return uri.getPort() >= 0 ? uri.getPort() : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
    }

    /**
     * Why the sink's certificate did not verify (not trusted, expired, another host's), if that is what ended the
     * handshake. Told apart by the cause, not by SSLHandshakeException itself, which the client also throws for a
     * connection reset or closed during the handshake ("Remote host terminated the handshake"): that one is transient
     * (a restarting ingress, a proxy's idle cut) and stays retried, where no attempt gets past a certificate the JVM
     * does not trust.
     */
    static Optional<String> untrustedCertificate(IOException e) {
        Optional<Throwable> ssl = causedBy(e, SSLException.class);
        if (ssl.isEmpty()) return Optional.empty();
        Optional<Throwable> cert = causedBy(e, CertificateException.class)
                .or(() -> causedBy(e, CertPathValidatorException.class))
                .or(() -> causedBy(e, CertPathBuilderException.class));
        // The handshake's own words name the check that failed ("PKIX path validation failed: ... validity check")
        return cert.map(c -> ssl.get().getMessage() != null ? ssl.get().getMessage()
                : c.getMessage() != null ? c.getMessage() : LocalFailures.typeInWords((Exception) c));
    }

    /**
     * The fatal alerts a sink ends a handshake with when the two sides' TLS settings do not fit, with what each means
     * for whoever fixes them. Left out, and so retried: those that say a record was damaged on the way or the sink
     * failed within (bad_record_mac, decode_error, decrypt_error, internal_error), and the closing ones.
     */
    private static final Map<String, String> SETUP_ALERTS = Map.ofEntries(
            Map.entry("handshake_failure", "no cipher suite or key exchange both sides take"),
            Map.entry("protocol_version", "no TLS version both sides take"),
            Map.entry("insufficient_security", "the sink wants stronger cipher suites than were offered"),
            Map.entry("bad_certificate", "the sink wants a client certificate it accepts (none or another was sent)"),
            Map.entry("certificate_required", "the sink wants a client certificate and none was sent"),
            Map.entry("unsupported_certificate", "the sink does not take the client certificate's type"),
            Map.entry("certificate_revoked", "the client certificate is revoked"),
            Map.entry("certificate_expired", "the client certificate has expired"),
            Map.entry("certificate_unknown", "the sink does not accept the client certificate"),
            Map.entry("unknown_ca", "the sink does not trust the client certificate's issuer"),
            Map.entry("access_denied", "the sink denies this client"),
            Map.entry("unrecognized_name", "the sink serves no such host name (SNI)"),
            Map.entry("no_application_protocol", "no application protocol (ALPN) both sides take"),
            Map.entry("illegal_parameter", "the sink refused a parameter of the client's hello"),
            Map.entry("missing_extension", "the sink wants a TLS extension the client did not send"),
            Map.entry("unsupported_extension", "the sink refused a TLS extension the client sent"));

    private static final String RECEIVED_ALERT = "Received fatal alert: ";

    /**
     * What the JDK's client says, before it sends its hello, when its own settings leave no protocol version with a
     * cipher suite it may use (protocols disabled in java.security, or cipher suites none of which fits them). The
     * exception's type is the one a handshake cut short gives too, which is retried; the words are the JDK's own.
     */
    private static final String NO_APPROPRIATE_PROTOCOL = "No appropriate protocol";

    /** The client's reason, if its own TLS settings ended the handshake before it began ({@link #NO_APPROPRIATE_PROTOCOL}). */
    static Optional<String> clientTlsSettings(IOException e) {
        int depth = 0;
        for (Throwable t = e; t != null && depth < 16; t = t.getCause() == t ? null : t.getCause(), depth++)
            if (t instanceof SSLException && t.getMessage() != null && t.getMessage().startsWith(NO_APPROPRIATE_PROTOCOL))
                return Optional.of(t.getMessage());
        return Optional.empty();
    }

    /**
     * The fatal alert the sink ended the handshake with, and what it means, if it is one that says the two sides' TLS
     * settings do not fit ({@link #SETUP_ALERTS}). The JDK names a received alert only in the message ("Received fatal
     * alert: protocol_version"); the exception's type is the one a connection cut during the handshake gives too.
     */
    static Optional<String> refusedHandshake(IOException e) {
        int depth = 0;
        for (Throwable t = e; t != null && depth < 16; t = t.getCause() == t ? null : t.getCause(), depth++) {
            if (!(t instanceof SSLException) || t.getMessage() == null || !t.getMessage().startsWith(RECEIVED_ALERT))
                continue;
            String alert = t.getMessage().substring(RECEIVED_ALERT.length()).strip();
            String meaning = SETUP_ALERTS.get(alert);
            if (meaning != null) return Optional.of(RECEIVED_ALERT + alert + ": " + meaning);
        }
        return Optional.empty();
    }

    /** The first of {@code e} and its causes that is a {@code kind}. */
    private static Optional<Throwable> causedBy(Throwable e, Class<? extends Throwable> kind) {
        int depth = 0;
        for (Throwable t = e; t != null && depth < 16; t = t.getCause() == t ? null : t.getCause(), depth++)
            if (kind.isInstance(t)) return Optional.of(t);
        return Optional.empty();
    }

    /** Not published: stopped before the first attempt, or between attempts (then the last answer is the reason's). */
    private static Sent stopped(int attempts, Integer lastStatus, String lastProblem) {
        return new Sent(PublishState.FAILED, lastStatus, attempts, attempts == 0 ? STOPPED_BEFORE_SENT
                : "publish stopped while retrying; last: " + lastProblem);
    }

    /**
     * The Knative Eventing data-plane contract's retries (404: the endpoint is not there yet, a Broker still being
     * made ready; 409: the event is still being processed; 429; 5xx), and 408, a timeout in the sink's own words.
     */
    static boolean retryable(int status) {
        return status == 404 || status == 409 || status == 429 || status == 408 || status >= 500;
    }

    private static String bodyNote(String body) {
        if (body == null || body.isBlank()) return "";
        String b = body.strip().replaceAll("\\s+", " ");
        return " (" + (b.length() > MAX_BODY_IN_REASON ? b.substring(0, MAX_BODY_IN_REASON) + "…" : b) + ")";
    }
}
