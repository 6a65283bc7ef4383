package dev.moodtag.function;

import dev.moodtag.testing.Fixtures;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * A pack whose classifier does not fit its encoders (the default pack's four-encoder classifier beside the speech
 * test pack's manifest). The encoders and the classifier load side by side at start; the classifier's refusal must
 * still reach the probes and the callers: the process stays alive, is never ready, says why, and writes nothing.
 */
@QuarkusTest
@TestProfile(BrokenPackFunctionTest.Profile.class)
@Tag("quarkus")
public class BrokenPackFunctionTest {

    static final Path ROOT = Path.of("target", "function-broken-pack").toAbsolutePath();
    static final Path PACK = ROOT.resolve("pack");
    static final Path MEDIA = ROOT.resolve("media");

    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            try {
                FileTrees.recreate(ROOT);
                Files.createDirectories(PACK.resolve("classifier"));
                Files.createDirectories(MEDIA);
                Files.copy(Path.of("src/test/resources/packs/speech.json"), PACK.resolve("pack.json"));
                try (var files = Files.list(Path.of("models/classifier"))) {
                    for (Path f : files.toList()) Files.copy(f, PACK.resolve("classifier").resolve(f.getFileName()));
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return Map.of("moodtag.storage.local.roots", MEDIA.toString(),
                    "moodtag.pack.manifest", PACK.resolve("pack.json").toString(),
                    "moodtag.onnx.device", "cpu");
        }
    }

    @Test
    void theProcessLivesButIsNeitherStartedNorReadyAndSaysWhy() {
        RestAssured.get("/q/health/live").then().statusCode(200);
        RestAssured.get("/q/health/ready").then().statusCode(503)
                .body("checks[0].data.pack", containsString("failed: "))
                .body("checks[0].data.pack", containsString("classifier"));
        RestAssured.get("/q/health/started").then().statusCode(503);
    }

    @Test
    void anEventIsRefusedWithTheReasonAndNothingIsWritten() throws IOException {
        Path media = Files.copy(Fixtures.sample("03b01Wa.wav"), MEDIA.resolve("03b01Wa.wav"),
                StandardCopyOption.REPLACE_EXISTING);
        SamplesRequests.plain("/recognize", "{\"uri\": \"" + media.toUri() + "\"}").then().statusCode(503)
                .body("objects[0].outcome", equalTo("retry"))
                .body("objects[0].reason", containsString("classifier"));
        assertFalse(Files.exists(MEDIA.resolve("03b01Wa.wav.emotion.json")));
    }
}
