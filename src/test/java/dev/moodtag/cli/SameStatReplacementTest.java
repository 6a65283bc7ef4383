package dev.moodtag.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.moodtag.function.FileTrees;
import dev.moodtag.function.FunctionFixtures;
import dev.moodtag.storage.FileVersion;
import dev.moodtag.support.Sha256;
import dev.moodtag.testing.Fixtures;
import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainLauncher;
import io.quarkus.test.junit.main.QuarkusMainTest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code moodtag tag} run again over a folder whose files were changed in every way a file system allows: a file
 * replaced by other bytes of the same size and modification time (rewritten in place and the time set back, as
 * {@code cp -p}, {@code rsync -t} or {@code touch -r} leave it, or renamed over it) is tagged again, not skipped as the
 * version its result describes; a file left alone is skipped. A change of metadata alone (the time set to itself, a
 * chmod, a hard link, a copy with its times renamed over it) moves the file version without the bytes, and is skipped
 * once the file's sha256 is the result's (which then records the new version); a result that vouches for no bytes (no
 * sha256, a malformed or another one) has such a file tagged again. A result written before results
 * recorded a file's version is trusted by size and time, as it was, so an upgrade tags nothing again.
 */
@QuarkusMainTest
@Tag("quarkus")
class SameStatReplacementTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** One file of the grid: how it is changed between the two runs, and whether the second run must tag it. */
    private record Case(String name, boolean tagAgain, Change change) {
    }

    @FunctionalInterface
    private interface Change {
        void apply(Path file, Path folder) throws Exception;
    }

    private static List<Case> grid() {
        List<Case> cases = new ArrayList<>();
        cases.add(new Case("untouched.wav", false, (f, dir) -> { }));
        cases.add(new Case("rewritten-same-size-and-time.wav", true, (f, dir) -> {
            FileTime t = Files.getLastModifiedTime(f);
            Files.write(f, Fixtures.withOneSampleChanged(f)); // in place: same inode
            Files.setLastModifiedTime(f, t);
        }));
        cases.add(new Case("renamed-over-same-size-and-time.wav", true, (f, dir) -> {
            FileTime t = Files.getLastModifiedTime(f);
            Path other = Files.write(dir.resolve(".incoming.tmp"), Fixtures.withOneSampleChanged(f));
            Files.setLastModifiedTime(other, t);
            Files.move(other, f, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        }));
        cases.add(new Case("size-changed.wav", true, (f, dir) -> {
            FileTime t = Files.getLastModifiedTime(f);
            Files.copy(Fixtures.sample("03b09Tc.wav"), f, StandardCopyOption.REPLACE_EXISTING);
            Files.setLastModifiedTime(f, t);
        }));
        // Its bytes decide (hashed once): a new time over the same bytes is no new version, other bytes are.
        cases.add(new Case("time-changed.wav", false, (f, dir) ->
                Files.setLastModifiedTime(f, FileTime.fromMillis(Files.getLastModifiedTime(f).toMillis() + 1000))));
        cases.add(new Case("rewritten-same-size-new-time.wav", true, (f, dir) ->
                Files.write(f, Fixtures.withOneSampleChanged(f))));
        cases.add(new Case("touched-to-its-own-time.wav", false, (f, dir) ->
                Files.setLastModifiedTime(f, Files.getLastModifiedTime(f))));
        cases.add(new Case("chmod.wav", false, (f, dir) ->
                Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-------"))));
        cases.add(new Case("hard-linked.wav", false, (f, dir) -> Files.createLink(dir.resolve(".second-name"), f)));
        cases.add(new Case("copied-over-by-itself.wav", false, (f, dir) -> {
            Path copy = dir.resolve(".restored.tmp");
            Fixtures.copyPreserving(f, copy);
            Files.move(copy, f, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING); // a new inode
        }));
        // The file version moved, and the result vouches for no bytes: tagged again rather than trusted.
        cases.add(new Case("chmod-result-without-sha256.wav", true, (f, dir) -> {
            editSource(f, src -> src.remove("sha256"));
            Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-------"));
        }));
        cases.add(new Case("chmod-result-with-uppercase-sha256.wav", true, (f, dir) -> {
            editSource(f, src -> src.put("sha256", src.path("sha256").asText().toUpperCase(java.util.Locale.ROOT)));
            Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-------"));
        }));
        cases.add(new Case("chmod-result-with-short-sha256.wav", true, (f, dir) -> {
            editSource(f, src -> src.put("sha256", src.path("sha256").asText().substring(1)));
            Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-------"));
        }));
        cases.add(new Case("chmod-result-with-other-sha256.wav", true, (f, dir) -> {
            editSource(f, src -> src.put("sha256", Sha256.of("other bytes")));
            Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-------"));
        }));
        return cases;
    }

    /** Edits the source of the result beside {@code media} as another writer might have written it. */
    private static void editSource(Path media, java.util.function.Consumer<ObjectNode> edit) throws Exception {
        Path result = media.resolveSibling(media.getFileName() + ".emotion.json");
        ObjectNode doc = (ObjectNode) JSON.readTree(result.toFile());
        edit.accept((ObjectNode) doc.path("source"));
        Files.write(result, JSON.writeValueAsBytes(doc));
    }

    @Test
    void aFileReplacedBySameSizeAndTimeIsTaggedAgainAndAnUntouchedOneIsSkipped(QuarkusMainLauncher launcher)
            throws Exception {
        Path work = Path.of("target", "same-stat-tag").toAbsolutePath();
        FileTrees.deleteQuietly(work);
        Path dir = Files.createDirectories(work.resolve("media"));
        List<Case> grid = grid();
        for (Case c : grid) Files.copy(Fixtures.sample("03b01Wa.wav"), dir.resolve(c.name()));
        // Written before results recorded a file's version: the same file, then one replaced by same size and time.
        Files.copy(Fixtures.sample("03a05Fc.wav"), dir.resolve("old-result-untouched.wav"));
        Files.copy(Fixtures.sample("03a05Fc.wav"), dir.resolve("old-result-rewritten.wav"));

        run(launcher, dir, work);
        Map<String, JsonNode> first = results(dir);
        for (String old : List.of("old-result-untouched.wav", "old-result-rewritten.wav")) {
            ObjectNode doc = (ObjectNode) first.get(old).deepCopy();
            ((ObjectNode) doc.path("source")).remove("fileVersion");
            doc.put("schema", "https://moodtag.dev/schema/emotion-result-v2.4.json");
            Files.write(dir.resolve(old + ".emotion.json"), JSON.writeValueAsBytes(doc));
        }
        for (Case c : grid) c.change().apply(dir.resolve(c.name()), dir);
        grid.get(1).change().apply(dir.resolve("old-result-rewritten.wav"), dir);

        run(launcher, dir, work);
        Map<String, JsonNode> second = results(dir);
        List<String> wrong = new ArrayList<>();
        for (Case c : grid) {
            JsonNode before = first.get(c.name()), after = second.get(c.name());
            boolean tagged = !before.path("requestId").asText().equals(after.path("requestId").asText());
            if (tagged != c.tagAgain()) wrong.add(c.name() + (tagged ? " tagged again" : " skipped"));
            // What a result describes is the file's bytes now, whichever run wrote it.
            if (!Sha256.of(Files.readAllBytes(dir.resolve(c.name()))).equals(after.at("/source/sha256").asText()))
                wrong.add(c.name() + ": its result describes other bytes");
            // Skipped by its bytes, its result now names the file's version, so that the next run does not hash it.
            if (!FileVersion.of(dir.resolve(c.name()), null).orElseThrow().equals(after.at("/source/fileVersion").asText()))
                wrong.add(c.name() + ": its result names another file version");
            if (!Files.getLastModifiedTime(dir.resolve(c.name())).toInstant().toString().equals(after.at("/source/lastModified").asText()))
                wrong.add(c.name() + ": its result names another modification time");
        }
        assertEquals(List.of(), wrong, "grid cases the second run judged wrong");
        for (String old : List.of("old-result-untouched.wav", "old-result-rewritten.wav"))
            assertEquals(first.get(old).path("requestId"), second.get(old).path("requestId"),
                    old + ": a result without a file version is trusted by size and time, as before");
    }

    /**
     * An archive copied with its results as {@code cp -a}, {@code rsync -a} or a restore leaves it (same bytes, size
     * and times; every file a new inode): {@code moodtag tag} on the copy tags nothing again and records the copy's
     * file versions, and {@code moodtag status} on another such copy counts every file current without writing.
     * Before, every file of the copy was tagged again.
     */
    @Test
    void anArchiveCopiedWithItsResultsIsNotTaggedAgain(QuarkusMainLauncher launcher) throws Exception {
        Path work = Path.of("target", "same-stat-restore").toAbsolutePath();
        FileTrees.deleteQuietly(work);
        Path archive = Files.createDirectories(work.resolve("archive").resolve("media"));
        List<String> names = List.of("03a05Fc.wav", "03b09Tc.wav", "01-01-01-01-01-01-01.mp4");
        for (String n : names) Files.copy(Fixtures.sample(n), archive.resolve(n));
        run(launcher, archive, work.resolve("first"));
        Map<String, JsonNode> first = results(archive);
        assertEquals(names.size(), first.size());

        Path restored = work.resolve("restored"), looked = work.resolve("looked-at");
        for (Path copy : List.of(restored, looked)) Fixtures.copyPreserving(archive.getParent(), copy);
        for (String n : names) // else the copy proves nothing
            assertTrue(!FileVersion.of(restored.resolve("media").resolve(n), null).orElseThrow()
                    .equals(first.get(n).at("/source/fileVersion").asText()), n + " kept its file version");

        Path media = restored.resolve("media");
        run(launcher, media, work.resolve("second"));
        Map<String, Long> outcomes = new java.util.TreeMap<>();
        for (String line : Files.readAllLines(work.resolve("second").resolve("report").resolve("index.jsonl")))
            outcomes.merge(JSON.readTree(line).path("outcome").asText(), 1L, Long::sum);
        assertEquals(Map.of("skipped", (long) names.size()), outcomes, "outcomes of moodtag tag on the restored copy");
        Map<String, JsonNode> second = results(media);
        for (String n : names) {
            assertEquals(first.get(n).path("requestId"), second.get(n).path("requestId"), n + " tagged again");
            assertEquals(FileVersion.of(media.resolve(n), null).orElseThrow(), second.get(n).at("/source/fileVersion").asText(),
                    n + ": the copy's file version is recorded, so that the next run does not hash it");
            ObjectNode unchanged = (ObjectNode) second.get(n).deepCopy();
            ((ObjectNode) unchanged.path("source")).put("fileVersion", first.get(n).at("/source/fileVersion").asText());
            assertEquals(first.get(n), unchanged, n + ": nothing but the file version is rewritten");
        }

        Path lookedAt = looked.resolve("media");
        Map<String, byte[]> resultBytes = new LinkedHashMap<>();
        for (String n : names) resultBytes.put(n, Files.readAllBytes(lookedAt.resolve(n + ".emotion.json")));
        LaunchResult status = launcher.launch("status", lookedAt.toString(), "--out", work.resolve("status").toString());
        String text = status.getOutput() + status.getErrorOutput();
        assertEquals(0, status.exitCode(), text);
        assertTrue(text.contains(names.size() + " object(s): " + names.size() + " with a current result"), text);
        for (String n : names)
            assertTrue(java.util.Arrays.equals(resultBytes.get(n), Files.readAllBytes(lookedAt.resolve(n + ".emotion.json"))),
                    n + ": status writes nothing");
    }

    private static void run(QuarkusMainLauncher launcher, Path dir, Path work) {
        LaunchResult r = launcher.launch("tag", dir.toString(), "--out", work.resolve("report").toString());
        String text = r.getOutput() + r.getErrorOutput();
        assertEquals(0, r.exitCode(), text);
        assertTrue(text.contains("failures: 0"), text);
    }

    private static Map<String, JsonNode> results(Path dir) throws Exception {
        Map<String, JsonNode> out = new LinkedHashMap<>();
        try (var files = Files.list(dir)) {
            for (Path p : files.sorted().toList()) {
                String n = p.getFileName().toString();
                if (n.endsWith(".emotion.json"))
                    out.put(n.substring(0, n.length() - ".emotion.json".length()),
                            FunctionFixtures.validResult(Files.readAllBytes(p)));
            }
        }
        return out;
    }
}
