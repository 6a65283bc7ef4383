package dev.moodtag.cli;

import dev.moodtag.function.FileTrees;
import dev.moodtag.testing.Fixtures;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainLauncher;
import io.quarkus.test.junit.main.QuarkusMainTest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code bench} and {@code bench-embed} load the model pack themselves (not through CDI, as {@code tag} does), so a
 * pack that does not load could have reached the user otherwise than from {@code tag}. Over a grid of broken packs
 * (no folder, a manifest that is not JSON, a wrong sha256, a model file missing, a format this moodtag does not read)
 * each of the three says it as the README's exit-status table promises for every command that uses a pack: one line
 * {@code moodtag COMMAND: …} naming the manifest or the model file, the same words as tag's, no stack trace, exit code
 * 1 (a pack is no usage error, 2). Measured on main: the exit codes and the words were already so in all 15 cells (and
 * in embed, watch, status, serve, train and asr-eval, by hand), but a manifest that is not JSON was said over two lines
 * in all three, the second Jackson's " at [Source: REDACTED (…); line: 1, column: 22]" (MalformedJsonWordsTest).
 */
@QuarkusMainTest
@TestProfile(BenchBrokenPackTest.Profile.class)
@Tag("quarkus")
class BenchBrokenPackTest {

    static final Path ROOT = Path.of("target", "bench-broken-pack").toAbsolutePath();
    static final Path PACK = ROOT.resolve("pack");
    static final Path MANIFEST = PACK.resolve("pack.json");
    /** The default pack's VAD model, the first file of its manifest. */
    static final String VAD = "speech/silero_vad_v5.onnx";
    private static final Pattern LOG_LINE = Pattern.compile("\\d\\d:\\d\\d:\\d\\d (TRACE|DEBUG|INFO|WARN|ERROR) ");
    static final String VAD_SHA = "2623a2953f6ff3d2c1e61740c6cdb7168133479b267dfef114a4a3cc5bdd788f";

    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            // Its files are found on the default search path (models, target/models, ../shared/models)
            return Map.of("moodtag.pack.manifest", MANIFEST.toString(), "moodtag.onnx.device", "cpu",
                    "moodtag.transcribe.enabled", "false");
        }
    }

    /** Each broken pack, made in PACK, and the words (after "moodtag COMMAND: ") that must say what is wrong with it. */
    private interface Broken {
        String make() throws IOException;
    }

    private static String defaultManifest() throws IOException {
        String text = Files.readString(Fixtures.DEFAULT_MANIFEST);
        assertTrue(text.contains(VAD_SHA) && text.contains("\"format\": 2"), "the default manifest as this test knows it");
        return text;
    }

    private static Map<String, Broken> grid() {
        Map<String, Broken> grid = new LinkedHashMap<>();
        grid.put("no folder", () -> {
            FileTrees.deleteQuietly(PACK);
            return "model pack manifest " + MANIFEST + " cannot be read: no such folder: " + PACK;
        });
        grid.put("not JSON", () -> {
            Files.writeString(MANIFEST, "{ \"format\": 2, \"id\": ");
            return "model pack manifest " + MANIFEST + " is not valid JSON: ";
        });
        grid.put("wrong sha256", () -> {
            Files.writeString(MANIFEST, defaultManifest().replace(VAD_SHA, "0".repeat(64)));
            return MANIFEST + ", encoder silero-vad-v5: checksum mismatch for " + VAD + " (";
        });
        grid.put("model file missing", () -> {
            Files.writeString(MANIFEST, defaultManifest().replace(VAD, "speech/silero_vad_gone.onnx"));
            return MANIFEST + ", encoder silero-vad-v5: model file speech/silero_vad_gone.onnx is missing. Looked in ";
        });
        grid.put("format 3", () -> {
            Files.writeString(MANIFEST, defaultManifest().replaceFirst("\"format\": 2", "\"format\": 3"));
            return "model pack manifest " + MANIFEST + " has format 3, newer than this moodtag reads formats 1 to 2";
        });
        return grid;
    }

    @Test
    void everyBrokenPackIsOneLineNamingItWithExitCode1AsInTag(QuarkusMainLauncher launcher) throws IOException {
        Path media = FileTrees.recreate(ROOT.resolve("media"));
        Path wav = media.resolve("03b01Wa.wav");
        Files.copy(Fixtures.sample("03b01Wa.wav"), wav);
        List<String> wrong = new ArrayList<>();
        for (Map.Entry<String, Broken> broken : grid().entrySet()) {
            Files.createDirectories(PACK);
            String words = broken.getValue().make();
            Map<String, String[]> commands = new LinkedHashMap<>();
            commands.put("tag", new String[]{"tag", media.toString(), "--out", ROOT.resolve("report").toString()});
            commands.put("bench", new String[]{"bench", wav.toString(), "--runs", "1", "--warmup", "0", "--concurrency", "1"});
            commands.put("bench-embed", new String[]{"bench-embed", wav.toString(), "--runs", "1", "--warmup", "0"});
            Map<String, String> said = new LinkedHashMap<>();
            commands.forEach((command, args) -> {
                LaunchResult run = launcher.launch(args);
                String err = run.getErrorOutput(), prefix = "moodtag " + command + ": ";
                // every line but the log's (one line each: control characters escaped), blank ones left out
                List<String> lines = err.lines().filter(l -> !l.isBlank() && !LOG_LINE.matcher(l).lookingAt()).toList();
                String line = lines.size() == 1 && lines.get(0).startsWith(prefix)
                        ? lines.get(0).substring(prefix.length()) : null;
                if (run.exitCode() != 1 || line == null || !line.startsWith(words) || err.contains("\tat ")
                        || err.contains("Exception"))
                    wrong.add(broken.getKey() + ", " + command + ": exit " + run.exitCode() + ", said " + lines
                            + (err.contains("\tat ") ? " with a stack trace" : ""));
                said.put(command, line);
            });
            // the same words in all three (the path of a file the checksum names, and the folders looked in, included)
            if (said.values().stream().distinct().count() != 1)
                wrong.add(broken.getKey() + ": the commands said it differently: " + said);
        }
        assertEquals(List.of(), wrong, wrong.size() + " of " + grid().size() * 3 + " cells wrong");
    }
}
