package dev.moodtag.cli;

import dev.moodtag.function.FileTrees;
import dev.moodtag.publish.AcceptingSink;
import dev.moodtag.testing.Fixtures;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainLauncher;
import io.quarkus.test.junit.main.QuarkusMainTest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * The default pack copied with its VAD model cut to half (a full disk, an interrupted sync): {@code moodtag status} and
 * {@code tag --publish}, which read the pack's identity without hashing its models, passed it (status listed the
 * inputs as none yet; publish sent an event per untagged file, which a function with that pack could only fail). Now
 * both stop before their first row or event with one line naming the file, its size and the manifest's, exit 1.
 */
@QuarkusMainTest
@TestProfile(TruncatedPackCommandTest.Profile.class)
@Tag("quarkus")
class TruncatedPackCommandTest {

    static final Path ROOT = Path.of("target", "truncated-pack-command").toAbsolutePath();
    static final Path PACK = ROOT.resolve("pack");
    static final Path CUT = PACK.resolve("speech").resolve("silero_vad_v5.onnx");

    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            try {
                FileTrees.recreate(ROOT);
                Files.copy(Fixtures.DEFAULT_MANIFEST, Files.createDirectories(PACK).resolve("pack.json"));
                byte[] vad = Files.readAllBytes(Fixtures.defaultPack().vad().orElseThrow().file("model").path());
                Files.write(Files.createDirectories(CUT.getParent()).resolve(CUT.getFileName()),
                        Arrays.copyOf(vad, vad.length / 2));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return Map.of("moodtag.pack.manifest", PACK.resolve("pack.json").toString(), "moodtag.onnx.device", "cpu",
                    "moodtag.transcribe.enabled", "false");
        }
    }

    private static Path media() throws IOException {
        // beside ROOT, which the profile makes again at each launch
        Path media = FileTrees.recreate(Path.of("target", "truncated-pack-media").toAbsolutePath());
        Files.copy(Fixtures.sample("03b01Wa.wav"), media.resolve("03b01Wa.wav"));
        Files.copy(Fixtures.sample("03a05Fc.wav"), media.resolve("03a05Fc.wav"));
        return media;
    }

    @Test
    void statusAndTagPublishSayTheTruncatedModelBeforeAnyRowOrEvent(QuarkusMainLauncher launcher) throws IOException {
        byte[] vad = Files.readAllBytes(Fixtures.defaultPack().vad().orElseThrow().file("model").path());
        String why = "has " + vad.length / 2 + " bytes, the manifest says " + vad.length + ": truncated";
        Path media = media();

        for (String out : new String[]{"truncated-pack-status", "truncated-pack-publish"})
            Files.delete(FileTrees.recreate(media.resolveSibling(out))); // none left by an earlier run
        LaunchResult status = launcher.launch("status", media.toString(), "--out", media.resolveSibling("truncated-pack-status").toString());

        LaunchResult publish;
        int requests;
        try (AcceptingSink sink = AcceptingSink.start()) {
            publish = launcher.launch("tag", media.toString(), "--publish", sink.uri().toString(), "--out",
                    media.resolveSibling("truncated-pack-publish").toString());
            requests = sink.requests();
        }
        String said = String.join("\n",
                "status: exit " + status.exitCode() + ", " + named(status, "status", why),
                "tag --publish: exit " + publish.exitCode() + ", " + named(publish, "tag", why) + ", "
                        + requests + " request(s)");
        assertEquals(String.join("\n",
                "status: exit 1, one line naming the file and its size",
                "tag --publish: exit 1, one line naming the file and its size, 0 request(s)"), said,
                "status:\n" + status.getOutput() + status.getErrorOutput() + "\npublish:\n" + publish.getOutput()
                        + publish.getErrorOutput());
        assertFalse(Files.exists(media.resolveSibling("truncated-pack-status").resolve("index.jsonl")), "status wrote no index");
    }

    private static String named(LaunchResult run, String command, String why) {
        String err = run.getErrorOutput();
        long lines = err.lines().filter(l -> l.startsWith("moodtag " + command + ": ")
                && l.contains("file speech/silero_vad_v5.onnx (" + CUT + ") " + why)).count();
        boolean trace = err.contains("\tat ") || err.contains("Exception");
        return (lines == 1 ? "one line naming the file and its size" : lines + " lines naming it")
                + (trace ? ", a stack trace" : "");
    }
}
