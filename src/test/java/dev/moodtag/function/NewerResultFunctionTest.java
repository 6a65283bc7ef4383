package dev.moodtag.function;

import com.fasterxml.jackson.databind.JsonNode;
import dev.moodtag.batch.ArchiveStatus;
import dev.moodtag.batch.BatchItem;
import dev.moodtag.batch.BatchRow;
import dev.moodtag.batch.LongMediaNamesTest;
import dev.moodtag.storage.LocalObjectStorage;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The function's own result with its {@code version} changed, answered as {@code moodtag status} judges it in the same
 * process: a newer major (3) is a permanent {@code failed} in status's words, answered 200 (not retried) and left byte
 * for byte, until {@code "force": true} replaces it; an older major or a version no moodtag writes ("2", 2.5) is tagged
 * again. On main each of them, with the same pack and source, was skipped as done.
 */
@QuarkusTest
@TestProfile(LongMediaNamesTest.Profile.class) // the same settings: one application for these tests
@Tag("quarkus")
class NewerResultFunctionTest {

    private static final String NEWER = "was made by a newer moodtag (result version 3); this one writes version 2: left as it is";

    @Inject
    ArchiveStatus status;

    private static JsonNode answer(String event) throws Exception {
        return FunctionFixtures.JSON.readTree(SamplesRequests.plain("/recognize", event).then().statusCode(200)
                .extract().asByteArray()).path("objects").path(0);
    }

    @Test
    void aNewerMajorsResultIsLeftAsItIsAndAnyOtherVersionIsTaggedAgain() throws Exception {
        DamagedResultFunctionTest.SampleCopy copy = DamagedResultFunctionTest.SampleCopy.in("newer-version");
        Path dir = copy.dir(), media = copy.media(), result = copy.result();
        String event = copy.event();
        answer(event);
        String seed = Files.readString(result);
        LocalObjectStorage store = LocalObjectStorage.ofNamedFolder(dir);
        List<String> wrong = new ArrayList<>();

        for (String version : List.of("3", "1", "\"2\"", "2.5")) {
            String doc = seed.replaceFirst("\"version\" : 2,", "\"version\" : " + version + ",");
            // a newer major under its own schema: under the seed's 2.x one it contradicts itself, no result of either
            if (version.equals("3")) doc = doc.replaceFirst("emotion-result-v2\\.[0-9]+\\.json", "emotion-result-v3.0.json");
            if (doc.equals(seed)) throw new AssertionError("the seed has no version 2: " + seed.substring(0, 120));
            Files.writeString(result, doc);
            BatchRow row = status.scan(List.of(new BatchItem(store.refFor(media), store))).rows().get(0);
            JsonNode a = answer(event);
            String said = "the function " + a.path("outcome").asText() + " (" + a.path("reason").asText("") + "), status "
                    + row.outcome() + " (" + row.reason() + ")";
            if (version.equals("3")) {
                if (!a.path("outcome").asText().equals("failed") || !a.path("reason").asText("").contains(NEWER)
                        || !row.outcome().equals("failed") || !a.path("reason").asText("").equals(row.reason()))
                    wrong.add("version 3: " + said);
                if (!Files.readString(result).equals(doc)) wrong.add("version 3: its result was changed");
            } else {
                if (!a.path("outcome").asText().equals("processed") || !row.outcome().equals(BatchRow.PENDING))
                    wrong.add("version " + version + ": " + said);
                if (!Files.readString(result, StandardCharsets.UTF_8).contains("\"version\" : 2,"))
                    wrong.add("version " + version + ": not rewritten as version 2");
            }
        }
        // --force (an event's "force": true) replaces a newer moodtag's result, as any other
        Files.writeString(result, seed.replaceFirst("\"version\" : 2,", "\"version\" : 3,")
                .replaceFirst("emotion-result-v2\\.[0-9]+\\.json", "emotion-result-v3.0.json"));
        JsonNode forced = answer("{\"uri\": \"" + media.toUri() + "\", \"force\": true}");
        if (!forced.path("outcome").asText().equals("processed") || !Files.readString(result).contains("\"version\" : 2,"))
            wrong.add("version 3 with force: " + forced);
        assertEquals(List.of(), wrong);
    }
}
