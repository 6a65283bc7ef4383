package dev.moodtag.function;

import dev.moodtag.cli.FunctionSettingOutOfRangeTest;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

/**
 * A setting out of range keeps the function from ever being ready, and its probes and refused events call it that,
 * where they called it "model pack failed to load" (fix the pack) whatever it was. The probes keep their shape: the
 * reason is still the string at {@code data.pack}.
 */
@QuarkusTest
@TestProfile(FunctionSettingOutOfRangeTest.Profile.class)
@Tag("quarkus")
class SettingOutOfRangeFunctionTest {

    private static final String REASON = "setting out of range: moodtag.function.max-concurrent must be at least 1";

    @Test
    void theProbesSayASettingIsOutOfRange() {
        RestAssured.get("/q/health/live").then().statusCode(200);
        for (String probe : new String[]{"/q/health/ready", "/q/health/started"})
            RestAssured.get(probe).then().statusCode(503).body("status", equalTo("DOWN"))
                    .body("checks[0].status", equalTo("DOWN"))
                    .body("checks[0].data.pack", allOf(startsWith("failed: " + REASON), not(containsString("model pack"))));
    }

    @Test
    void anEventIsRefusedNamingTheSettingNotThePack() {
        SamplesRequests.plain("/recognize", "{\"uri\": \"file:///nowhere/clip.wav\"}").then().statusCode(503)
                .body("objects[0].outcome", equalTo("retry"))
                .body("objects[0].reason", allOf(startsWith(REASON), not(containsString("model pack")),
                        containsString("correct the setting")));
    }
}
