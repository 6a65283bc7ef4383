package dev.moodtag.onnx;

import dev.moodtag.support.SettingOutOfRange;
import dev.moodtag.testing.Fixtures;
import dev.moodtag.testing.Settings;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The thread count and CUDA ordinal are refused at start naming the key and the range, where a negative thread count
 * silently meant ORT's one thread per core (as 0 does), a count past the machine's threads had every session ask ORT
 * for that many, and a negative ordinal reached the CUDA provider only when the first session was made.
 */
class OnnxSettingsTest {

    @Test
    void threadCountsAndDeviceOrdinalsOutOfRangeAreRefusedAtStartNamingTheKey() {
        String min = String.valueOf(Integer.MIN_VALUE);
        Map<String, String> range = Map.of("moodtag.onnx.intra-op-threads", "0..1024",
                "moodtag.onnx.cuda-device-id", "at least 0");
        Map<String, List<String>> outOfRange = Map.of(
                "moodtag.onnx.intra-op-threads", List.of("-1", "-64", min, "1025", "100000", String.valueOf(Integer.MAX_VALUE)),
                "moodtag.onnx.cuda-device-id", List.of("-1", min));
        List<String> accepted = new ArrayList<>();
        outOfRange.forEach((key, values) -> {
            for (String v : values) {
                try {
                    new OnnxRuntime(Settings.mapped(OnnxConfig.class, key, v));
                    accepted.add(key + "=" + v);
                } catch (SettingOutOfRange e) {
                    assertTrue(e.getMessage().contains(key) && e.getMessage().contains(range.get(key)), e.getMessage());
                }
            }
        });
        assertEquals(List.of(), accepted, "settings out of range accepted at start");
    }

    @Test
    void bothWrongAreNamedInOneRefusal() {
        OnnxConfig c = Settings.mapped(OnnxConfig.class, "moodtag.onnx.intra-op-threads", "-1",
                "moodtag.onnx.cuda-device-id", "-1");
        SettingOutOfRange e = assertThrows(SettingOutOfRange.class, () -> new OnnxRuntime(c));
        assertTrue(e.getMessage().contains("intra-op-threads") && e.getMessage().contains("cuda-device-id"), e.getMessage());
    }

    @Test
    void theRangesEndsStillOpenASession() {
        byte[] vad = Fixtures.defaultPack().vad().orElseThrow().file("model").readAllBytes();
        for (String threads : List.of("0", "1", "1024"))
            new OnnxRuntime(Settings.mapped(OnnxConfig.class, "moodtag.onnx.intra-op-threads", threads)).open("vad", vad).close();
    }
}
