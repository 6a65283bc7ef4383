package dev.moodtag.function;

import com.fasterxml.jackson.databind.JsonNode;
import dev.moodtag.batch.ArchiveStatus;
import dev.moodtag.batch.LongMediaNamesTest;
import dev.moodtag.batch.BatchItem;
import dev.moodtag.batch.BatchRow;
import dev.moodtag.storage.LocalObjectStorage;
import dev.moodtag.testing.Fixtures;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A result the function wrote, then damaged (cut at sampled points, bytes flipped, emptied), answered by the function
 * as {@code moodtag status} judges it in the same process: skipped where status counts it current and tagged again
 * where status counts it as none yet, and a skipped one that is not whole JSON said to be damaged in both. The watch
 * decides through the same skip. On main the function answered every result cut after its head "skipped: a result …
 * exists for this version of the object" without a word, where status said it was damaged.
 */
@QuarkusTest
@TestProfile(LongMediaNamesTest.Profile.class) // the same settings: one application for these tests
@Tag("quarkus")
class DamagedResultFunctionTest {

    static final Path ROOT = LongMediaNamesTest.ROOT;
    private static final String DAMAGED = "cannot be read past its first fields";

    /** A copy of the EmoDB sample in a folder of its own under {@link #ROOT}, where the function writes its result. */
    record SampleCopy(Path dir, Path media, Path result, String event) {
        static SampleCopy in(String folder) throws IOException {
            Path dir = Files.createDirectories(ROOT.resolve(folder));
            Path media = Files.copy(Fixtures.sample("03b01Wa.wav"), dir.resolve("03b01Wa.wav"));
            return new SampleCopy(dir, media, dir.resolve("03b01Wa.wav.emotion.json"), "{\"uri\": \"" + media.toUri() + "\"}");
        }
    }

    @Inject
    ArchiveStatus status;

    @Test
    void theFunctionAnswersEveryDamageOfItsResultAsStatusJudgesIt() throws Exception {
        SampleCopy copy = SampleCopy.in("archive");
        Path dir = copy.dir(), media = copy.media(), result = copy.result();
        String event = copy.event();
        SamplesRequests.plain("/recognize", event).then().statusCode(200);
        byte[] seed = Files.readAllBytes(result);
        FunctionFixtures.validResult(seed);

        Map<String, byte[]> damages = new LinkedHashMap<>();
        for (int cut = 0; cut < seed.length; cut += 157) damages.put("cut at byte " + cut, Arrays.copyOf(seed, cut));
        damages.put("the last byte cut", Arrays.copyOf(seed, seed.length - 1));
        for (int at = 101; at < seed.length; at += 211) {
            byte[] b = seed.clone();
            b[at] ^= (byte) 0x80; // a byte no UTF-8 text has there
            damages.put("byte " + at + " made non-UTF-8", b);
        }
        damages.put("an empty file", new byte[0]);
        damages.put("the seed itself", seed);

        LocalObjectStorage store = LocalObjectStorage.ofNamedFolder(dir);
        List<String> wrong = new ArrayList<>();
        Map<String, Integer> answers = new TreeMap<>();
        for (Map.Entry<String, byte[]> d : damages.entrySet()) {
            Files.write(result, d.getValue());
            BatchRow row = status.scan(List.of(new BatchItem(store.refFor(media), store))).rows().get(0);
            boolean statusDamaged = row.reason() != null && row.reason().contains(DAMAGED);
            JsonNode answer = FunctionFixtures.JSON.readTree(SamplesRequests.plain("/recognize", event).then().statusCode(200)
                    .extract().asByteArray()).path("objects").path(0);
            String outcome = answer.path("outcome").asText();
            String reason = answer.path("reason").asText("");
            boolean said = reason.contains(DAMAGED);
            answers.merge(outcome + (said ? ", said damaged" : ""), 1, Integer::sum);
            boolean agree = outcome.equals("skipped") ? row.outcome().equals("processed") && said == statusDamaged
                    : outcome.equals("processed") && row.outcome().equals(BatchRow.PENDING);
            if (!agree)
                wrong.add(d.getKey() + ": the function " + outcome + " (" + reason + "), status " + row.outcome() + " (" + row.reason() + ")");
        }
        assertEquals(List.of(), wrong, wrong.size() + " of " + damages.size() + " answered otherwise than status judged; " + answers);
    }
}
