package dev.moodtag.storage;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Whatever happens to a store's root after the store has worked on it (swapped for a link to a folder outside, a link
 * re-pointed into a folder of its old target, its folder moved, removed, replaced by a file, moved into a new folder of
 * its old name), the store answers every operation exactly as a store made afterwards does, both with and without
 * following links: confined against where the root leads now, never against where it led. Nothing outside the root's
 * current folder is read or written. The store resolves its root's real path afresh for each operation today; this
 * guards any change that keeps it between operations (one that kept it unchecked answered 261 of the 576 differently,
 * among them a read of the old target's secret.wav through a link in the re-pointed root).
 */
class KeptRootTest {

    @TempDir
    Path tmp;

    /** What a tree looks like before and after the root changes, for one case. */
    private interface Change {
        void apply(Path tmp, Path root) throws Exception;
    }

    private static final Map<String, Change> CHANGES = new TreeMap<>(Map.of(
            "swapped for a link to a folder outside", (tmp, root) -> {
                Files.move(root, tmp.resolve("was-root"));
                Files.createSymbolicLink(root, tmp.resolve("outside"));
            },
            "a link re-pointed into a folder of its old target", (tmp, root) -> {
                Files.delete(root);
                Files.createSymbolicLink(root, tmp.resolve("target/sub"));
            },
            "its folder moved, the link following it", (tmp, root) -> {
                Files.move(tmp.resolve("target"), tmp.resolve("moved"));
                Files.delete(root);
                Files.createSymbolicLink(root, tmp.resolve("moved"));
            },
            "its folder moved into a new folder of its old name", (tmp, root) -> {
                Files.move(tmp.resolve("target"), tmp.resolve("aside"));
                Files.createDirectories(tmp.resolve("target"));
                Files.move(tmp.resolve("aside"), tmp.resolve("target/inner"));
                Files.delete(root);
                Files.createSymbolicLink(root, tmp.resolve("target/inner"));
            },
            "removed", (tmp, root) -> Files.delete(root),
            "its target removed", (tmp, root) -> {
                Files.move(tmp.resolve("target"), tmp.resolve("gone"));
            },
            "replaced by a file", (tmp, root) -> {
                Files.delete(root);
                Files.writeString(root, "not a folder");
            },
            "unchanged", (tmp, root) -> {
            }));

    @Test
    void aStoreThatKeptItsRootAnswersAsAFreshOneWhateverHappensToTheRoot() throws Exception {
        List<String> differ = new ArrayList<>();
        int compared = 0, trees = 0;
        for (boolean follow : new boolean[]{true, false}) {
            for (Map.Entry<String, Change> change : CHANGES.entrySet()) {
                for (String key : keys()) {
                    for (Op op : Op.values()) {
                        // A tree of its own per answer: the first operation after the change is the one a kept root
                        // could mislead, and an answer resolves the root anew for those after it
                        Path dir = Files.createDirectories(tmp.resolve(String.valueOf(trees++)));
                        Path root = tree(dir);
                        LocalObjectStorage kept = new LocalObjectStorage(List.of(root), follow);
                        ObjectRef any = kept.refFor(root.resolve("clip.wav"));
                        kept.stat(any); // the root resolved and kept
                        Set<String> outside = files(dir.resolve("outside"));
                        change.getValue().apply(dir, root);
                        LocalObjectStorage fresh = new LocalObjectStorage(List.of(root), follow);
                        String a = op.outcome(kept, any.withKey(key), dir), b = op.outcome(fresh, any.withKey(key), dir);
                        compared++;
                        if (!a.equals(b)) differ.add(change.getKey() + (follow ? "" : " (links not followed)") + ", "
                                + key + ": kept " + a + " / fresh " + b);
                        // (where the root now leads outside, that folder is the root's own)
                        if (!change.getKey().contains("outside") && !files(dir.resolve("outside")).equals(outside))
                            differ.add(change.getKey() + ", " + key + ": written outside the root: " + files(dir.resolve("outside")));
                    }
                }
            }
        }
        assertEquals(List.of(), differ, compared + " answers compared");
    }

    /**
     * {@code dir/root} a link to {@code dir/target}, which holds clip.wav, a folder sub (its own clip.wav and a link up
     * to the target's secret.wav, which is outside sub) and a link out to {@code dir/outside}; {@code dir/outside}
     * holds its own clip.wav and secret.wav.
     */
    private static Path tree(Path dir) throws Exception {
        Path target = Files.createDirectories(dir.resolve("target/sub"));
        Path outside = Files.createDirectories(dir.resolve("outside"));
        Files.writeString(dir.resolve("target/clip.wav"), "target clip");
        Files.writeString(dir.resolve("target/secret.wav"), "target secret, outside sub");
        Files.writeString(target.resolve("clip.wav"), "sub clip");
        Files.createSymbolicLink(target.resolve("up.wav"), Path.of("../secret.wav"));
        Files.createSymbolicLink(dir.resolve("target/out"), outside);
        Files.writeString(outside.resolve("clip.wav"), "outside clip");
        Files.writeString(outside.resolve("secret.wav"), "outside secret");
        Files.createSymbolicLink(outside.resolve("back.wav"), dir.resolve("target/secret.wav"));
        return Files.createSymbolicLink(dir.resolve("root"), dir.resolve("target"));
    }

    private static List<String> keys() {
        return List.of("clip.wav", "secret.wav", "up.wav", "back.wav", "sub/clip.wav", "sub/up.wav", "out/secret.wav",
                "inner/clip.wav", "missing.wav");
    }

    /** One operation on {@code ref}, as what it gave or how it was refused. */
    private enum Op {
        STAT, READ, WRITE, CONFINE;

        String outcome(LocalObjectStorage store, ObjectRef ref, Path dir) {
            try {
                return (switch (this) {
                    case STAT -> "stat " + store.stat(ref).map(i -> i.size() + " bytes").orElse("none");
                    case READ -> "read " + store.read(ref, (in, size) -> new String(in.readAllBytes(), StandardCharsets.UTF_8));
                    case WRITE -> {
                        store.writeAtomically(ref.withKey(ref.key() + ".emotion.json"), "{}".getBytes(StandardCharsets.UTF_8),
                                "application/json");
                        yield "written";
                    }
                    case CONFINE -> "confined " + store.confine(ref).key();
                }).replace(dir.toString(), "DIR");
            } catch (StorageException e) {
                return name() + " " + e.kind() + ": " + e.getMessage().replace(dir.toString(), "DIR");
            }
        }
    }

    private static Set<String> files(Path folder) throws Exception {
        if (!Files.isDirectory(folder)) return Set.of();
        try (Stream<Path> walk = Files.walk(folder)) {
            return walk.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)).map(p -> folder.relativize(p).toString())
                    .collect(java.util.stream.Collectors.toCollection(TreeSet::new));
        }
    }
}
