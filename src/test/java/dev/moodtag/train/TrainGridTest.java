package dev.moodtag.train;

import dev.moodtag.support.SettingOutOfRange;
import dev.moodtag.testing.Settings;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * moodtag train's configured C grid and gamma scales out of range (zero, negative, NaN, infinite) are refused at start
 * naming the key and the value, where the grid search refused them only once the command ran, as "C -1.0: the C grid
 * needs values > 0", naming neither the key nor what was configured.
 */
class TrainGridTest {

    @Test
    void gridValuesOutOfRangeAreRefusedNamingTheKeyAndTheValue() {
        List<String> unnamed = new ArrayList<>();
        for (String key : List.of("moodtag.train.c-grid", "moodtag.train.gamma-scales")) {
            for (String v : List.of("0", "-1", "1,-0.5", "NaN", "1,NaN", "Infinity", "-Infinity", "1e400", "0.1,1,0", "-0")) {
                try {
                    TrainGrid.checkSettings(Settings.mapped(TrainConfig.class, key, v));
                    unnamed.add(key + "=" + v + " accepted");
                } catch (SettingOutOfRange e) {
                    if (!e.getMessage().startsWith(key + " ") || !e.getMessage().contains(" is not a finite number > 0"))
                        unnamed.add(key + "=" + v + ": " + e.getMessage());
                } catch (RuntimeException e) {
                    if (!String.valueOf(e.getMessage()).contains(key)) unnamed.add(key + "=" + v + ": " + e);
                }
            }
            for (String v : List.of("1", "0.001,1000", "1e-9", "0.1,1,10,100"))
                assertDoesNotThrow(() -> TrainGrid.checkSettings(Settings.mapped(TrainConfig.class, key, v)), key + "=" + v);
        }
        assertEquals(List.of(), unnamed, "grid values refused without the key, or accepted at start");
    }

    /** An empty list cannot reach the check: SmallRye refuses it while it builds the mapping, naming the key. */
    @Test
    void anEmptyGridIsRefusedNamingTheKey() {
        for (String key : List.of("moodtag.train.c-grid", "moodtag.train.gamma-scales")) {
            for (String v : List.of("", ",", " ")) {
                String said;
                try {
                    TrainGrid.checkSettings(Settings.mapped(TrainConfig.class, key, v));
                    said = "accepted";
                } catch (RuntimeException e) {
                    said = String.valueOf(e.getMessage());
                }
                org.junit.jupiter.api.Assertions.assertTrue(said.contains(key), key + "='" + v + "': " + said);
            }
        }
    }
}
