package dev.moodtag.storage;

import dev.moodtag.storage.StorageException.Kind;
import dev.moodtag.support.S3Uri;
import dev.moodtag.support.SettingOutOfRange;
import dev.moodtag.support.SettingRange;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import software.amazon.awssdk.awscore.AwsRequestOverrideConfiguration;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.EncodingType;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * S3-compatible storage through the AWS SDK v2 client of the Quarkus Amazon S3 extension ({@code quarkus.s3.*}:
 * region, credentials, endpoint override for MinIO and others, path-style access). Only the buckets in
 * {@code moodtag.storage.s3.buckets} are reachable. The client is created on first use, so a process that serves
 * only the filesystem (or runs a CLI command) never needs S3 credentials.
 */
@ApplicationScoped
public class S3ObjectStorage implements ObjectStorage {

    private static final Logger LOG = Logger.getLogger(S3ObjectStorage.class);

    /** The SDK's defaults wait on a frozen endpoint for minutes (30 s socket timeout, three attempts). */
    public static final Duration DEFAULT_CALL_TIMEOUT = Duration.ofSeconds(20), DEFAULT_ATTEMPT_TIMEOUT = Duration.ofSeconds(5),
            DEFAULT_READ_TIMEOUT = Duration.ofMinutes(10);

    private final Set<String> buckets;
    private final Optional<URI> endpoint;
    private final Supplier<S3Client> client;
    /**
     * Applied to every request, so that each call is bounded whatever client the extension built, and no retry within
     * it waits out a Retry-After that outlasts it ({@link RetryAfterLimit}).
     */
    private final Consumer<AwsRequestOverrideConfiguration.Builder> timeouts;
    /** Longest the body of one read may take once its answer came, which the SDK's timeouts do not bound. */
    private final Duration readTimeout;

    @Inject
    public S3ObjectStorage(StorageConfig config, Instance<S3Client> client,
                           @ConfigProperty(name = "quarkus.s3.endpoint-override") Optional<URI> endpoint) {
        this(config.s3().buckets().orElse(List.of()), endpoint, client::get, config.s3().callTimeout(),
                config.s3().attemptTimeout(), config.s3().readTimeout());
    }

    public S3ObjectStorage(List<String> buckets, Optional<URI> endpoint, Supplier<S3Client> client) {
        this(buckets, endpoint, client, DEFAULT_CALL_TIMEOUT, DEFAULT_ATTEMPT_TIMEOUT);
    }

    public S3ObjectStorage(List<String> buckets, Optional<URI> endpoint, Supplier<S3Client> client,
                           Duration callTimeout, Duration attemptTimeout) {
        this(buckets, endpoint, client, callTimeout, attemptTimeout, DEFAULT_READ_TIMEOUT);
    }

    public S3ObjectStorage(List<String> buckets, Optional<URI> endpoint, Supplier<S3Client> client,
                           Duration callTimeout, Duration attemptTimeout, Duration readTimeout) {
        checkSettings(callTimeout, attemptTimeout, readTimeout);
        this.readTimeout = readTimeout;
        this.buckets = Set.copyOf(buckets);
        this.endpoint = endpoint;
        this.client = client;
        RetryAfterLimit retryAfter = new RetryAfterLimit(callTimeout);
        this.timeouts = o -> o.apiCallTimeout(callTimeout).apiCallAttemptTimeout(attemptTimeout).addPlugin(retryAfter);
    }

    /** The longest S3 timeout: an answer not come within a day is not coming, and there is no unlimited. */
    public static final Duration MAX_TIMEOUT = Duration.ofDays(1);

    /**
     * At start, where the function checks its settings, and whenever the store is built (on its first use by a
     * command).
     *
     * @throws SettingOutOfRange naming each timeout out of its range
     */
    public static void checkSettings(StorageConfig config) {
        checkSettings(config.s3().callTimeout(), config.s3().attemptTimeout(), config.s3().readTimeout());
    }

    private static void checkSettings(Duration callTimeout, Duration attemptTimeout, Duration readTimeout) {
        // The SDK refuses a timeout that is not positive on every call, and each event was then answered as a storage
        // failure that retrying cannot fix: the events were lost. One past a long's milliseconds (call and attempt) or
        // nanoseconds (read) threw ArithmeticException in every call. Both were refused as an IllegalArgumentException
        // naming all three keys, which the function called "model pack failed to load" and a command a refused input.
        List<String> wrong = new ArrayList<>();
        for (Map.Entry<String, Duration> t : List.of(Map.entry("call-timeout", callTimeout),
                Map.entry("attempt-timeout", attemptTimeout), Map.entry("read-timeout", readTimeout)))
            SettingRange.positiveAtMost("moodtag.storage.s3." + t.getKey(), t.getValue(), MAX_TIMEOUT).ifPresent(wrong::add);
        if (!wrong.isEmpty()) throw new SettingOutOfRange(String.join("; ", wrong));
    }

    @Override
    public ObjectRef.Scheme scheme() {
        return ObjectRef.Scheme.S3;
    }

    @Override
    public boolean configured() {
        return !buckets.isEmpty();
    }

    @Override
    public ObjectRef confine(ObjectRef ref) {
        if (ref.scheme() != ObjectRef.Scheme.S3) throw new IllegalArgumentException("not an S3 reference: " + ref);
        if (!buckets.contains(ref.container()))
            throw new StorageException(Kind.NOT_ALLOWED, "bucket '" + ref.container()
                    + "' is not configured (moodtag.storage.s3.buckets)");
        // S3 counts UTF-8 bytes: counted in characters, a result key of 2-byte characters passed this check (made
        // before tagging) and S3 refused its write only after the whole tagging, on every run
        int keyBytes = ref.key().getBytes(StandardCharsets.UTF_8).length;
        if (keyBytes == 0 || keyBytes > S3Uri.MAX_KEY_BYTES)
            throw new StorageException(Kind.NOT_ALLOWED, "an S3 key must have 1 to " + S3Uri.MAX_KEY_BYTES
                    + " UTF-8 bytes" + (keyBytes == 0 ? "" : "; this one has " + keyBytes));
        int half = S3Uri.halfSurrogateAt(ref.key());
        if (half >= 0)
            throw new StorageException(Kind.NOT_ALLOWED, "an S3 key must be Unicode text: this one holds half a surrogate "
                    + "pair at character " + half + ", which would be sent as '?' and name another object");
        for (String segment : ref.key().split("/")) {
            // S3 itself has no folders, but keys with '..' become paths on the filesystem of anyone who syncs the bucket.
            if (segment.equals("..")) throw new StorageException(Kind.NOT_ALLOWED, ref.uri() + " contains '..'");
        }
        return ref;
    }

    /**
     * The reference of an {@code http(s)://} object URL, accepted only when it points at the configured endpoint
     * (path style: {@code <endpoint>/<bucket>/<key>}). Any other host is refused: an event must not make the
     * function fetch an arbitrary URL.
     */
    public ObjectRef refForUrl(URI url) {
        if (endpoint.isEmpty() || !sameOrigin(url, endpoint.get()))
            throw new StorageException(Kind.NOT_ALLOWED, "endpoint " + url.getScheme() + "://" + url.getAuthority()
                    + " is not the configured S3 endpoint (quarkus.s3.endpoint-override)");
        // An endpoint with a path of its own (behind a proxy at /s3) names only what is below it: cut by its length
        // alone, /xx/media/k was taken for s3://media/k.
        String base = Optional.ofNullable(endpoint.get().getRawPath()).orElse("").replaceAll("/+$", "");
        String raw = Optional.ofNullable(url.getRawPath()).orElse("");
        if (!raw.startsWith(base + "/"))
            throw new StorageException(Kind.NOT_ALLOWED, url + " is not below the S3 endpoint's path " + base + "/");
        String path = raw.substring(base.length() + 1);
        int slash = path.indexOf('/');
        if (slash <= 0 || slash == path.length() - 1)
            throw new StorageException(Kind.NOT_ALLOWED, "expected <endpoint>/<bucket>/<key>, got " + url);
        String key;
        try {
            key = S3Uri.decodeKey(path.substring(slash + 1), false);
        } catch (IllegalArgumentException e) {
            throw new StorageException(Kind.NOT_ALLOWED, url + ": " + e.getMessage());
        }
        return confine(ObjectRef.s3(path.substring(0, slash), key));
    }

    private static boolean sameOrigin(URI a, URI b) {
        return a.getScheme() != null && a.getScheme().equalsIgnoreCase(b.getScheme())
                && a.getHost() != null && a.getHost().equalsIgnoreCase(b.getHost()) && port(a) == port(b);
    }

    private static int port(URI u) {
        return u.getPort() >= 0 ? u.getPort() : "https".equals(u.getScheme().toLowerCase(Locale.ROOT)) ? 443 : 80;
    }

    @Override
    public Optional<ObjectInfo> stat(ObjectRef ref) {
        confine(ref);
        try {
            HeadObjectResponse h = request("stat", ref, c -> c.headObject(b -> b.overrideConfiguration(timeouts)
                    .bucket(ref.container()).key(ref.key())));
            // S3 always sends one: an answer without it was cut within its headers (unboxed, it was an internal error).
            // A negative one is no length either: taken for the size, it was the "unknown" of a read that then could
            // not tell a body of unannounced length cut short from the whole object.
            if (h.contentLength() == null || h.contentLength() < 0)
                throw new StorageException(Kind.UNAVAILABLE, "cannot stat " + ref.uri() + ": the answer has "
                        + (h.contentLength() == null ? "no Content-Length (cut short?)" : "a negative Content-Length"));
            return Optional.of(new ObjectInfo(ref, h.contentLength(), Optional.ofNullable(h.eTag()).map(S3ObjectStorage::unquote),
                    Optional.ofNullable(h.lastModified()), Optional.ofNullable(h.contentType()),
                    Optional.ofNullable(h.eTag()).filter(S3ObjectStorage::strongEntityTag), Optional.empty(),
                    httpDate(Optional.ofNullable(h.sdkHttpResponse()).flatMap(r -> r.firstMatchingHeader("Date")))));
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                if ("NoSuchBucket".equals(errorCode(e)))
                    throw new StorageException(Kind.NOT_FOUND, "bucket " + ref.container() + " does not exist");
                return Optional.empty();
            }
            throw translate(withCode(e, ref), "stat", ref);
        } catch (SdkException e) {
            throw translate(e, "stat", ref);
        }
    }

    /**
     * One listing of the keys the candidates share the start of, then a stat of the first candidate listed: a media's
     * sidecar names in every case are 40 keys, each a HEAD where the lower-case names were 4. A listing of more than
     * one page (a thousand keys starting with the media's base name and a dot) is not read on: the candidates are then
     * stat'ed one by one, as by default.
     */
    @Override
    public Optional<ObjectInfo> firstExisting(List<ObjectRef> all) {
        // A name longer than a key can be names no object: a media key of 1,024 bytes has no .json sidecar, and asking
        // for one refused the media (NOT_ALLOWED) where it has a .txt, or none.
        List<ObjectRef> candidates = all.stream()
                .filter(c -> c.key().getBytes(StandardCharsets.UTF_8).length <= S3Uri.MAX_KEY_BYTES).toList();
        if (candidates.size() < 2) return ObjectStorage.super.firstExisting(candidates);
        candidates.forEach(this::confine);
        ObjectRef first = candidates.get(0);
        String shared = first.key();
        for (ObjectRef c : candidates) {
            if (!c.container().equals(first.container()))
                throw new IllegalArgumentException("candidates in two buckets: " + first + ", " + c);
            int n = 0;
            while (n < shared.length() && n < c.key().length() && shared.charAt(n) == c.key().charAt(n)) n++;
            shared = shared.substring(0, n);
        }
        String prefix = shared;
        ObjectRef where = first.withKey(prefix);
        ListObjectsV2Response page;
        try {
            page = request("list", where, c -> c.listObjectsV2(b -> b.overrideConfiguration(timeouts)
                    .bucket(where.container()).prefix(prefix).encodingType(EncodingType.URL)));
        } catch (SdkException e) {
            throw translate(e, "list", where);
        }
        if (Boolean.TRUE.equals(page.isTruncated())) return ObjectStorage.super.firstExisting(candidates);
        Set<String> listed = new HashSet<>();
        page.contents().forEach(o -> listed.add(o.key()));
        for (ObjectRef c : candidates) {
            if (!listed.contains(c.key())) continue;
            Optional<ObjectInfo> found = stat(c);
            if (found.isPresent()) return found; // else removed since it was listed
        }
        return Optional.empty();
    }

    @Override
    public <T> T read(ObjectRef ref, ContentReader<T> reader) {
        return read(ref, -1, Optional.empty(), true, reader);
    }

    @Override
    public <T> T read(ObjectInfo stat, ContentReader<T> reader) {
        return read(stat.ref(), stat.size(), stat.entityTag(), true, reader);
    }

    /**
     * @param statBytes the size the object's stat gave, or -1
     * @param version   the stat's ETag as the store wrote it, named in If-Match: an object replaced by one of the same
     *                  length between the stat and the read was copied and tagged under the old version's ETag, and
     *                  only the stat after tagging saw the change
     * @param ifMatch   whether {@code version} is sent in If-Match (it is compared with the answer's ETag either way)
     */
    private <T> T read(ObjectRef ref, long statBytes, Optional<String> version, boolean ifMatch, ContentReader<T> reader) {
        confine(ref);
        ResponseInputStream<GetObjectResponse> in;
        try {
            in = request("read", ref, c -> c.getObject(b -> b.overrideConfiguration(timeouts).bucket(ref.container())
                    .key(ref.key()).ifMatch(ifMatch ? version.orElse(null) : null)));
        } catch (NoSuchKeyException | NoSuchBucketException e) {
            throw new StorageException(Kind.NOT_FOUND, ref.uri() + " does not exist");
        } catch (S3Exception e) {
            if (e.statusCode() == 412 && ifMatch && version.isPresent()) {
                // A store that refuses its own current ETag would have every read retried as replaced for good: an
                // unchanged stat reads it once more without If-Match (the answer's own ETag is still checked below)
                if (stat(ref).flatMap(ObjectInfo::entityTag).equals(version)) {
                    LOG.warnf("%s: the store refused If-Match %s though its stat still gives that ETag; read without it",
                            ref.uri(), version.get());
                    return read(ref, statBytes, version, false, reader);
                }
                throw replacedSinceStat(ref, "HTTP 412" + Optional.ofNullable(errorCode(e)).map(c -> " " + c).orElse("")
                        + ": its ETag is no longer " + version.get());
            }
            throw translate(e, "read", ref);
        } catch (SdkException e) {
            throw translate(e, "read", ref);
        }
        // A look-alike that does not know If-Match answers whatever version it holds now, under that version's ETag
        Optional<String> answered = Optional.ofNullable(in.response().eTag()).filter(S3ObjectStorage::strongEntityTag);
        if (version.isPresent() && answered.isPresent() && !answered.equals(version)) {
            in.abort();
            throw replacedSinceStat(ref, "the answer's ETag is " + answered.get() + ", its stat's " + version.get());
        }
        Long length = in.response().contentLength();
        // An answer of another length than the stat just gave is not all of what the stat saw: a part of it (206 to a
        // request for the whole), an error document sent as 200, or a newer version. Each was tagged with the stat's
        // ETag, and its result kept for good; the retry stats again.
        if (length != null && statBytes >= 0 && length != statBytes) {
            in.abort();
            throw new StorageException(Kind.UNAVAILABLE, "cannot read " + ref.uri() + ": the answer (HTTP "
                    + in.response().sdkHttpResponse().statusCode() + ") announces " + length + " bytes where its stat gave "
                    + statBytes + " (a part of it, or replaced since?)");
        }
        // Without a Content-Length (nor chunks) the body ends where the connection closes, cut or not: the stat's size
        // is then the only one there is
        Deadline deadline = new Deadline(System.nanoTime() + readTimeout.toNanos(), readTimeout);
        EndSeen body = length != null ? new EndSeen(in, length, "announced", true, deadline)
                : new EndSeen(in, statBytes, "its stat gave (the answer announced no length: cut short, or replaced since?)",
                false, deadline);
        boolean whole = false;
        try {
            T read = reader.read(body, length == null ? -1 : length);
            whole = body.ended();
            return read;
        } catch (IOException | SdkException e) {
            throw new StorageException(Kind.UNAVAILABLE, "reading " + ref.uri() + " failed midway: " + e.getMessage(), e);
        } finally {
            // A body the reader did not finish (refused as too large, or only its head needed) is aborted: closing
            // it would drain the rest over the network first.
            if (!whole) in.abort();
            try {
                in.close();
            } catch (IOException ignored) {
                // aborted or fully read: nothing left to release
            }
        }
    }

    private static StorageException replacedSinceStat(ObjectRef ref, String how) {
        return new StorageException(Kind.UNAVAILABLE, "cannot read " + ref.uri() + ": it was replaced since its stat ("
                + how + "); nothing read, the retry reads the new version");
    }

    /**
     * Notes whether the stream was read to its end: its end seen, or as many bytes as the store announced. An end
     * before the announced length is a failure of the stream: the JDK's HTTP client ends a body cut short (a connection
     * closed midway) as if it were complete, and the first part of the object was tagged and its result kept for good.
     * A body the answer announced ends there: the JDK's client reads an answer that closes its connection to the
     * close, and a 1,000-byte object followed by 200 bytes more was tagged as 1,200 bytes.
     */
    private static final class EndSeen extends FilterInputStream {
        private final long announced;
        private final String whose;
        private final boolean endsThere;
        private final Deadline deadline;
        private long read;
        private boolean endSeen;

        /**
         * @param whose     where {@code announced} comes from, for the message
         * @param endsThere whether the body ends at {@code announced} (the answer's own length), or only may not end
         *                  before it (a stat's: the object may have grown since)
         */
        EndSeen(InputStream in, long announced, String whose, boolean endsThere, Deadline deadline) {
            super(in);
            this.deadline = deadline;
            this.announced = announced;
            this.whose = whose;
            this.endsThere = endsThere;
        }

        boolean ended() {
            return endSeen || (announced >= 0 && read >= announced);
        }

        @Override
        public int read() throws IOException {
            if (endsThere && read >= announced) return -1;
            deadline.check(read);
            int b = super.read();
            if (b < 0) end();
            else read++;
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (endsThere && read >= announced) return len == 0 ? 0 : -1;
            deadline.check(read);
            int n = super.read(b, off, endsThere ? (int) Math.min(len, announced - read) : len);
            if (n < 0) end();
            else read += n;
            return n;
        }

        private void end() throws IOException {
            if (announced >= 0 && read < announced)
                throw new IOException("the body ended after " + read + " of the " + announced + " bytes " + whose);
            endSeen = true;
        }
    }

    /**
     * When the body of a read must have arrived. Checked before each read of the stream, so a body that drips past it
     * fails within one socket timeout of it, and one that stalls at the socket timeout.
     */
    private record Deadline(long nanos, Duration timeout) {
        void check(long read) throws IOException {
            if (System.nanoTime() - nanos > 0)
                throw new IOException("the body was still arriving after moodtag.storage.s3.read-timeout=" + timeout
                        + " (" + read + " bytes read)");
        }
    }

    @Override
    public void writeAtomically(ObjectRef ref, byte[] content, String contentType) {
        put(ref, RequestBody.fromBytes(content), contentType);
    }

    /** Streamed from the file, as one PUT (its length known beforehand). */
    @Override
    public void writeAtomically(ObjectRef ref, java.nio.file.Path content, String contentType) {
        put(ref, RequestBody.fromFile(content), contentType);
    }

    private void put(ObjectRef ref, RequestBody content, String contentType) {
        confine(ref);
        // A single PUT is atomic in S3: readers see the old object or the new one, never a part.
        try {
            request("write", ref, c -> c.putObject(b -> b.overrideConfiguration(timeouts).bucket(ref.container()).key(ref.key())
                    .contentType(contentType), content));
        } catch (SdkException e) {
            throw translate(e, "write", ref);
        }
    }

    /**
     * Most pages in a row a listing may bring with no key before it is taken for a store that never gets anywhere.
     * S3 may answer a page with fewer keys than asked, or none, while it skips deleted versions; a thousand in a row
     * is not that.
     */
    static final int MAX_EMPTY_PAGES = 1000;

    /**
     * Keys under {@code prefix} in a configured bucket, in the order S3 lists them (every page). Paged here rather than
     * by the SDK's paginator, which follows whatever token a page names: a store that named a token again looped for
     * ever (each page's keys held), and one that marked a page truncated without a token ended the listing there,
     * the batch quietly short of the rest. Both fail for good, as does a run of {@link #MAX_EMPTY_PAGES} empty pages:
     * the store's pagination is at fault, and the same listing meets it again.
     */
    public List<ObjectRef> list(String bucket, String prefix) {
        return list(bucket, prefix, (pages, keys) -> {
        });
    }

    /** How far a listing has got, told after each page: a prefix of millions of keys takes minutes to list. */
    @FunctionalInterface
    public interface ListingProgress {
        void listed(int pages, int keys);
    }

    /** As {@link #list(String, String)}, telling {@code progress} after each page. */
    public List<ObjectRef> list(String bucket, String prefix, ListingProgress progress) {
        ObjectRef where = ObjectRef.s3(bucket, prefix);
        if (!buckets.contains(bucket))
            throw new StorageException(Kind.NOT_ALLOWED, "bucket '" + bucket + "' is not configured (moodtag.storage.s3.buckets)");
        List<ObjectRef> listed = new ArrayList<>();
        Set<String> tokens = new HashSet<>();
        String token = null;
        int pages = 0, empty = 0;
        try {
            while (true) {
                String after = token;
                // A key with a control character has no XML 1.0 form: S3 sends it as a reference the parser refuses
                // (each listing of its prefix failed) unless asked for URL-encoded keys, which the SDK decodes.
                ListObjectsV2Response page = request("list", where, c -> c.listObjectsV2(b -> b.overrideConfiguration(timeouts)
                        .bucket(bucket).prefix(prefix).continuationToken(after).encodingType(EncodingType.URL)));
                pages++;
                page.contents().forEach(o -> listed.add(ObjectRef.s3(bucket, o.key())));
                progress.listed(pages, listed.size());
                if (!Boolean.TRUE.equals(page.isTruncated())) return listed;
                token = page.nextContinuationToken();
                if (token == null || token.isEmpty())
                    throw listingFault(where, pages, "is marked truncated but names no continuation token");
                if (!tokens.add(token))
                    throw listingFault(where, pages, "names a continuation token an earlier page named: it would list "
                            + "the same pages for ever");
                empty = page.contents().isEmpty() ? empty + 1 : 0;
                if (empty >= MAX_EMPTY_PAGES)
                    throw listingFault(where, pages, "is the " + empty + "th page in a row with no key, each truncated");
            }
        } catch (SdkException e) {
            throw translate(e, "list", where);
        }
    }

    private static StorageException listingFault(ObjectRef where, int pages, String what) {
        return new StorageException(Kind.FAILED, "cannot list " + where.uri() + ": the store's page " + pages + " " + what
                + " (a fault of the store, which the same listing meets again)");
    }

    @Override
    public void checkReachable() {
        for (String bucket : buckets) {
            try {
                request("reach bucket", ObjectRef.s3(bucket, ""),
                        c -> c.headBucket(b -> b.overrideConfiguration(timeouts).bucket(bucket)));
            } catch (S3Exception e) {
                throw translate(withCode(e, ObjectRef.s3(bucket, "")), "reach bucket", ObjectRef.s3(bucket, ""));
            } catch (SdkException e) {
                throw translate(e, "reach bucket", ObjectRef.s3(bucket, ""));
            }
        }
    }

    /**
     * One request to the store. An answer that is not HTTP (a connection cut within its status line or headers, another
     * service on the port) leaves the SDK's URLConnection client as an UncheckedIOException, or an
     * IllegalArgumentException for the status it could not read, not as an SdkClientException: it was answered as
     * an internal error of moodtag's, for good. Any other IllegalArgumentException is the request's own (a header
     * value the HTTP client refuses to send, a setting the SDK refuses): sent again it fails the same way, so it is
     * permanent. SdkExceptions are the caller's to translate.
     */
    private <T> T request(String what, ObjectRef ref, Function<S3Client, T> call) {
        S3Client c = client.get();
        try {
            return call.apply(c);
        } catch (UncheckedIOException e) {
            throw notHttp(what, ref, e);
        } catch (IllegalArgumentException e) {
            if (answerUnreadable(e)) throw notHttp(what, ref, e);
            throw new StorageException(Kind.FAILED, "cannot " + what + " " + ref.uri() + ": the request cannot be sent ("
                    + firstLine(e.getMessage()) + ")", e);
        }
    }

    private static StorageException notHttp(String what, ObjectRef ref, RuntimeException e) {
        return new StorageException(Kind.UNAVAILABLE, "cannot " + what + " " + ref.uri() + ": the store's answer is not "
                + "HTTP (" + firstLine(e.getMessage()) + ")", e);
    }

    /** The SDK's model of an answer, which refuses the status the client read from a status line it could not parse (-1). */
    private static final String SDK_RESPONSE = "software.amazon.awssdk.http.DefaultSdkHttpFullResponse";

    /** Whether the exception was raised building the answer that came back, not the request that went out. */
    static boolean answerUnreadable(IllegalArgumentException e) {
        for (StackTraceElement frame : e.getStackTrace())
            if (frame.getClassName().startsWith(SDK_RESPONSE)) return true;
        return false;
    }

    /**
     * Error codes S3 and its look-alikes send with a 4xx status for what passes: a timed-out upload, throttling.
     * By status alone they read as permanent, and a result whose upload timed out was never written.
     */
    static final Set<String> TRANSIENT_CODES = Set.of("RequestTimeout", "RequestTimeoutException",
            "PriorRequestNotComplete", "SlowDown", "Throttling", "ThrottlingException", "ThrottledException",
            "RequestThrottled", "RequestThrottledException", "TooManyRequestsException", "RequestLimitExceeded",
            "BandwidthLimitExceeded", "LimitExceededException", "OperationAborted", "InternalError",
            "ServiceUnavailable");

    /**
     * Codes for a request refused because of how it was signed, not what it asked for, that pass by themselves where
     * moodtag runs: session or web-identity credentials that expired (the credentials provider fetches new ones) and
     * a clock that is off (NTP corrects it). Answered for good, the platform dropped the event and the object was
     * never tagged; the same event sent again later succeeds.
     */
    static final Set<String> EXPIRED_CREDENTIALS_CODES = Set.of("ExpiredToken", "ExpiredTokenException",
            "TokenRefreshRequired");
    static final String CLOCK_SKEW_CODE = "RequestTimeTooSkewed";

    /**
     * A HEAD answer has no body, so a refused stat or reachability check has no error code: an expired token or a
     * clock off read as any other 400 or 403, for good. The same signature on a one-key listing of the bucket tells
     * them apart (both are refused before any permission is looked at); only those two codes are taken from it, so a
     * listing refused for lack of permission leaves the HEAD's own answer.
     */
    private SdkException withCode(S3Exception head, ObjectRef ref) {
        if (errorCode(head) != null || head.statusCode() != 400 && head.statusCode() != 403) return head;
        try {
            request("list", ref, c -> c.listObjectsV2(b -> b.overrideConfiguration(timeouts).bucket(ref.container())
                    .prefix(ref.key()).maxKeys(1)));
            return head;
        } catch (S3Exception listed) {
            return signedWrong(errorCode(listed)) ? listed : head;
        } catch (SdkException | StorageException other) {
            return head;
        }
    }

    private static boolean signedWrong(String code) {
        return code != null && (EXPIRED_CREDENTIALS_CODES.contains(code) || CLOCK_SKEW_CODE.equals(code));
    }

    static StorageException translate(SdkException e, String what, ObjectRef ref) {
        return translate(e, what, ref, Instant.now());
    }

    /** @param now this machine's time, to tell how far its clock is from the store's */
    static StorageException translate(SdkException e, String what, ObjectRef ref, Instant now) {
        // Messages name the object and the status, never credentials or signed URLs.
        if (e instanceof SdkClientException)
            return new StorageException(Kind.UNAVAILABLE, "cannot " + what + " " + ref.uri() + ": storage unreachable ("
                    + firstLine(e.getMessage()) + ")", e);
        if (e instanceof S3Exception s) {
            int status = s.statusCode();
            // A status line cut short ("HTTP/1.1 2") is read as status 2: a broken answer, not a refusal
            if (status < 100 || status > 599)
                return new StorageException(Kind.UNAVAILABLE, "cannot " + what + " " + ref.uri() + ": the store's answer "
                        + "has no HTTP status (" + status + "; cut short?)", e);
            String detail = "HTTP " + status + (errorCode(s) == null ? "" : " " + errorCode(s));
            if (errorCode(s) != null && EXPIRED_CREDENTIALS_CODES.contains(errorCode(s)))
                return new StorageException(Kind.UNAVAILABLE, "cannot " + what + " " + ref.uri() + ": " + detail
                        + ": the credentials have expired; retrying after they are refreshed", e);
            if (CLOCK_SKEW_CODE.equals(errorCode(s)))
                return new StorageException(Kind.UNAVAILABLE, "cannot " + what + " " + ref.uri() + ": " + detail
                        + ": " + clockSkew(s, now) + "; retrying after it is corrected (NTP)", e);
            // 501 (NotImplemented) and 505: the store does not do what was asked, however often it is asked
            boolean notImplemented = status == 501 || status == 505;
            if (status >= 500 && !notImplemented || status == 429 || status == 408 || s.isThrottlingException()
                    || (errorCode(s) != null && TRANSIENT_CODES.contains(errorCode(s))))
                return new StorageException(Kind.UNAVAILABLE, "cannot " + what + " " + ref.uri() + ": " + detail, e);
            if (notImplemented)
                return new StorageException(Kind.FAILED, "cannot " + what + " " + ref.uri() + ": " + detail
                        + ": the store does not implement this request", e);
            if (status == 404)
                return new StorageException(Kind.NOT_FOUND, ref.uri() + " does not exist (" + detail + ")", e);
            return new StorageException(Kind.FAILED, "cannot " + what + " " + ref.uri() + ": " + detail
                    + (status == 403 ? "; check the function's S3 credentials and the bucket policy" : ""), e);
        }
        return new StorageException(Kind.UNAVAILABLE, "cannot " + what + " " + ref.uri() + ": " + firstLine(e.getMessage()), e);
    }

    /** How far this machine's clock is from the store's, by the answer's Date (whole seconds). */
    private static String clockSkew(S3Exception e, Instant now) {
        Optional<Instant> theirs = httpDate(Optional.ofNullable(e.awsErrorDetails()).map(AwsErrorDetails::sdkHttpResponse)
                .flatMap(r -> r.firstMatchingHeader("Date")));
        if (theirs.isEmpty()) return "this machine's clock differs from the store's by more than the store allows";
        long seconds = Duration.between(theirs.get(), now).getSeconds();
        return "this machine's clock differs from the store's by " + Math.abs(seconds) + " s (it is "
                + (seconds >= 0 ? "ahead" : "behind") + ")";
    }

    /** An answer's Date header as the instant it names; empty where there is none or it does not read as one. */
    static Optional<Instant> httpDate(Optional<String> header) {
        return header.flatMap(d -> {
            try {
                return Optional.of(ZonedDateTime.parse(d.trim(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
            } catch (DateTimeParseException unreadable) {
                return Optional.empty();
            }
        });
    }

    private static String errorCode(S3Exception e) {
        return e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
    }

    private static String firstLine(String s) {
        if (s == null) return "";
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    /**
     * An ETag as HTTP writes a strong entity-tag: quoted, of visible ASCII. Only such a one is named in If-Match: a weak
     * one never matches a strong comparison, and one written otherwise may be compared any way, or not be sendable at
     * all; naming it, a store could refuse every read of an object that never changed.
     */
    private static final Pattern STRONG_ENTITY_TAG = Pattern.compile("\"[\\x21\\x23-\\x7e]+\"");

    static boolean strongEntityTag(String etag) {
        return STRONG_ENTITY_TAG.matcher(etag).matches();
    }

    private static String unquote(String etag) {
        return etag.length() >= 2 && etag.startsWith("\"") && etag.endsWith("\"") ? etag.substring(1, etag.length() - 1) : etag;
    }
}
