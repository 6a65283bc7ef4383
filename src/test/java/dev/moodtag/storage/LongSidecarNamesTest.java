package dev.moodtag.storage;

import dev.moodtag.media.TranscriptLoader;
import dev.moodtag.testing.Utf8Names;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The sidecar names of media named 240 to 255 bytes (ASCII and two-byte characters, extensions of 2 to 4 letters):
 * a candidate longer than 255 bytes ({@code <base>.json} beside {@code <base>.ts}) cannot exist, so it is passed over,
 * and the sidecar that does exist is still found. Before, the lookup stopped at such a candidate with "no file system
 * can hold …" (FAILED); tagging refuses such a media first for its result's name, so this is the store's own rule.
 */
class LongSidecarNamesTest {

    @TempDir
    Path root;

    @Test
    void aSidecarNameNoFileSystemCanHoldIsPassedOverAndTheOneThereIsFound() throws Exception {
        LocalObjectStorage store = new LocalObjectStorage(List.of(root), true);
        List<String> wrong = new ArrayList<>();
        int looked = 0;
        for (String ext : List.of("ts", "dv", "wav", "mp4", "flac")) {
            for (int bytes = 240; bytes <= 255; bytes++) {
                for (boolean multiByte : new boolean[]{false, true}) {
                    String media = Utf8Names.ofBytes(bytes, multiByte, "." + ext);
                    String base = media.substring(0, media.length() - 1 - ext.length());
                    ObjectRef ref = new ObjectRef(ObjectRef.Scheme.FILE, root.toString(), media);
                    List<ObjectRef> candidates = TranscriptLoader.sidecarNames(media).stream().map(ref::sibling).toList();
                    // none there, then a .srt (within 255 bytes for every extension here but the 2-letter ones at 255)
                    for (boolean withSidecar : new boolean[]{false, true}) {
                        looked++;
                        String srt = base + ".srt";
                        boolean srtFits = srt.getBytes(StandardCharsets.UTF_8).length <= 255;
                        if (withSidecar && srtFits) Files.writeString(root.resolve(srt), "1\n00:00:00,000 --> 00:00:01,000\nhi\n");
                        try {
                            Optional<ObjectInfo> found = store.firstExisting(candidates);
                            String expected = withSidecar && srtFits ? srt : "none";
                            String got = found.map(f -> f.ref().name()).orElse("none");
                            if (!expected.equals(got)) wrong.add(ext + " " + bytes + (multiByte ? " é" : " a") + ": " + got);
                        } catch (StorageException e) {
                            wrong.add(ext + " " + bytes + (multiByte ? " é" : " a") + (withSidecar ? " with .srt" : "") + ": "
                                    + e.kind() + " " + e.getMessage().replaceAll("file://\\S+", "…"));
                        } finally {
                            if (srtFits) Files.deleteIfExists(root.resolve(srt));
                        }
                    }
                }
            }
        }
        assertEquals(List.of(), wrong.stream().limit(4).toList(), wrong.size() + " of " + looked + " lookups failed");
        assertEquals(320, looked);
    }
}
