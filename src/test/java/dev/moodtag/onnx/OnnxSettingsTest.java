package dev.moodtag.onnx;

import dev.moodtag.support.SettingOutOfRange;
import dev.moodtag.testing.Fixtures;
import io.smallrye.config.SmallRyeConfigBuilder;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The thread count and CUDA ordinal are refused at start naming the key and the range, where a negative thread count
 * silently meant ORT's one thread per core (as 0 does), a count past the machine's threads had every session ask ORT
 * for that many, and a negative ordinal reached the CUDA provider only when the first session was made.
 */
class OnnxSettingsTest {

    private static OnnxConfig config(String key, String value) {
        return new SmallRyeConfigBuilder().withMapping(OnnxConfig.class).withDefaultValue(key, value).build()
                .getConfigMapping(OnnxConfig.class);
    }

    @Test
    void threadCountsAndDeviceOrdinalsOutOfRangeAreRefusedAtStartNamingTheKey() {
        List<String> accepted = new ArrayList<>();
        for (String threads : List.of("-1", "-64", String.valueOf(Integer.MIN_VALUE), "1025", "100000",
                String.valueOf(Integer.MAX_VALUE))) {
            try {
                new OnnxRuntime(config("moodtag.onnx.intra-op-threads", threads));
                accepted.add("intra-op-threads=" + threads);
            } catch (SettingOutOfRange e) {
                assertTrue(e.getMessage().contains("moodtag.onnx.intra-op-threads") && e.getMessage().contains("0..1024"),
                        e.getMessage());
            }
        }
        for (String ordinal : List.of("-1", String.valueOf(Integer.MIN_VALUE))) {
            try {
                new OnnxRuntime(config("moodtag.onnx.cuda-device-id", ordinal));
                accepted.add("cuda-device-id=" + ordinal);
            } catch (SettingOutOfRange e) {
                assertTrue(e.getMessage().contains("moodtag.onnx.cuda-device-id") && e.getMessage().contains("at least 0"),
                        e.getMessage());
            }
        }
        assertEquals(List.of(), accepted, "settings out of range accepted at start");
    }

    @Test
    void bothWrongAreNamedInOneRefusal() {
        OnnxConfig c = new SmallRyeConfigBuilder().withMapping(OnnxConfig.class)
                .withDefaultValue("moodtag.onnx.intra-op-threads", "-1")
                .withDefaultValue("moodtag.onnx.cuda-device-id", "-1").build().getConfigMapping(OnnxConfig.class);
        SettingOutOfRange e = assertThrows(SettingOutOfRange.class, () -> new OnnxRuntime(c));
        assertTrue(e.getMessage().contains("intra-op-threads") && e.getMessage().contains("cuda-device-id"), e.getMessage());
    }

    @Test
    void theRangesEndsStillOpenASession() {
        byte[] vad = Fixtures.defaultPack().vad().orElseThrow().file("model").readAllBytes();
        for (String threads : List.of("0", "1", "1024")) {
            OnnxRuntime ort = new OnnxRuntime(config("moodtag.onnx.intra-op-threads", threads));
            ort.open("vad", vad).close();
        }
    }
}
