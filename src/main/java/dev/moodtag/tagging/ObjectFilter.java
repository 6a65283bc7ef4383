package dev.moodtag.tagging;

import dev.moodtag.media.MediaFiles;
import dev.moodtag.storage.ObjectRef;
import dev.moodtag.storage.ObjectStorage;
import dev.moodtag.storage.ResultNames;
import dev.moodtag.support.SettingOutOfRange;
import jakarta.inject.Singleton;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

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
        this.config = config;
    }

    /** Checked on the key alone, before the object is read. */
    public Optional<String> byKey(String key) {
        String lower = key.toLowerCase(Locale.ROOT);
        String prefix = config.result().prefix().orElse("");
        if (ResultNames.ends(key, config.result().suffix()) || (!prefix.isEmpty() && ResultNames.starts(key, prefix)))
            return Optional.of("a moodtag result (moodtag.function.result.*): never processed, so results cannot loop");
        List<String> prefixes = config.filter().prefixes().orElse(List.of());
        if (!prefixes.isEmpty() && prefixes.stream().noneMatch(key::startsWith))
            return Optional.of("key does not start with a configured prefix " + prefixes + " (moodtag.function.filter.prefixes)");
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
