package dev.moodtag.tagging;

import dev.moodtag.media.MediaFiles;
import dev.moodtag.media.TranscriptLoader;
import dev.moodtag.storage.ObjectRef;
import dev.moodtag.storage.ObjectStorage;
import dev.moodtag.storage.ResultNames;
import dev.moodtag.support.SettingOutOfRange;
import jakarta.inject.Singleton;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Which objects are tagged at all ({@code moodtag.function.filter.*}, {@code moodtag.function.result.*}): each check
 * answers why an object is ignored, or empty when it passes. Results themselves never pass, so results cannot loop.
 */
@Singleton
public class ObjectFilter {

    private final FunctionConfig config;

    public ObjectFilter(FunctionConfig config) {
        // Below 1 every object was ignored as too large, the batch ending with exit code 0 and nothing tagged.
        if (config.filter().maxObjectBytes() < 1)
            throw new SettingOutOfRange("moodtag.function.filter.max-object-bytes must be at least 1, not "
                    + config.filter().maxObjectBytes());
        checkResultSuffix(config.result().suffix());
        this.config = config;
    }

    private static final String SUFFIX_KEY = "moodtag.function.result.suffix";

    /**
     * Refuses a result suffix that makes results and inputs look alike: a name ending with it is a result to every
     * command, and a media's result is its name with the suffix after it. Empty, every name was a result, so nothing was
     * ever tagged (each object "ignored" as a moodtag result, exit code 0); without a dot the result has no extension of
     * its own and every name ending like the suffix is a result ({@code 4}: each {@code .mp4} ignored,
     * {@code clip.wav4} written); ending with a dot, the result of {@code clip.wav} is {@code clip.wav.}, the media
     * itself where trailing dots are dropped (Windows, SMB shares); ending with a media extension ({@code .wav}), every
     * such media is a result and the result of {@code clip.mp4} is media ({@code clip.mp4.wav}); and a sidecar's
     * extension alone ({@code .txt}) makes each sidecar a result and the result of {@code clip.wav} the transcript of
     * {@code clip.wav.mp4}. A suffix with more before its sidecar extension ({@code .emotion.json}) is none of these.
     */
    static void checkResultSuffix(String suffix) {
        String why = null;
        int dot = suffix.lastIndexOf('.');
        String last = dot < 0 ? "" : suffix.substring(dot + 1).toLowerCase(Locale.ROOT);
        if (suffix.isEmpty())
            why = "must not be empty: every name would end with it, so every object would be ignored as a result";
        else if (dot < 0)
            why = "must hold a dot: the result would have no extension of its own, and every name ending like it would"
                    + " be taken for a result";
        else if (last.isEmpty())
            why = "must not end with a dot: where trailing dots are dropped (Windows, SMB shares) the result would be the"
                    + " media itself";
        else if (MediaFiles.EXTENSIONS.contains(last))
            why = "must not end with a media extension (." + last + "): every such media would be taken for a result,"
                    + " and results would be media to tag";
        else if (dot == 0 && TranscriptLoader.SIDECAR_EXTENSIONS.contains(last))
            why = "must not be a transcript sidecar's extension alone: every sidecar would be taken for a result, and a"
                    + " result for the sidecar of another media (write it as .emotion" + suffix + ")";
        if (why != null)
            throw new SettingOutOfRange(SUFFIX_KEY + " " + why + ", not '" + suffix + "'");
    }

    /**
     * Checked on the key alone, before the object is read, the prefixes compared with case, as S3 compares keys: for
     * a question asked of a key without its store.
     */
    public Optional<String> byKey(String key) {
        return byKey(key, key::startsWith);
    }

    /**
     * As {@link #byKey(String)}, the prefixes compared as {@code store} tells names apart
     * ({@link ObjectStorage#keyStartsWith}): with case on S3 and a case-sensitive disk, without where the file system
     * folds case, as it resolves the names.
     */
    public Optional<String> byKey(ObjectStorage store, ObjectRef ref) {
        return byKey(ref.key(), prefix -> store.keyStartsWith(ref, prefix));
    }

    private Optional<String> byKey(String key, Predicate<String> startsWith) {
        String lower = key.toLowerCase(Locale.ROOT);
        String prefix = config.result().prefix().orElse("");
        if (ResultNames.ends(key, config.result().suffix()) || (!prefix.isEmpty() && ResultNames.starts(key, prefix)))
            return Optional.of("a moodtag result (moodtag.function.result.*): never processed, so results cannot loop");
        List<String> prefixes = config.filter().prefixes().orElse(List.of());
        if (!prefixes.isEmpty() && prefixes.stream().noneMatch(startsWith))
            return Optional.of("key does not start with a configured prefix " + prefixes
                    + " (moodtag.function.filter.prefixes, compared with case where the store tells case apart)");
        Optional<List<String>> suffixes = config.filter().suffixes();
        if (suffixes.isPresent()) {
            if (suffixes.get().stream().noneMatch(s -> lower.endsWith(s.toLowerCase(Locale.ROOT))))
                return Optional.of("key does not end with a configured suffix " + suffixes.get() + " (moodtag.function.filter.suffixes)");
        } else if (!MediaFiles.isMedia(Path.of(ObjectCopier.safeName(key.substring(key.lastIndexOf('/') + 1))))) {
            return Optional.of("not a media file name (extensions " + MediaFiles.EXTENSIONS.stream().sorted().toList()
                    + "; moodtag.function.filter.suffixes changes this)");
        }
        return Optional.empty();
    }

    /**
     * Checked on the object's first bytes, for an object found rather than named, whose name source code shares with
     * media ({@link MediaFiles#nameSharedWithSource}: .ts, .mts); no other object is read here.
     */
    public Optional<String> byContent(ObjectStorage store, ObjectRef ref) {
        if (!MediaFiles.nameSharedWithSource(ref.name())) return Optional.empty();
        return MediaFiles.notMedia(ref.name(), store.read(ref, (in, announced) -> in.readNBytes(MediaFiles.HEAD_BYTES)));
    }

    /**
     * Checked on the object as its store describes it: its size and content type. The function ignores such an object;
     * a publish does not send it, and status does not wait for its result.
     */
    public Optional<String> bySizeAndType(long size, Optional<String> contentType) {
        return bySize(size).or(() -> byType(contentType));
    }

    /** Checked on the size an event reports and again on the size the store reports. */
    public Optional<String> bySize(long size) {
        return size > config.filter().maxObjectBytes() ? Optional.of("object has " + size
                + " bytes, more than moodtag.function.filter.max-object-bytes=" + config.filter().maxObjectBytes())
                : Optional.empty();
    }

    /** An object without a content type passes: only a type that is known and not listed is refused. */
    public Optional<String> byType(Optional<String> contentType) {
        List<String> types = config.filter().mediaTypes().orElse(List.of());
        if (types.isEmpty() || contentType.isEmpty()) return Optional.empty();
        String t = contentType.get().toLowerCase(Locale.ROOT);
        return types.stream().anyMatch(p -> t.startsWith(p.toLowerCase(Locale.ROOT))) ? Optional.empty()
                : Optional.of("content type " + t + " is not one of " + types + " (moodtag.function.filter.media-types)");
    }

    public long maxObjectBytes() {
        return config.filter().maxObjectBytes();
    }
}
