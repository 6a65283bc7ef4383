package dev.moodtag.tagging;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.moodtag.media.MediaException;
import dev.moodtag.pack.PackIdentity;
import dev.moodtag.storage.LocalObjectStorage;
import dev.moodtag.storage.ObjectInfo;
import dev.moodtag.storage.ObjectRef;
import dev.moodtag.storage.ObjectStorage;
import dev.moodtag.storage.ResultNames;
import dev.moodtag.storage.StorageException;
import dev.moodtag.support.LimitedInputStream;
import dev.moodtag.support.Sha256;
import dev.moodtag.support.WholeNumber;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.time.Instant;
import java.util.Arrays;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

/**
 * Where an object's result goes ({@code moodtag.function.result.*}) and whether the result already there makes a
 * new run unnecessary ({@code skip-if-done}: same pack, classifier and source object, and not an error that a new run
 * may not repeat).
 */
@Singleton
public class ResultLocator {

    private static final Logger LOG = Logger.getLogger(ResultLocator.class);
    /** The head of a result (its first fields) is a few kB; a document without it in this many bytes is not one. */
    static final long MAX_HEAD_BYTES = 4L << 20;
    /**
     * Read back in a stream, a result costs memory only for what is kept of it; this bounds the time. A timeline of
     * 140 hours of speech in 0.5 s segments would be about 600 MB.
     */
    static final long MAX_RESULT_BYTES = 1L << 30;
    /** A sha256 as moodtag records it ({@link Sha256}); anything else in a result vouches for no bytes. */
    private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");

    private final FunctionConfig config;
    /**
     * Resolved at the first comparison, not when the locator is made: where results go is known from the settings
     * alone, before the pack is read. Not the pack and classifier themselves: status compared results after the pack
     * was verified, the classifier read and all 4 encoders' ONNX sessions made (about 5 s of CPU and 450 MB).
     */
    private final Instance<PackIdentity> pack;
    private static final ObjectMapper JSON = new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    ResultLocator(FunctionConfig config, Instance<PackIdentity> pack) {
        this.config = config;
        this.pack = pack;
    }

    /** Where the result of {@code media} goes: same container, {@code <prefix><key><suffix>}. */
    public ObjectRef resultFor(ObjectRef media) {
        return resultFor(config, media);
    }

    /** As {@link #resultFor(ObjectRef)}, from the settings alone: for a question asked before any model loads. */
    public static ObjectRef resultFor(FunctionConfig config, ObjectRef media) {
        return media.withKey(config.result().prefix().orElse("") + media.key() + config.result().suffix());
    }

    /**
     * The media whose result {@code result} is, {@link #resultFor}'s inverse: empty when its key does not start with
     * the prefix and end with the suffix around a media key. Both may be in any case ({@link ResultNames}, as for
     * every other question whether a name is a result's): the result itself is still read, written and removed under
     * {@link #resultFor}'s name, which on a case-insensitive file system is the same file, and elsewhere is not, so that
     * a copy in another case is never tagged and never taken for the media's result.
     */
    public Optional<ObjectRef> mediaOf(ObjectRef result) {
        return ResultNames.stripPrefix(result.key(), config.result().prefix().orElse(""))
                .flatMap(key -> ResultNames.strip(key, config.result().suffix()))
                .filter(media -> !media.isEmpty()).map(result::withKey);
    }

    /**
     * The existing result when it makes this run unnecessary: it is current ({@link #current}: same pack and
     * classifier, same source object: ETag, or size and modification time where the store has no ETag, and a local
     * file's version where both the file and the result have one) and it
     * {@link #settles} the object. Empty when there is none, it differs or it is an error a new run may not repeat.
     * Only the document's head is read (version, status, label, source, pack, classifier, error): a timeline of any length
     * costs the same.
     */
    public Optional<JsonNode> doneBySamePack(ObjectStorage store, ObjectRef resultRef, ObjectInfo media) {
        return currentHead(store, resultRef, media).filter(ResultLocator::settles);
    }

    /**
     * As {@link #doneBySamePack}, deciding by the head alike, with the rest of the document read to its end (skipped:
     * memory for the head only) to tell whether it is whole: {@link StoredResult#complete()} is false for a result
     * damaged or cut short after its head, current by its head, which the caller then says. Tagging's own skip (tag,
     * watch, the function) reads this way, as status does: the function and the watch answered such a result
     * "skipped: a result … exists" without a word, where status and tag's rows said it was damaged.
     */
    public Optional<StoredResult> doneBySamePackReadWhole(ObjectStorage store, ObjectRef resultRef, ObjectInfo media) {
        return readForSkip(store, resultRef).filter(r -> doneBySamePack(store, r, media));
    }

    /**
     * The result at {@code resultRef} as {@link #doneBySamePackReadWhole} reads it (its head, the rest read to its end),
     * to be judged by {@link #doneBySamePack(ObjectStorage, StoredResult, ObjectInfo)} and
     * {@link StoredResult#newerVersion}: one read for both.
     */
    public Optional<StoredResult> readForSkip(ObjectStorage store, ObjectRef resultRef) {
        return read(store, resultRef, Part.HEAD_OF_WHOLE);
    }

    /**
     * The result at {@code resultRef} as {@link #doneBySamePack(ObjectStorage, ObjectRef, ObjectInfo)} reads it (its
     * head only), to be judged by {@link #doneBySamePack(ObjectStorage, StoredResult, ObjectInfo)} and
     * {@link StoredResult#newerVersion}: one read for both, where nothing is tagged (a publish).
     */
    public Optional<StoredResult> readHead(ObjectStorage store, ObjectRef resultRef) {
        return read(store, resultRef, Part.HEAD);
    }

    /** Whether {@code read} ({@link #readForSkip}) makes this run unnecessary, as {@link #doneBySamePackReadWhole} decides. */
    public boolean doneBySamePack(ObjectStorage store, StoredResult read, ObjectInfo media) {
        return sameRun(store, read.document(), media) && settles(read.document());
    }

    private Optional<JsonNode> currentHead(ObjectStorage store, ObjectRef resultRef, ObjectInfo media) {
        return read(store, resultRef, Part.HEAD).map(StoredResult::document).filter(r -> sameRun(store, r, media));
    }

    /**
     * Whether a current result is the answer for this version of the object: anything but an error, or an error about
     * the media itself ({@link MediaException.Kind#ofTheFile}, or no encoder finding anything in it). Any other error
     * came from something fixed without touching the file (a limit in the settings, a broken or missing model, a
     * sidecar transcript): kept, it would be skipped after the fix, until {@code --force}.
     */
    static boolean settles(JsonNode result) {
        if (!EmotionResult.ERROR.equals(result.path("status").asText(null))) return true;
        String kind = result.path("error").path("kind").asText("");
        return kind.equals(EmotionResult.Error.NO_USABLE_MODALITY)
                || Arrays.stream(MediaException.Kind.values()).anyMatch(k -> k.ofTheFile() && k.id().equals(kind));
    }

    private boolean sameRun(ObjectStorage store, JsonNode r, ObjectInfo media) {
        // Version 2 only: a newer major is left alone (StoredResult#newerVersion), an older one or a version no moodtag
        // writes ("2", 2.5) is no current result, and "version": 3 with the same pack was skipped as done
        if (!StoredResult.ofThisVersion(r)) return false;
        PackIdentity now = identity();
        boolean samePack = now.id().equals(r.path("pack").path("id").asText())
                && now.version().equals(r.path("pack").path("version").asText())
                && now.classifier().equals(r.path("classifier").path("description").asText());
        return samePack && sameSource(store, r.path("source"), media);
    }

    /**
     * Whether the result's source is this version of the object: its ETag, or size and time and then a local file's
     * version. Where the size matches but the time or the file version does not, they may have moved without the bytes
     * (a copy or restore of the archive gives every file a new inode, and a restore that keeps whole seconds or
     * microseconds a new time; chmod, a hard link or {@code touch} a new ctime or time), so the bytes decide: the file
     * is hashed once and compared with the {@code source.sha256} the result recorded. Tagging the same bytes again
     * would give the same result, at the cost of decoding and encoding them; the hash costs one read. A different
     * size is a change for sure and the same time and version are the same file: neither is hashed. On S3 without
     * ETags the same size and time are the same object only as far as {@link #timeSettled} proves it; else the bytes
     * decide too.
     */
    static boolean sameSource(ObjectStorage store, JsonNode src, ObjectInfo media) {
        if (media.etag().isPresent()) return media.etag().get().equals(src.path("etag").asText(null));
        // An integral JSON number only: 69798.9, "69798" and 2^64 + 69798 were a 69798-byte file's size
        if (WholeNumber.of(src.get("size"), 0, Long.MAX_VALUE, false).orElse(-1) != media.size()) return false;
        if (sameTime(src, media) && timeSettled(src, media)
                && Recognizer.sameFileVersion(media.fileVersion(), Optional.ofNullable(src.path("fileVersion").asText(null))))
            return true;
        return sameBytes(store, media, src.path("sha256").asText(""));
    }

    /**
     * Whether the recorded time tells the recorded version of an object apart from every later one. A local file's
     * does (the file system's own clock, to the nanosecond where it keeps them, and its file version besides). An S3
     * object without an ETag (an S3-compatible store that sends none) has only its size and a Last-Modified of whole
     * seconds: another object of the same size put within the same second has the same time, and its result from the
     * version before was kept as current. The recorded time proves the version only where the store's own clock
     * ({@code source.checkedAt}, its Date when the stat before the read was answered) had passed that second: any
     * version put after that stat has a later time. Without it (a result written before it was recorded, or a stat
     * within the second, as an event's tagging right after the upload is) the bytes decide.
     */
    private static boolean timeSettled(JsonNode src, ObjectInfo media) {
        if (media.ref().scheme() != ObjectRef.Scheme.S3) return true;
        if (media.lastModified().isEmpty()) return false; // no time at all: size alone proves nothing
        Instant checkedAt;
        try {
            checkedAt = Instant.parse(src.path("checkedAt").asText(""));
        } catch (java.time.format.DateTimeParseException none) {
            return false;
        }
        Instant secondAfter = media.lastModified().get().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).plusSeconds(1);
        return !checkedAt.isBefore(secondAfter);
    }

    private static boolean sameTime(JsonNode src, ObjectInfo media) {
        return media.lastModified().map(Instant::toString).orElse("").equals(src.path("lastModified").asText(""));
    }

    /**
     * Whether the object's bytes now hash to {@code recorded}, and it did not change while they were read (a hash of
     * bytes read half before and half after a rewrite is no version's). A result with no sha256, or one that is not
     * moodtag's lowercase hex, vouches for no bytes: the object is tagged again. An object that cannot be read is too,
     * so that its tagging says why (a store that is unavailable for now still fails as retryable).
     */
    private static boolean sameBytes(ObjectStorage store, ObjectInfo media, String recorded) {
        if (!SHA256_HEX.matcher(recorded).matches()) return false;
        String now;
        try {
            now = store.read(media, (in, announced) -> Sha256.of(in));
        } catch (StorageException e) {
            if (e.kind().isTransient()) throw e;
            LOG.debugf("%s cannot be hashed (%s): tagging it again", media.ref(), e.getMessage());
            return false;
        }
        if (!now.equals(recorded)) return false;
        Optional<ObjectInfo> after = store.stat(media.ref());
        return after.isPresent() && Recognizer.changedSince(media, after.get()).isEmpty();
    }

    /**
     * Records {@code media}'s file version and time in its result, which {@link #doneBySamePack} found current only by
     * its bytes' sha256 (see {@link #sameSource}), so that the next run does not hash the file again; for an S3 object
     * without an ETag, the store's time of a stat that proves its version ({@link #timeSettled}). The result is
     * rewritten atomically, streamed token by token from the one stored (memory for its head, whatever its timeline's
     * length: read whole, a million segments ran out of a 300 MB heap), unless it changed since its head was read
     * (another run wrote it meanwhile: a head field differs or is gone); nothing else of it changes but that a repeated
     * field is written once, its first, as it is read. A result that cannot be rewritten (damaged past its head, or the
     * store refuses) is left as it is: the next run hashes once more.
     */
    public void recordFileVersion(ObjectStorage store, ObjectRef resultRef, JsonNode head, ObjectInfo media,
                                  ResultWriter writer) {
        Optional<String> recorded = Optional.ofNullable(head.path("source").path("fileVersion").asText(null));
        // A version is recorded only where the result has one: adding it would make an older result schema 2.7.
        boolean newVersion = media.fileVersion().isPresent() && recorded.isPresent() && !recorded.equals(media.fileVersion());
        boolean newTime = media.lastModified().isPresent() && !sameTime(head.path("source"), media);
        // An S3 object without an ETag whose bytes were hashed: this stat, once its second had passed, proves the
        // version for the next runs. Recorded whatever the result's schema, which then names 2.8
        boolean newCheck = media.ref().scheme() == ObjectRef.Scheme.S3 && media.etag().isEmpty()
                && media.checkedAt().isPresent() && !timeSettled(head.path("source"), media)
                && timeSettled(JSON.createObjectNode().put("checkedAt", media.checkedAt().get().toString()), media);
        if (!newVersion && !newTime && !newCheck) return;
        try {
            writer.writeStreamed(store, resultRef, out -> {
                if (!store.read(resultRef, (in, announced) -> copyWithSource(in, head, out, media, newVersion, newTime,
                        newCheck)))
                    throw new NotTheResultJudged();
            });
        } catch (NotTheResultJudged e) {
            // rewritten meanwhile (that run's), or damaged past its head: left as it is, nothing written
        } catch (StorageException | IOException e) {
            LOG.warnf("%s: its file's new version and time were not recorded (%s); the next run hashes the file again", resultRef,
                    e.getMessage());
        }
    }

    private static final class NotTheResultJudged extends IOException {
    }

    /**
     * Reads the result in {@code in} as a stream, checking that its head's fields are {@code head}'s, and copies it to
     * {@code out}, its source's file version and time changed as asked. Whether the result is still the one judged and
     * whole (the parse as {@link #parse}'s, within {@link #MAX_RESULT_BYTES}), and so copied: false leaves {@code out}
     * incomplete, to be thrown away. A failing stream propagates (the store's to judge).
     */
    private static boolean copyWithSource(InputStream in, JsonNode head, JsonGenerator out, ObjectInfo media,
                                          boolean newVersion, boolean newTime, boolean newCheck) throws IOException {
        LimitedInputStream counted = new LimitedInputStream(new SourceStream(in), MAX_RESULT_BYTES, read -> {
            throw new ReadPastLimit(MAX_RESULT_BYTES);
        });
        try (JsonParser p = JSON.createParser(counted)) {
            p.disable(JsonParser.Feature.AUTO_CLOSE_SOURCE);
            if (p.nextToken() != JsonToken.START_OBJECT) return false;
            out.writeStartObject();
            Set<String> seen = new java.util.HashSet<>();
            JsonToken t;
            for (t = p.nextToken(); t == JsonToken.FIELD_NAME; t = p.nextToken()) {
                String name = p.currentName();
                p.nextToken();
                // A repeated field counts once, the first, as every read of a result takes it
                if (!seen.add(name)) {
                    skipReadingStrings(p);
                    continue;
                }
                if (head.has(name)) {
                    JsonNode value = p.readValueAsTree();
                    if (!head.get(name).equals(value)) return false; // rewritten meanwhile: that run's
                    if (name.equals("source") && value instanceof ObjectNode source) {
                        if (newVersion) source.put("fileVersion", media.fileVersion().get());
                        if (newTime) source.put("lastModified", media.lastModified().get().toString());
                        if (newCheck) source.put("checkedAt", media.checkedAt().get().toString());
                    }
                    out.writeFieldName(name);
                    // the store's time is a 2.8 field, whatever schema the result named
                    if (name.equals("schema") && newCheck)
                        out.writeString(EmotionResult.schemaOf(false, true, value.asText()));
                    else out.writeTree(value);
                } else if (name.equals("schema") && newCheck) {
                    out.writeFieldName(name);
                    out.writeString(EmotionResult.schemaOf(false, true, p.getValueAsString("")));
                    p.skipChildren();
                } else {
                    out.writeFieldName(name);
                    out.copyCurrentStructure(p);
                }
            }
            if (t != JsonToken.END_OBJECT || !seen.containsAll(toSet(head))) return false;
            out.writeEndObject();
            return true;
        } catch (SourceFailed e) {
            throw e.getCause();
        } catch (JsonProcessingException e) {
            // the content's: malformed, or past what the read-back reads (StreamReadConstraints)
            LOG.debugf("existing result unreadable (%s): its file version is not recorded", e.getMessage());
            return false;
        } catch (ReadPastLimit e) {
            return false;
        }
    }

    private static Set<String> toSet(JsonNode head) {
        Set<String> names = new java.util.HashSet<>();
        head.fieldNames().forEachRemaining(names::add);
        return names;
    }

    /**
     * Whether {@code media}, as {@code info} describes it now, has a result that makes a new run unnecessary
     * ({@link #doneBySamePack}; its head only).
     */
    public boolean isCurrent(ObjectStorage store, ObjectRef media, ObjectInfo info) {
        return doneBySamePack(store, resultFor(media), info).isPresent();
    }

    /**
     * The result of {@code media} from this pack for this version of the object, as {@code status} reports it: an
     * error result is current here even when {@link #settles} would have it redone, since it is what storage holds
     * until a run redoes it. None when the object has none, or one from another pack or object version, or where a
     * file is there that is no result document. The rest is then read for what it says, the timeline's segments
     * counted and, where {@code segments} is given, passed to it one by one as they stream past (never kept in the
     * document: a result is outside input, and a million segments read into a tree took over 300 MB); where the rest
     * cannot be read the result is still current, marked incomplete. {@code media} is the stat the caller just made
     * ({@code status} needs it again for an object with no result), so it is not repeated.
     */
    public Found current(ObjectStorage store, ObjectInfo media, SegmentReader segments) {
        ObjectRef resultRef = resultFor(media.ref());
        // One read in the usual case: a whole document's head is what the head alone reads (the first of a repeated
        // field, within MAX_HEAD_BYTES); the head is read on its own only where the rest is unreadable.
        Optional<StoredResult> whole;
        try {
            whole = store.read(resultRef, (in, announced) -> parse(in, Part.ALL_BUT_SEGMENTS, segments));
        } catch (StorageException e) {
            if (e.kind().isTransient()) throw e;
            // None there (every object not tagged yet), or no regular file: a read of its head would be refused alike,
            // and was made anyway, a second lookup per pending object
            return Found.NONE;
        }
        if (whole.isPresent()) return found(store, whole.get(), media, r -> r);
        Optional<StoredResult> head = read(store, resultRef, Part.HEAD);
        if (head.isEmpty()) return new Found(Optional.empty(), true, Optional.empty());
        return found(store, head.get(), media, r -> new StoredResult(r.document(), null, false));
    }

    private Found found(ObjectStorage store, StoredResult read, ObjectInfo media, UnaryOperator<StoredResult> kept) {
        Optional<BigInteger> newer = StoredResult.newerVersion(read.document());
        if (newer.isPresent()) return new Found(Optional.empty(), false, newer);
        return new Found(Optional.of(read).filter(r -> sameRun(store, r.document(), media)).map(kept), false,
                Optional.empty());
    }

    /**
     * What {@link #current} finds where an object's result goes.
     *
     * @param current    the current result; empty for none, or one of another pack or object version
     * @param unreadable a regular file is there that is no result document (empty, no JSON, cut or damaged among its
     *                   first fields, or without them in its first {@link #MAX_HEAD_BYTES}), which the next run tags
     *                   the object again over, as tagging's skip finds no result in it: status said "none yet" of it
     *                   as of an object never tagged
     * @param newer      the major version of a result a newer moodtag wrote there ({@link StoredResult#newerVersion}),
     *                   which no run of this one tags over
     */
    public record Found(Optional<StoredResult> current, boolean unreadable, Optional<BigInteger> newer) {
        static final Found NONE = new Found(Optional.empty(), false, Optional.empty());
    }

    /**
     * What {@link #doneBySamePack} compares of the pack, as one string: the model pack's id and version and the
     * classifier. Event ids of the fan-out are derived from it, so a new pack makes new events.
     */
    public String packIdentity() {
        return identity().joined();
    }

    /**
     * The configured pack's identity ({@link PackIdentity}), read once per process; a pack that cannot be read
     * ({@link dev.moodtag.pack.ModelPackException}: no manifest, a malformed one, a file missing) is refused here.
     */
    public PackIdentity identity() {
        return pack.get();
    }

    /**
     * The result document at {@code resultRef} without its timeline's segments, which are counted
     * ({@link StoredResult#segments()}); empty when there is none or it cannot be read.
     */
    public Optional<StoredResult> readResult(ObjectStorage store, ObjectRef resultRef) {
        return read(store, resultRef, Part.ALL_BUT_SEGMENTS);
    }

    /**
     * The result document at {@code resultRef} without its timeline's segments, which are counted and passed to
     * {@code segments} one by one as they stream past; empty when there is none or it cannot be read.
     */
    public Optional<StoredResult> readResult(ObjectStorage store, ObjectRef resultRef, SegmentReader segments) {
        return read(store, resultRef, Part.ALL_BUT_SEGMENTS, segments);
    }

    /**
     * What reads a timeline's segments as the document streams past, keeping only what it needs of them (the report's
     * drawing, bounded by its pixels): the document then holds none of them, whatever their number. A segment a reader
     * saw belongs to a document only once the read returns it whole ({@link StoredResult#complete()}).
     */
    public interface SegmentReader {
        /**
         * Whether to read the segments here, told the timeline's fields written before them (the product writes its
         * duration first); when not, they are counted only.
         */
        boolean begin(JsonNode timelineBefore);

        /** Reads one segment, any JSON value, from its first token (the parser's current one) to its last. */
        void segment(JsonParser p) throws IOException;
    }

    /**
     * Removes the result beside a local file when it names that file ({@code source.uri}), reading no more of it than
     * skip-if-done does (its head, within {@link #MAX_HEAD_BYTES}): a file that is not a result, whatever its size, is
     * left unread past that. Whether it was removed.
     */
    public boolean removeResultNaming(LocalObjectStorage store, ObjectRef media) {
        return store.deleteIf(resultFor(media), (in, size) -> parse(in, Part.HEAD)
                .filter(r -> media.uri().equals(r.document().at("/source/uri").asText(null))).isPresent());
    }

    /** How much of a result document is read. */
    enum Part {
        /** The fields a skip-if-done decision reads; the rest of the document is not fetched. */
        HEAD,
        /**
         * The head's fields, the rest read to the document's end and skipped, to tell whether it is whole: memory for
         * the head only, time for the whole (a damaged rest makes the result incomplete, not none).
         */
        HEAD_OF_WHOLE,
        /** Everything but a timeline's segments, which are counted: memory stays small whatever the recording's length. */
        ALL_BUT_SEGMENTS
    }

    private Optional<StoredResult> read(ObjectStorage store, ObjectRef resultRef, Part part) {
        return read(store, resultRef, part, null);
    }

    private Optional<StoredResult> read(ObjectStorage store, ObjectRef resultRef, Part part, SegmentReader segments) {
        try {
            return store.read(resultRef, (in, announced) -> parse(in, part, segments));
        } catch (StorageException e) {
            if (e.kind().isTransient()) throw e;
            LOG.debugf("existing result %s unreadable (%s): redoing it", resultRef, e.getMessage());
            return Optional.empty(); // none, or not a regular file: (re)do it
        }
    }

    /**
     * Parses a result document from a stream, never holding more of it than {@code part} asks for. Empty when it is not
     * a result document (unreadable, cut short by another writer, or without its head in its first
     * {@link #MAX_HEAD_BYTES}): the object is tagged again. A failing stream propagates (the store's to judge).
     */
    static Optional<StoredResult> parse(InputStream in, Part part) throws IOException {
        return parse(in, part, null);
    }

    /** As {@link #parse(InputStream, Part)}, the timeline's segments passed to {@code reader} where it is given. */
    static Optional<StoredResult> parse(InputStream in, Part part, SegmentReader reader) throws IOException {
        long limit = part == Part.HEAD ? MAX_HEAD_BYTES : MAX_RESULT_BYTES;
        boolean headOnly = part == Part.HEAD || part == Part.HEAD_OF_WHOLE;
        // A result is written by moodtag, so anything far larger is not one
        LimitedInputStream counted = new LimitedInputStream(new SourceStream(in), limit, read -> {
            throw new ReadPastLimit(limit);
        });
        // The store closes its stream (and aborts an S3 body not read to its end); the parser must not close it first.
        KeptBytes keeping = new KeptBytes(counted);
        try (JsonParser p = JSON.createParser(keeping)) {
            p.disable(JsonParser.Feature.AUTO_CLOSE_SOURCE);
            if (p.nextToken() != JsonToken.START_OBJECT) return Optional.empty();
            ObjectNode doc = JSON.createObjectNode();
            Integer segments = null;
            boolean headRead = false;
            // Past the head as HEAD reads it (it returns there), nothing more counts towards what the document is
            boolean headDone = false;
            try {
                for (JsonToken t = p.nextToken(); t == JsonToken.FIELD_NAME; t = p.nextToken()) {
                    String name = p.currentName();
                    p.nextToken();
                    // A repeated field counts once, the first, in every part: the head decides by the first too.
                    if ((headOnly && !HEAD.contains(name)) || doc.has(name)) {
                        if (part == Part.HEAD_OF_WHOLE) skipReadingStrings(p);
                        else p.skipChildren();
                        continue;
                    }
                    // What a report reads holds nothing that grows with the recording: not the transcript's timing of
                    // every word, nor a timeline that is no object (none is drawn), read (strings too) but not kept
                    if (reader != null && (name.equals("transcript")
                            || name.equals("timeline") && p.currentToken() != JsonToken.START_OBJECT)) {
                        skipReadingStrings(p);
                        continue;
                    }
                    if (name.equals("timeline") && p.currentToken() == JsonToken.START_OBJECT) {
                        ObjectNode timeline = JSON.createObjectNode();
                        for (JsonToken f = p.nextToken(); f == JsonToken.FIELD_NAME; f = p.nextToken()) {
                            String field = p.currentName();
                            if (p.nextToken() == JsonToken.START_ARRAY && field.equals("segments") && segments == null) {
                                boolean read = reader != null && reader.begin(timeline);
                                int n = 0;
                                for (JsonToken e = p.nextToken(); e != JsonToken.END_ARRAY; e = p.nextToken(), n++) {
                                    if (e == null) return newerOr(doc, Optional.empty());
                                    if (read) reader.segment(p);
                                    else p.skipChildren();
                                }
                                segments = n;
                            } else if (timeline.has(field) || field.equals("segments")) {
                                p.skipChildren();
                            } else {
                                timeline.set(field, keeping.keep(p));
                            }
                        }
                        doc.set(name, timeline);
                    } else {
                        doc.set(name, keeping.keep(p));
                    }
                    if (!headDone && (name.equals("version") || name.equals("schema"))) {
                        // A schema URL of another major than the version: a document that contradicts itself, no
                        // result of either, whichever of the two comes first (a schema past the head counts in no part)
                        if (StoredResult.versionsDisagree(doc)) return Optional.empty();
                        // A newer moodtag's result is judged by its version alone, whatever else it holds or lacks,
                        // once its schema (written first) agrees; one with no schema yet is judged where reading ends
                        if (doc.has("schema") && doc.has("version") && StoredResult.newerVersion(doc).isPresent())
                            return Optional.of(new StoredResult(doc, null));
                    }
                    if (!headRead && DECIDING.stream().allMatch(doc::has)) {
                        // Every part requires the head where HEAD finds it, so that all agree on what is a result.
                        if (counted.bytesRead() > MAX_HEAD_BYTES) return newerOr(doc, Optional.empty());
                        headRead = true;
                    }
                    // An error result's kind decides whether it settles the object; it follows the head by a few fields.
                    headDone = headRead
                            && (doc.has("error") || !EmotionResult.ERROR.equals(doc.path("status").asText(null)));
                    if (headDone && part == Part.HEAD) return Optional.of(new StoredResult(doc, null));
                }
            } catch (SourceFailed e) {
                throw e;
            } catch (IOException e) {
                // cut or past the limit: a newer moodtag's result still, as it was at its version before
                if (StoredResult.newerVersion(doc).isPresent()) return newerOr(doc, Optional.empty());
                if (part != Part.HEAD_OF_WHOLE || !headRead) throw e;
                LOG.debugf("existing result unreadable past its head (%s)", e.getMessage());
                return Optional.of(new StoredResult(doc, null, false));
            }
            // A newer moodtag's result with no schema before its head's end, whatever else it lacks, as at its version
            if (StoredResult.newerVersion(doc).isPresent()) return Optional.of(new StoredResult(doc, segments));
            if (!headRead) return Optional.empty();
            if (p.currentToken() != JsonToken.END_OBJECT)
                return part == Part.HEAD_OF_WHOLE ? Optional.of(new StoredResult(doc, null, false)) : Optional.empty();
            return Optional.of(new StoredResult(doc, segments));
        } catch (SourceFailed e) {
            throw e.getCause();
        } catch (IOException e) {
            // Anything but the source failing is the content's: malformed JSON, bytes in no encoding Jackson reads
            // (a CharConversionException, e.g. a media file where the result should be), or too long to be one.
            LOG.debugf("existing result unreadable (%s): redoing it", e.getMessage());
            return Optional.empty();
        }
    }

    /** {@code doc} as a newer moodtag's result where its version says so (whatever else it lacks), else {@code otherwise}. */
    private static Optional<StoredResult> newerOr(JsonNode doc, Optional<StoredResult> otherwise) {
        return StoredResult.newerVersion(doc).isPresent() ? Optional.of(new StoredResult(doc, null)) : otherwise;
    }

    /**
     * Skips the current value as {@link JsonParser#skipChildren} does, with each string's text read: the limits Jackson
     * puts on what it reads (a string of more than 20,000,000 characters) then refuse here what they refuse where a
     * field is kept, so that a skip that reads a document whole judges it as status does. A skip left such a string
     * unread, and a result with a 50 MB field was whole to the function and damaged to status. A report's drawing skips
     * what it does not draw of a segment alike.
     */
    public static void skipReadingStrings(JsonParser p) throws IOException {
        JsonToken t = p.currentToken();
        for (int depth = 0; ; t = p.nextToken()) {
            if (t == null) throw new java.io.EOFException("the document ends inside a value");
            if (t == JsonToken.VALUE_STRING) p.getTextLength();
            else if (t.isStructStart()) depth++;
            else if (t.isStructEnd()) depth--;
            if (depth == 0) return;
        }
    }

    /** Marks the store's own read failures, so they are told apart from what the parser finds wrong with the content. */
    private static final class SourceStream extends FilterInputStream {
        SourceStream(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            try {
                return super.read();
            } catch (IOException e) {
                throw new SourceFailed(e);
            }
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            try {
                return super.read(b, off, len);
            } catch (IOException e) {
                throw new SourceFailed(e);
            }
        }
    }

    private static final class SourceFailed extends IOException {
        SourceFailed(IOException cause) {
            super(cause.getMessage(), cause);
        }

        @Override
        public synchronized IOException getCause() {
            return (IOException) super.getCause();
        }
    }

    /**
     * What a skip-if-done decision reads of a result, written first, so in its first few kB; reading stops once the
     * {@link #DECIDING} fields are in (and, for an error result, its error).
     */
    private static final Set<String> HEAD = Set.of("schema", "version", "status", "label", "source", "pack", "classifier", "error");
    /** With the version (written second): a document without one is no result, in every part alike. */
    private static final Set<String> DECIDING = Set.of("version", "source", "pack", "classifier");

    /**
     * Most bytes of a result's fields that one read keeps as trees (all but the segments, which stream past, and what
     * a part skips). What real results keep is a few kB (head, summary, encoders, timings) and a transcript's word
     * timings, about 60 bytes a word: 64 MiB is over a million words, about 120 hours of speech. Past it the document
     * is unreadable, as one past {@link #MAX_RESULT_BYTES} is: a hostile result of many strings in its summary, each
     * within Jackson's 20,000,000 characters, was kept whole, 300 MB of it ran status out of a 300 MB heap.
     */
    static final long MAX_KEPT_BYTES = 64L << 20;

    /** Counts the bytes read while a field is kept ({@link #keep}), refusing the read past {@link #MAX_KEPT_BYTES}. */
    private static final class KeptBytes extends FilterInputStream {
        private long read;
        private long ceiling = Long.MAX_VALUE;
        private long left = MAX_KEPT_BYTES;

        KeptBytes(InputStream in) {
            super(in);
        }

        /** The current value as a tree, its bytes counted (within the parser's read-ahead of a few kB). */
        JsonNode keep(JsonParser p) throws IOException {
            long from = read;
            ceiling = read + left;
            try {
                return p.readValueAsTree();
            } finally {
                left -= Math.min(left, read - from);
                ceiling = Long.MAX_VALUE;
            }
        }

        private int counted(int n) throws IOException {
            if (n > 0) read += n;
            if (read > ceiling) throw new IOException("its fields other than the timeline's segments are more than "
                    + MAX_KEPT_BYTES + " bytes");
            return n;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            counted(b < 0 ? -1 : 1);
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            return counted(super.read(b, off, len));
        }
    }

    private static final class ReadPastLimit extends IOException {
        ReadPastLimit(long limit) {
            super("more than " + limit + " bytes");
        }
    }
}
