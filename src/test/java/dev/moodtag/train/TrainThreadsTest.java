package dev.moodtag.train;

import dev.moodtag.support.SettingOutOfRange;
import dev.moodtag.testing.Settings;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * moodtag train's thread counts out of 1..256 are refused at start naming the key and the range, where 0 and below
 * silently meant 1 and a count past the rows started one extraction thread per row (2,000 threads for 2,000 rows at
 * extract-threads=100000, each decoding and encoding a clip at once).
 */
class TrainThreadsTest {

    private static TrainConfig config(String key, String value) {
        return Settings.mapped(TrainConfig.class, key, value);
    }

    @Test
    void threadCountsOutOfRangeAreRefusedNamingTheKey() {
        List<String> accepted = new ArrayList<>();
        for (String key : List.of("moodtag.train.extract-threads", "moodtag.train.grid-threads")) {
            for (String v : List.of("0", "-1", String.valueOf(Integer.MIN_VALUE), "257", "100000",
                    String.valueOf(Integer.MAX_VALUE))) {
                try {
                    TrainThreads.checkSettings(config(key, v));
                    accepted.add(key + "=" + v);
                } catch (SettingOutOfRange e) {
                    assertTrue(e.getMessage().contains(key + " must be within 1..256"), e.getMessage());
                }
            }
            for (String v : List.of("1", "2", "256"))
                assertDoesNotThrow(() -> TrainThreads.checkSettings(config(key, v)), key + "=" + v);
        }
        assertEquals(List.of(), accepted, "thread counts out of range accepted at start");
    }
}
