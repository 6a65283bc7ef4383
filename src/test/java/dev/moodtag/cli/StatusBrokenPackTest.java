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
 * {@code status} (and {@code tag --publish}, which compares results with the same identity) read the pack's identity
 * only, and so ran none of the checks {@code tag} makes of a pack before it loads a model: over a pack with a misspelt
 * parameter, a parameter of the wrong type, an unknown encoder kind or an encoder whose precision the classifier was not
 * trained on, tag refused in one line with exit 1 and status printed nothing of it and exited 3, counting every object
 * "none yet" against a pack no run could use. Each fault × {tag, status}: exit 1, one line {@code moodtag COMMAND: …}
 * with the same words in both, no stack trace; an unbroken pack is status's control (exit 3, none yet). The checks
 * that need the models' hashes (a wrong sha256) stay tag's: status does not read 110 MB to compare results (README).
 */
@QuarkusMainTest
@TestProfile(StatusBrokenPackTest.Profile.class)
@Tag("quarkus")
class StatusBrokenPackTest {

    static final Path ROOT = Path.of("target", "status-broken-pack").toAbsolutePath();
    static final Path PACK = ROOT.resolve("pack");
    static final Path MANIFEST = PACK.resolve("pack.json");
    private static final Pattern LOG_LINE = Pattern.compile("\\d\\d:\\d\\d:\\d\\d (TRACE|DEBUG|INFO|WARN|ERROR) ");
    private static final String PRECISION = "\"dim\": 192,\n      \"precision\": \"fp32\"";

    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            // Its files are found on the default search path (models, target/models, ../shared/models)
            return Map.of("moodtag.pack.manifest", MANIFEST.toString(), "moodtag.onnx.device", "cpu",
                    "moodtag.transcribe.enabled", "false");
        }
    }

    /** The default manifest with {@code from} replaced by {@code to}, written to MANIFEST beside the default classifier. */
    private static void manifest(String from, String to) throws IOException {
        String text = Files.readString(Fixtures.DEFAULT_MANIFEST);
        assertTrue(text.contains(from), "the default manifest as this test knows it: " + from);
        Files.writeString(MANIFEST, text.replace(from, to));
    }

    /** Each fault and the words (after "moodtag COMMAND: ") that must say it. */
    private static Map<String, String> grid() throws IOException {
        Map<String, String> grid = new LinkedHashMap<>();
        grid.put("\"minF0\": 55|\"minFO\": 55", "model pack " + MANIFEST + ": encoder speech-functionals "
                + "(acoustic-functionals): unknown parameter 'minFO'; acoustic-functionals takes [");
        grid.put("\"maxF0\": 600|\"maxF0\": \"high\"", "model pack " + MANIFEST + ": encoder speech-functionals "
                + "(acoustic-functionals): parameter 'maxF0' has the wrong type (");
        grid.put("\"kind\": \"acoustic-functionals\"|\"kind\": \"acoustic-functionalz\"", "model pack " + MANIFEST
                + ": encoder speech-functionals has kind 'acoustic-functionalz', which this moodtag does not implement; "
                + "known kinds: [");
        grid.put(PRECISION + "|" + PRECISION.replace("fp32", "int8"), "classifier " + PACK.resolve("classifier")
                .resolve("classifier.json") + " does not fit model pack moodtag-default ");
        return grid;
    }

    @Test
    void statusRefusesWhatTagRefusesInTagsWords(QuarkusMainLauncher launcher) throws IOException {
        Path media = FileTrees.recreate(ROOT.resolve("media"));
        Files.copy(Fixtures.sample("03b01Wa.wav"), media.resolve("03b01Wa.wav"));
        FileTrees.recreate(PACK);
        Path classifier = Files.createDirectories(PACK.resolve("classifier"));
        try (var files = Files.list(Fixtures.DEFAULT_MANIFEST.getParent().resolve("classifier"))) {
            for (Path f : files.toList()) Files.copy(f, classifier.resolve(f.getFileName()));
        }
        // the control: the unbroken pack (and classifier) is status's to compare with, none yet
        Files.copy(Fixtures.DEFAULT_MANIFEST, MANIFEST);
        LaunchResult control = launcher.launch("status", media.toString(), "--out", ROOT.resolve("status").toString());
        assertEquals(3, control.exitCode(), control.getOutput() + control.getErrorOutput());
        assertTrue(control.getOutput().contains("1 object(s): 0 with a current result"), control.getOutput());

        List<String> wrong = new ArrayList<>();
        Map<String, String> grid = grid();
        for (Map.Entry<String, String> fault : grid.entrySet()) {
            String[] fromTo = fault.getKey().split("\\|");
            manifest(fromTo[0], fromTo[1]);
            Map<String, String[]> commands = new LinkedHashMap<>();
            commands.put("tag", new String[]{"tag", media.toString(), "--out", ROOT.resolve("report").toString()});
            commands.put("status", new String[]{"status", media.toString(), "--out", ROOT.resolve("status").toString()});
            Map<String, String> said = new LinkedHashMap<>();
            int before = wrong.size();
            commands.forEach((command, args) -> {
                LaunchResult run = launcher.launch(args);
                String err = run.getErrorOutput(), prefix = "moodtag " + command + ": ";
                List<String> lines = err.lines().filter(l -> !l.isBlank() && !LOG_LINE.matcher(l).lookingAt()).toList();
                String line = lines.size() == 1 && lines.get(0).startsWith(prefix)
                        ? lines.get(0).substring(prefix.length()) : null;
                if (run.exitCode() != 1 || line == null || !line.startsWith(fault.getValue()) || err.contains("\tat ")
                        || err.contains("Exception"))
                    wrong.add(fromTo[1] + ", " + command + ": exit " + run.exitCode() + ", said " + lines);
                said.put(command, line);
            });
            if (wrong.size() == before && said.values().stream().distinct().count() != 1)
                wrong.add(fromTo[1] + ": tag and status said it differently: " + said);
        }
        assertEquals(List.of(), wrong, wrong.size() + " of " + grid.size() * 2 + " cells wrong");
    }
}
