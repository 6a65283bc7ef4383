package dev.moodtag.function;

import dev.moodtag.batch.BatchRow;
import dev.moodtag.batch.BatchSources;
import dev.moodtag.batch.BatchSummary;
import dev.moodtag.batch.BatchTagger;
import dev.moodtag.testing.Fixtures;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The temporary folder (moodtag.storage.temp-dir) taken away while moodtag runs: removed, a file put in its place, the
 * folder above it removed. Each is the deployment's problem, not an object's: the object is retried (tag's row
 * "retry", the function's 503), nothing is written, and the reason names both the object that was not copied and the
 * folder with what is wrong with it. Before, the reason was "cannot write the temporary copy in FOLDER: FOLDER/moodtag-
 * PID-N" (a removed folder said as the bare path of a copy never made), the same for every object of an event, naming
 * none. Once the folder is back the same objects are tagged.
 */
@QuarkusTest
@TestProfile(ScratchFolderGoneTest.Profile.class)
@Tag("quarkus")
class ScratchFolderGoneTest {

    static final Path ROOT = Path.of("target", "scratch-gone-root").toAbsolutePath();
    static final Path ABOVE = Path.of("target", "scratch-gone").toAbsolutePath();
    static final Path SCRATCH = ABOVE.resolve("tmp");

    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            FileTrees.recreate(ROOT);
            FileTrees.recreate(SCRATCH);
            return Map.of("moodtag.storage.local.roots", ROOT.toString(),
                    "moodtag.storage.temp-dir", SCRATCH.toString(),
                    "moodtag.transcribe.enabled", "false",
                    "moodtag.onnx.device", "cpu");
        }
    }

    @Inject
    BatchSources sources;
    @Inject
    BatchTagger tagger;

    @Test
    void aTemporaryFolderTakenAwayIsRetriedNamingTheObjectAndTheFolder() throws IOException {
        Path in = FileTrees.recreate(ROOT.resolve("in"));
        List<Path> media = List.of(Files.copy(Fixtures.sample("03b01Wa.wav"), in.resolve("first take.wav")),
                Files.copy(Fixtures.sample("03a05Fc.wav"), in.resolve("second.wav")));
        Map<String, String> cases = new LinkedHashMap<>();
        cases.put("removed", "temporary folder " + SCRATCH + " does not exist (removed while moodtag runs?)");
        cases.put("file in its place", "temporary folder " + SCRATCH + " is not a folder (a file is in its place)");
        cases.put("folder above removed", "temporary folder " + SCRATCH + " does not exist (removed while moodtag runs?)");
        List<String> said = new ArrayList<>();
        for (var c : cases.entrySet()) {
            FileTrees.recreate(ABOVE);
            switch (c.getKey()) {
                case "removed" -> { }
                case "file in its place" -> Files.writeString(SCRATCH, "not a folder");
                default -> Files.delete(ABOVE);
            }
            BatchSummary tagged = tagger.tag(sources.resolve(in.toString(), ".emotion.json"), 1, false,
                    (row, done, total) -> { }, new AtomicBoolean());
            for (BatchRow row : tagged.rows())
                said.add(c.getKey() + ", tag " + name(row.object()) + ": " + row.outcome() + ", "
                        + says(row.reason(), row.object(), c.getValue()));
            Response r = SamplesRequests.plain("/recognize", "{\"uris\": [\"" + media.get(0).toUri() + "\", \""
                    + media.get(1).toUri() + "\"]}");
            JsonPath body = r.jsonPath();
            for (int i = 0; i < 2; i++)
                said.add(c.getKey() + ", function " + name(body.getString("objects[" + i + "].object")) + ": "
                        + r.statusCode() + " " + body.getString("objects[" + i + "].outcome") + ", "
                        + says(body.getString("objects[" + i + "].reason"), body.getString("objects[0].object"), c.getValue()));
            try (Stream<Path> files = Files.list(in)) {
                List<String> results = files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".json")).toList();
                if (!results.isEmpty()) said.add(c.getKey() + ": results written " + results);
            }
        }
        List<String> expected = new ArrayList<>();
        for (String c : cases.keySet()) {
            expected.add(c + ", tag first take.wav: retry, naming it and the folder");
            expected.add(c + ", tag second.wav: retry, naming it and the folder");
            expected.add(c + ", function first take.wav: 503 retry, naming it and the folder");
            // not tried: the event is retried from the object that met the folder, which the reason names
            expected.add(c + ", function second.wav: 503 retry, naming it and the folder");
        }
        assertEquals(String.join("\n", expected), String.join("\n", said));

        FileTrees.recreate(SCRATCH);
        SamplesRequests.plain("/recognize", "{\"uris\": [\"" + media.get(0).toUri() + "\", \"" + media.get(1).toUri()
                + "\"]}").then().statusCode(200);
        assertEquals(List.of(true, true), media.stream().map(m -> Files.isRegularFile(m.resolveSibling(m.getFileName()
                + ".emotion.json"))).toList(), "tagged once the folder is back");
    }

    private static String name(String uri) {
        return java.net.URLDecoder.decode(uri.substring(uri.lastIndexOf('/') + 1), java.nio.charset.StandardCharsets.UTF_8);
    }

    /** Whether {@code reason} names the object (as the row or the event named it) and says what is wrong with the folder. */
    private static String says(String reason, String object, String folder) {
        boolean names = reason != null && reason.contains(object + " not copied: "), wrong = reason != null && reason.contains(folder);
        return names && wrong ? "naming it and the folder" : (names ? "naming it only" : wrong ? "naming the folder only"
                : "naming neither") + ": " + reason;
    }
}
