package dev.moodtag.tagging;

import dev.moodtag.media.ShownNames;
import dev.moodtag.media.TranscriptLoader;
import dev.moodtag.storage.CopiedObject;
import dev.moodtag.storage.LocalFailures;
import dev.moodtag.storage.ObjectInfo;
import dev.moodtag.storage.ObjectRef;
import dev.moodtag.storage.ObjectStorage;
import dev.moodtag.storage.StorageException;
import dev.moodtag.support.Sha256;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The bounded copy of an object into a folder of the {@link ScratchSpace}, with its transcript sidecar beside it so
 * the decoder finds it: the decoder and encoders only ever read local files.
 */
@Singleton
public class ObjectCopier {

    private static final Logger LOG = Logger.getLogger(ObjectCopier.class);

    private final TimelineTagger timelines;
    private final FunctionMetrics metrics;

    public ObjectCopier(TimelineTagger timelines, FunctionMetrics metrics) {
        this.timelines = timelines;
        this.metrics = metrics;
    }

    /**
     * What was copied: the local media file (in {@code dir}) and the name of the object it is a copy of, what the copy
     * saw of the object, and its sidecar's copy if one was found. While it is open, messages name each copy by the
     * object it stands for ({@link ShownNames}): the copies are named after the media's {@link #safeName}, so a
     * transcript's origin and every reason (a blank or malformed sidecar, one not found, media that does not decode or
     * is over a bound) said {@code a_b.txt} or {@code a_b.wav} for {@code a b} and {@code a+b} alike, names that are in
     * no folder and no bucket. Closing it (once the copies are used) shows them by their own names again.
     */
    public record Copy(Path media, String name, CopiedObject object, Optional<SidecarCopy> sidecar)
            implements AutoCloseable {

        /** Each local copy, with the name of the object it is a copy of. */
        Map<Path, String> shownNames() {
            Map<Path, String> names = new LinkedHashMap<>();
            names.put(media, name);
            sidecar.ifPresent(s -> names.put(media.resolveSibling(s.local()), s.stored()));
            return names;
        }

        @Override
        public void close() {
            ShownNames.forget(shownNames().keySet());
        }
    }

    /** A sidecar's copy beside the media: the local file's name, and the name of the object it is a copy of. */
    public record SidecarCopy(String local, String stored) {
    }

    /**
     * Copies at most {@code maxBytes} of the object {@code stat} describes and its sidecar, if any, into {@code dir}.
     * A body that ends short of the stat's size where the store did not announce a length, or another version than the
     * stat's, is retryable ({@link ObjectStorage#read(ObjectInfo, ObjectStorage.ContentReader)}), never tagged as the
     * object the stat described. The caller closes the copy once it is used.
     */
    public Copy copy(ObjectStorage store, ObjectInfo stat, Path dir, long maxBytes) {
        ObjectRef ref = stat.ref();
        Path media = dir.resolve(safeName(ref.name()));
        CopiedObject copied = store.copyTo(stat, media, maxBytes);
        metrics.bytesRead(copied.bytes());
        Copy copy = new Copy(media, ref.name(), copied, copySidecar(store, ref, dir, media));
        ShownNames.show(copy.shownNames());
        return copy;
    }

    /**
     * Copies the first of {@code <base>.txt/.vtt/.srt/.json} beside the object (in any case,
     * {@link TranscriptLoader#sidecarNames}), if one exists, so the decoder finds it under the same extension; one that
     * cannot be copied (over max-sidecar-bytes, unreadable) leaves its reason there instead, so the text is missing
     * with that reason and not recognised over.
     */
    private Optional<SidecarCopy> copySidecar(ObjectStorage store, ObjectRef ref, Path dir, Path media) {
        String base = TranscriptLoader.baseName(media.getFileName().toString());
        List<ObjectRef> candidates = TranscriptLoader.sidecarNames(ref.name()).stream().map(ref::sibling).toList();
        Optional<ObjectInfo> found = store.firstExisting(candidates);
        if (found.isEmpty()) return Optional.empty();
        ObjectRef sidecar = found.get().ref();
        String sidecarName = sidecar.name();
        Path local = dir.resolve(base + sidecarName.substring(sidecarName.lastIndexOf('.')));
        long max = timelines.transcriptLimits().maxSidecarBytes();
        try {
            store.copyTo(found.get(), local, max);
        } catch (StorageException e) {
            // A link leading out of the root is refused like the media itself would be, not quietly skipped.
            if (e.kind().isTransient() || e.kind() == StorageException.Kind.NOT_ALLOWED) throw e;
            LOG.warnf("transcript %s not used: %s", sidecar, e.getMessage());
            // Gone since it was seen: no sidecar. Otherwise its reason stands in its place, as for a local one.
            if (e.kind() == StorageException.Kind.NOT_FOUND) return Optional.empty();
            refuse(local, sidecar.uri(), e.kind() == StorageException.Kind.TOO_LARGE
                    ? "it has more than moodtag.transcript.max-sidecar-bytes=" + max + " bytes in storage"
                    : "cannot copy it from storage: " + e.getMessage());
        }
        return Optional.of(new SidecarCopy(local.getFileName().toString(), sidecarName));
    }

    private static void refuse(Path sidecar, String stored, String reason) {
        try {
            TranscriptLoader.refuse(sidecar, reason);
        } catch (IOException e) {
            throw LocalFailures.ofScratch(e, sidecar.getParent(), -1, stored);
        }
    }

    /**
     * Longest local name of a copy. Object names may be far longer than a filesystem allows (an S3 key's last part up
     * to 1,024 bytes, where ext4 takes 255), and the copy's sidecar ({@code .json}) and a refused sidecar's reason
     * ({@code .refused}) must still fit beside it.
     */
    static final int MAX_LOCAL_NAME = 160;
    private static final int MAX_EXTENSION = 16;

    /**
     * The object's name as a safe local file name: keys may hold characters a filesystem refuses, and be longer than
     * it allows. A name over {@link #MAX_LOCAL_NAME} keeps its start and its extension (FFmpeg may need it to tell
     * a format apart), with a hash of the whole name between them; only one object is copied into a folder, so the
     * hash is there for people reading the logs, not to tell copies apart.
     */
    static String safeName(String name) {
        String s = name.replaceAll("[^A-Za-z0-9._-]", "_");
        s = s.isEmpty() || s.startsWith(".") ? "media" + s : s;
        if (s.length() <= MAX_LOCAL_NAME) return s;
        int dot = s.lastIndexOf('.');
        String ext = dot > 0 && s.length() - dot <= MAX_EXTENSION ? s.substring(dot) : "";
        String hash = "~" + Sha256.of(name).substring(0, 12);
        return s.substring(0, MAX_LOCAL_NAME - hash.length() - ext.length()) + hash + ext;
    }
}
