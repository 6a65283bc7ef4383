package dev.moodtag.tagging;

import dev.moodtag.storage.LocalObjectStorage;
import dev.moodtag.storage.ObjectRef;
import dev.moodtag.storage.ObjectStorage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code moodtag.function.filter.prefixes} on a local root, compared as its file system resolves names. No
 * case-insensitive file system can be mounted here without root (this kernel's tmpfs has no casefold, and there is
 * no FUSE), so one is stood in for by a store whose file system answers as such a one does: a name in any case leads
 * to the entry of those letters (the real tree on this disk is walked, each name matched ignoring case). There
 * {@code clips/} is the folder {@code Clips}, and its files were passed over as outside the prefix; on this disk
 * (case-sensitive) and on S3 the prefix is still compared with case.
 */
class PrefixCaseOnDiskTest {

    @TempDir
    Path tmp;

    /** A root on a file system that folds case, as macOS, Windows and SMB shares do: the stub. */
    private static LocalObjectStorage caseFolding(Path root) {
        return new LocalObjectStorage(List.of(root), false) {
            @Override
            protected boolean sameEntry(Path a, Path b) {
                Path x = resolvedIgnoringCase(a), y = resolvedIgnoringCase(b);
                return x != null && x.equals(y);
            }
        };
    }

    /** The entry a case-folding file system finds for {@code path}: each name matched to one on disk in any case. */
    private static Path resolvedIgnoringCase(Path path) {
        Path p = path.getRoot();
        for (Path name : path) {
            Path parent = p;
            try (Stream<Path> entries = Files.list(parent)) {
                p = entries.filter(e -> e.getFileName().toString().equalsIgnoreCase(name.toString())).findFirst().orElse(null);
            } catch (IOException e) {
                return null;
            }
            if (p == null) return null;
        }
        return p;
    }

    private static ObjectFilter filter(String... prefixes) {
        return new ObjectFilter(new ObjectFilterTest.Config(new ObjectFilterTest.Result(Optional.empty(), ".emotion.json"),
                new ObjectFilterTest.Filter(Optional.of(List.of(prefixes)), Optional.empty(), Optional.empty(), 536870912)));
    }

    private static final List<String> KEYS = List.of("Clips/a.wav", "Clips/Sub/b.wav", "talks/c.wav", "Émissions/d.wav",
            "other/e.wav", "CLIPSX/f.wav", "cl.wav");
    private static final List<String> PREFIXES = List.of("clips/", "CLIPS/", "Clips/", "cLiPs/", "cl", "CL", "clips/sub/",
            "Clips/SUB/b", "Talks/", "TALKS/c.WAV", "émissions/", "ÉMISSIONS/", "clipsx/", "x", "clips/a.wav/", "Clips/a.wav");

    private static Path tree(Path root) throws IOException {
        for (String key : KEYS) Files.write(Files.createDirectories(root.resolve(key).getParent()).resolve(root.resolve(key).getFileName()), new byte[]{1});
        return root;
    }

    /**
     * The grid: 7 keys x 16 prefixes (each alone) on the case-folding root, on this disk and as S3 keys: taken where
     * the store's names start with the prefix as it tells them apart.
     */
    @Test
    void aPrefixTakesWhatTheFileSystemResolvesItToAndS3KeysKeepTheirCase() throws IOException {
        Path folded = tree(Files.createDirectories(tmp.resolve("folded")));
        Path sensitive = tree(Files.createDirectories(tmp.resolve("sensitive")));
        // Only a case-sensitive disk holds both spellings: each is its own folder, and a prefix takes its own alone
        Files.write(Files.createDirectories(sensitive.resolve("clips")).resolve("own.wav"), new byte[]{1});
        LocalObjectStorage foldingStore = caseFolding(folded);
        LocalObjectStorage diskStore = new LocalObjectStorage(List.of(sensitive), false);
        List<String> wrong = new ArrayList<>();
        int cells = 0;
        for (String prefix : PREFIXES) {
            ObjectFilter f = filter(prefix);
            for (String key : KEYS) {
                cells += 3;
                boolean ignoringCase = key.regionMatches(true, 0, prefix, 0, prefix.length());
                check(wrong, "case-folding root", prefix, f, foldingStore, foldingStore.refFor(folded.resolve(key)), ignoringCase);
                check(wrong, "this disk", prefix, f, diskStore, diskStore.refFor(sensitive.resolve(key)), key.startsWith(prefix));
                boolean s3 = f.byKey(key).isEmpty();
                if (s3 != key.startsWith(prefix)) wrong.add("S3 key " + key + " under " + prefix + ": " + (s3 ? "taken" : "passed over"));
            }
            cells++;
            check(wrong, "this disk", prefix, f, diskStore, diskStore.refFor(sensitive.resolve("clips/own.wav")), "clips/own.wav".startsWith(prefix));
        }
        assertEquals(List.of(), wrong, wrong.size() + " of " + cells + " cells wrong");
    }

    private static void check(List<String> wrong, String where, String prefix, ObjectFilter f, ObjectStorage store,
                              ObjectRef ref, boolean taken) {
        Optional<String> why = f.byKey(store, ref);
        if (why.isEmpty() != taken)
            wrong.add(where + ": " + ref.key() + " under " + prefix + (why.isEmpty() ? " taken" : " passed over"));
    }

    /**
     * The file system is asked, not the letters: a key whose prefix spelling leads nowhere (the folder gone since the
     * listing) or elsewhere is not taken, on a folding root too; a link named in the prefix's case is its own entry.
     */
    @Test
    void theSpellingMustLeadToTheSameEntry() throws IOException {
        Path root = tree(Files.createDirectories(tmp.resolve("asked")));
        LocalObjectStorage store = new LocalObjectStorage(List.of(root), false);
        ObjectRef ref = store.refFor(root.resolve("Clips/a.wav"));
        assertFalse(store.keyStartsWith(ref, "clips/"), "no clips/ on this disk");
        Files.createSymbolicLink(root.resolve("clips"), root.resolve("Clips"));
        assertFalse(store.keyStartsWith(ref, "clips/"), "clips is a link to Clips here, another entry than the one listed");
        LocalObjectStorage folding = caseFolding(root);
        assertTrue(folding.keyStartsWith(folding.refFor(root.resolve("Clips/a.wav")), "CLIPS/A"));
        Files.delete(root.resolve("Clips/a.wav"));
        assertFalse(folding.keyStartsWith(folding.refFor(root.resolve("Clips/a.wav")), "clips/"), "gone since the listing");
    }
}
