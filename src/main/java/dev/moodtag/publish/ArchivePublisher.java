package dev.moodtag.publish;

import dev.moodtag.batch.BatchItem;
import dev.moodtag.storage.ObjectInfo;
import dev.moodtag.storage.ObjectRef;
import dev.moodtag.storage.StorageException;
import dev.moodtag.support.ParallelWork;
import dev.moodtag.support.SettingOutOfRange;
import dev.moodtag.support.SettingRange;
import dev.moodtag.tagging.ObjectFilter;
import dev.moodtag.tagging.ObjectOutcome;
import dev.moodtag.tagging.Recognizer;
import dev.moodtag.tagging.ResultLocator;
import dev.moodtag.tagging.StoredResult;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The fan-out of {@code moodtag tag SOURCE --publish URL}: one CloudEvent per object that still needs tagging, to a
 * Knative Broker (which retries, autoscales the function and dead-letters), never a scheduler of its own. An object
 * is skipped when the function would skip it (its skip-if-done rule, {@link ResultLocator#isCurrent}), when it is
 * not something the function tags ({@link ObjectFilter}), or when an earlier publish had its event acknowledged
 * ({@link PublishJournal}); every other object is sent, bounded in rate and in flight, and ends published or failed
 * to publish, with the reason, in the publish log.
 */
@ApplicationScoped
public class ArchivePublisher {

    private static final ParallelWork WORKERS = new ParallelWork("moodtag-publish", "publish interrupted", "publish worker failed");

    /**
     * Results and the pack's identity only, as status reads them: nothing is tagged here, and through the
     * {@link Recognizer} a publish verified the pack, read the classifier and made every encoder's ONNX session.
     */
    private final ResultLocator results;
    private final ObjectFilter filter;
    private final PublishConfig config;
    private final ObjectMapper json = new ObjectMapper();

    public ArchivePublisher(ResultLocator results, ObjectFilter filter, PublishConfig config) {
        this.results = results;
        this.filter = filter;
        this.config = config;
    }

    /** Told about every object as it ends, from the sending threads. */
    public interface Listener {
        void ended(PublishRecord record, int done, int total);
    }

    /**
     * What to publish to and how; {@code rate} and {@code maxInFlight} are the configuration's unless given.
     *
     * @param resendAcknowledged send events an earlier publish had acknowledged, when they still have no result (the
     *                           Broker dead-lettered them, or a cluster was torn down before they ran)
     */
    public record Options(URI sink, Optional<Double> rate, Optional<Integer> maxInFlight, boolean resendAcknowledged) {
    }

    /**
     * The most attempts per event. With the default backoff (PT0.5S doubling up to PT30S, full jitter) 100 attempts
     * already retry one event for about 24 minutes on average before calling it failed, and the publish log lets a later
     * publish send it again; more is a typo, not a policy.
     */
    static final int MAX_ATTEMPTS = 100;

    /**
     * The most events in flight. The publish runs one thread per event in flight, up to the number of objects: 1000000
     * with 20,000 objects started 20,000 threads. By Little's law events in flight are the rate times the time each
     * takes; a Broker answers in milliseconds, so 1000 in flight keep up 1000 events per second (50 times the default
     * rate) even at a second per answer, or the default rate through 50 s of answers and backoffs per event. More only
     * costs threads.
     */
    static final int MAX_IN_FLIGHT = 1000;

    /** The longest request or connect timeout: a sink that has not answered within a day is not answering. */
    static final Duration MAX_TIMEOUT = Duration.ofDays(1);

    /**
     * The {@code moodtag.publish} settings this publish uses that are out of range, all named in one refusal before
     * anything is sent, exit code 1 as for every setting: they were refused one at a time as a refused input (exit
     * code 2), and a rate of NaN as "rate must be above 0 events/s", naming no setting. A rate or number in flight
     * given on the command line replaces the setting, which is then not checked.
     */
    static void checkSettings(PublishConfig config, Options options) {
        List<String> wrong = new ArrayList<>();
        if (options.rate().isEmpty() && !(config.rate() > 0))
            wrong.add("rate must be above 0 events/s, not " + config.rate());
        if (options.maxInFlight().isEmpty())
            SettingRange.within("max-in-flight", config.maxInFlight(), 1, MAX_IN_FLIGHT).ifPresent(wrong::add);
        // 2147483647 retried a sink that could not be reached for as long as the process lived, each event in flight
        SettingRange.within("max-attempts", config.maxAttempts(), 1, MAX_ATTEMPTS).ifPresent(wrong::add);
        // The HTTP client refused these only when it used them: a connect timeout at once with a message naming no key,
        // a request timeout in a worker, which ended the publish part-way with a stack trace; one past a long's
        // seconds failed every attempt as "long overflow", named as a sink that cannot be reached
        for (Map.Entry<String, Duration> t : List.of(Map.entry("request-timeout", config.requestTimeout()),
                Map.entry("connect-timeout", config.connectTimeout())))
            SettingRange.positiveAtMost(t.getKey(), t.getValue(), MAX_TIMEOUT).ifPresent(wrong::add);
        for (Map.Entry<String, Duration> t : List.of(Map.entry("initial-backoff", config.initialBackoff()),
                Map.entry("max-backoff", config.maxBackoff()), Map.entry("retry-after-max", config.retryAfterMax())))
            if (t.getValue().isNegative()) wrong.add(t.getKey() + " must not be negative, not " + t.getValue());
        if (!wrong.isEmpty())
            throw new SettingOutOfRange(String.join("; ", wrong.stream().map(w -> "moodtag.publish." + w).toList()));
    }

    /**
     * The options that replace settings, {@code --rate} and {@code --max-in-flight}, out of range: said in the settings'
     * words with the option's name, a refused option (exit code 2). Checked before start by {@code moodtag tag} and
     * again here; --rate 0 was refused as "rate must be above 0 events/s, got 0.0", naming the setting, once the
     * archive had been listed.
     *
     * @return the first option out of range, or empty
     */
    public static Optional<String> optionProblem(Optional<Double> rate, Optional<Integer> maxInFlight) {
        if (rate.isPresent() && !(rate.get() > 0)) return Optional.of("--rate must be above 0 events/s, not " + rate.get());
        return maxInFlight.flatMap(n -> SettingRange.within("--max-in-flight", n, 1, MAX_IN_FLIGHT));
    }

    /**
     * Events in flight, the option's or else the setting's ({@link #checkSettings} checked it).
     *
     * @throws IllegalArgumentException when --max-in-flight or --rate is out of range, a refused option
     */
    static int inFlight(PublishConfig config, Options options) {
        optionProblem(options.rate(), options.maxInFlight()).ifPresent(problem -> {
            throw new IllegalArgumentException(problem);
        });
        return options.maxInFlight().orElse(config.maxInFlight());
    }

    /** @return one record per item, sorted by object */
    public List<PublishRecord> publish(List<BatchItem> items, Options options, PublishJournal journal, Listener listener,
                                       AtomicBoolean stop) {
        checkSettings(config, options);
        int inFlight = inFlight(config, options);
        RateLimit rate = new RateLimit(options.rate().orElse(config.rate()));
        HttpClient client = HttpClient.newBuilder().connectTimeout(config.connectTimeout())
                .followRedirects(HttpClient.Redirect.NEVER).executor(answerDelivery()).build();
        CloudEventSender sender = new CloudEventSender(client, options.sink(), rate,
                new Backoff(config.initialBackoff(), config.maxBackoff(), config.retryAfterMax(),
                        () -> ThreadLocalRandom.current().nextDouble()), config.maxAttempts(), config.requestTimeout());
        String pack = results.packIdentity();
        AtomicInteger done = new AtomicInteger();
        // One thread per event in flight: a thread waits on its answer and its backoff, which is what bounds them.
        List<PublishRecord> records = new ArrayList<>(WORKERS.map(items, inFlight, (index, item) -> {
            PublishRecord r = one(item, pack, sender, journal, options.resendAcknowledged(), stop);
            journal.append(r);
            listener.ended(r, done.incrementAndGet(), items.size());
            return r;
        }));
        records.sort(Comparator.comparing(PublishRecord::object));
        return records;
    }

    /** Threads that hand the sink's answers to the senders waiting for them. */
    private static final int ANSWER_THREADS = 4;

    /**
     * The HTTP client's executor, which only delivers answers (headers, the start of a body) to the senders blocked on
     * them: its own was a cached pool, a thread for every answer arriving while the others were busy, so 1000 events in
     * flight to a sink answering in a second ran about 900 of them beside the 1000 senders (2,041 threads for 20,000
     * events, 1,115 with these; 582 MB resident under -Xmx256m, 488 MB with these: bench/publish-memory.sh). The 4 kept
     * up there (the publish finished in 52.9 s, 72.2 s with the client's pool). Its threads end when idle, so nothing need
     * close it.
     */
    private static ExecutorService answerDelivery() {
        ThreadPoolExecutor pool = new ThreadPoolExecutor(ANSWER_THREADS, ANSWER_THREADS, 10, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(r, "moodtag-publish-answers");
            t.setDaemon(true);
            return t;
        });
        pool.allowCoreThreadTimeOut(true);
        return pool;
    }

    private PublishRecord one(BatchItem item, String pack, CloudEventSender sender, PublishJournal journal,
                              boolean resendAcknowledged, AtomicBoolean stop) throws InterruptedException {
        long t0 = System.nanoTime();
        String uri = item.ref().eventUri();
        Optional<String> notTagged = filter.byKey(item.store(), item.ref());
        if (notTagged.isPresent())
            return record(uri, null, PublishState.SKIPPED, null, 0, "not tagged: " + notTagged.get(), t0);
        // Before its checks, which cost the store a request for the object's stat and one for its result (and its head
        // for a name source code shares): after Ctrl-C every object left was still checked before it was found stopped,
        // an archive's worth of requests between the signal and the summary.
        if (stop.get())
            return record(uri, null, PublishState.FAILED, null, 0, CloudEventSender.STOPPED_BEFORE_SENT, t0);
        String id;
        try {
            Optional<ObjectInfo> info = item.store().stat(item.ref());
            if (info.isEmpty())
                return record(uri, null, PublishState.SKIPPED, null, 0, "deleted since it was listed", t0);
            // Larger than max-object-bytes or of a type not in media-types: the function ignores its event, so it was
            // sent, acknowledged and never tagged (a film over the default 512 MiB), and status waited for it for ever.
            notTagged = filter.bySizeAndType(info.get().size(), info.get().contentType());
            if (notTagged.isPresent())
                return record(uri, null, PublishState.SKIPPED, null, 0, "not tagged: " + notTagged.get(), t0);
            // The function takes every event's object as found, named in the manifest or not (ResultRules.EVENT).
            notTagged = filter.byContent(item.store(), item.ref());
            if (notTagged.isPresent())
                return record(uri, null, PublishState.SKIPPED, null, 0, "not tagged: " + notTagged.get(), t0);
            id = EventIds.of(uri, EventIds.version(info.get()), pack);
            ObjectRef resultRef = results.resultFor(item.ref());
            Optional<StoredResult> head = results.readHead(item.store(), resultRef);
            if (head.filter(r -> results.doneBySamePack(item.store(), r, info.get())).isPresent())
                return record(uri, id, PublishState.SKIPPED, null, 0, "has a current result (same model pack and object version)", t0);
            // The function would fail it for good, before reading it (a media name that leaves no room for the result
            // suffix) or at its skip (a newer moodtag's result, left as it is): sent, it was acknowledged and never
            // tagged, and sent again by every publish with another log or --resend-acknowledged.
            Optional<ObjectOutcome> refused = Recognizer.leftAsItIs(head, resultRef, uri)
                    .or(() -> Recognizer.noResultPossible(item.ref(), item.store(), results));
            if (refused.isPresent())
                return record(uri, id, PublishState.FAILED, null, 0, "not sent, the function would answer "
                        + refused.get().outcome() + ": " + refused.get().reason(), t0);
        } catch (StorageException e) {
            return record(uri, null, PublishState.FAILED, null, 0, "cannot check the object or its result: " + e.getMessage(), t0);
        }
        if (!resendAcknowledged && journal.acknowledged(id))
            return record(uri, id, PublishState.SKIPPED, null, 0, "acknowledged by an earlier publish, no result yet "
                    + "(queued, running, or dead-lettered; --resend-acknowledged sends it again)", t0);
        if (stop.get())
            return record(uri, id, PublishState.FAILED, null, 0, CloudEventSender.STOPPED_BEFORE_SENT, t0);
        CloudEventSender.Sent sent = sender.send(new CloudEventSender.Event(id, config.eventType(), config.eventSource(),
                uri, data(uri)), stop);
        return record(uri, id, sent.state(), sent.httpStatus(), sent.attempts(), sent.reason(), t0);
    }

    /** The data the function's {@code moodtag-requests} Trigger delivers: {@code {"uri": ...}}. */
    private String data(String uri) {
        try {
            return json.writeValueAsString(Map.of("uri", uri));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static PublishRecord record(String uri, String id, PublishState state, Integer status, int attempts,
                                        String reason, long t0) {
        return new PublishRecord(uri, id, state, status, attempts, reason, (System.nanoTime() - t0) / 1e9,
                Instant.now().toString());
    }
}
