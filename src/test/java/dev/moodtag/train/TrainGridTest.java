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

    /**
     * A C past 2^15 (the top of LIBSVM's own grid search) is refused at start naming the key, the range and the value,
     * where any finite C was fitted for as long as it took; C within the range, and any gamma scale that is a finite
     * number above 0, are accepted (no gamma scale from 1e-300 to 1e308 made a fit run long).
     */
    @Test
    void aCAboveTheBoundIsRefusedNamingTheKeyTheRangeAndTheValue() {
        String key = "moodtag.train.c-grid";
        List<String> wrong = new ArrayList<>();
        for (String v : List.of("32768.000001", "32769", "1e5", "0.1,1e6", "1e30", "1e300", "1e308", "1.7976931348623157E308",
                "1,10,100,1e10")) {
            try {
                TrainGrid.checkSettings(Settings.mapped(TrainConfig.class, key, v));
                wrong.add(v + " accepted");
            } catch (SettingOutOfRange e) {
                String m = e.getMessage();
                if (!m.startsWith(key + " ") || !m.contains("must be > 0 and at most 32768") || m.contains("\n")
                        || java.util.Arrays.stream(v.split(",")).map(Double::valueOf).filter(c -> c > 32768)
                        .noneMatch(c -> m.contains("C " + c + " is out of range"))) wrong.add(v + ": " + m);
            }
        }
        assertEquals(List.of(), wrong, "C above 32768 accepted, or refused without the key, the range or the value");
        for (String v : List.of("32768", "1e-300", "4.9E-324", "0.03125,32768", "0.1,1,10,100"))
            assertDoesNotThrow(() -> TrainGrid.checkSettings(Settings.mapped(TrainConfig.class, key, v)), key + "=" + v);
        for (String v : List.of("1e-300", "4.9E-324", "1e308", "1.7976931348623157E308", "32768"))
            assertDoesNotThrow(() -> TrainGrid.checkSettings(Settings.mapped(TrainConfig.class, "moodtag.train.gamma-scales", v)), v);
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
