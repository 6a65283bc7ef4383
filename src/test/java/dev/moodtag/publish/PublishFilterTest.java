package dev.moodtag.publish;

import dev.moodtag.function.FileTrees;
import dev.moodtag.testing.Fixtures;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An object the function ignores for its size (moodtag.function.filter.max-object-bytes, 512 MiB by default: a long
 * film) is not something it tags: a publish skips it as it skips a README.md, and status does not wait for its result.
 * It was sent, acknowledged and answered "ignored", so it never got a result, and status listed it as none yet for ever
 * (exit 3, {@code --wait} until its timeout).
 */
@QuarkusTest
@TestProfile(PublishFilterTest.Profile.class)
@Tag("quarkus")
class PublishFilterTest {

    static final Path ROOT = Path.of("target", "publish-filter-root").toAbsolutePath();
    /** Between the images (about 18 to 20 kB) and the speech clips (70 to 126 kB). */
    static final long MAX_OBJECT_BYTES = 50_000;

    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            FileTrees.recreate(ROOT);
            return Map.of("moodtag.storage.local.roots", ROOT.toString(),
                    "moodtag.function.filter.max-object-bytes", String.valueOf(MAX_OBJECT_BYTES),
                    "moodtag.transcribe.enabled", "false",
                    "moodtag.onnx.device", "cpu");
        }
    }

    @TestHTTPResource("/")
    URL function;

    @Test
    void anObjectTheFunctionIgnoresForItsSizeIsNotSentAndStatusDoesNotWaitForIt() throws Exception {
        Path dir = FileTrees.recreate(ROOT.resolve("archive"));
        List<String> large = List.of("03a05Fc.wav", "03b01Wa.wav", "03b09Tc.wav");
        for (String n : large) Files.copy(Fixtures.sample(n), dir.resolve(n));
        Files.copy(Fixtures.sample("Cole_Chapman_0001.jpg"), dir.resolve("small.jpg"));
        for (String n : large) assertTrue(Files.size(dir.resolve(n)) > MAX_OBJECT_BYTES, n);
        Path out = ROOT.resolve("report");
        InProcessCli.Run run;
        int requests;
        Map<String, List<String>> answered;
        try (FlakySink sink = new FlakySink(function.toURI(), 0, 0)) {
            run = InProcessCli.run("tag", dir.toString(), "--publish", sink.uri().toString(), "--out", out.toString());
            requests = sink.requests();
            answered = sink.outcomes();
        }
        assertTrue(Files.isRegularFile(dir.resolve("small.jpg.emotion.json")));
        InProcessCli.Run st = InProcessCli.run("status", dir.toString(), "--out", out.toString(), "--wait", "--timeout",
                "PT5S", "--interval", "PT0.2S");
        // Both ends first, then the details: on main both went wrong
        assertEquals("1 request, status 0", requests + " request" + (requests == 1 ? "" : "s") + ", status " + st.exitCode(),
                "the function answered " + answered + "\n" + run.output() + "\n" + st.output());
        assertEquals(0, run.exitCode(), run.output());
        assertTrue(run.output().contains(": 1 published, 3 skipped, 0 failed to publish"), run.output());
        for (String n : large)
            assertTrue(run.output().contains("skipped file://" + dir.resolve(n) + ": not tagged: object has "
                    + Files.size(dir.resolve(n)) + " bytes, more than moodtag.function.filter.max-object-bytes="
                    + MAX_OBJECT_BYTES), run.output());
        assertTrue(st.output().contains("1 object(s): 1 with a current result (0 of them errors), 0 none yet"), st.output());
    }
}
