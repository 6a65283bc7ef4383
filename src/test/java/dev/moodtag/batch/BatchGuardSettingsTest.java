package dev.moodtag.batch;

import dev.moodtag.support.SettingOutOfRange;
import dev.moodtag.testing.Settings;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The batch's dominant-share guard ({@code moodtag.batch.min-clips}, {@code moodtag.batch.max-dominant-share}) out of
 * range is refused at start naming the key at fault with its range and value, where the refusal named both keys
 * whichever was wrong ("moodtag.batch.min-clips / max-dominant-share: the dominant share must be in (0, 1], not 1.5").
 */
class BatchGuardSettingsTest {

    private static final String MIN = "moodtag.batch.min-clips", SHARE = "moodtag.batch.max-dominant-share";

    @Test
    void aGuardOutOfRangeIsRefusedNamingTheKeyAtFault() {
        List<String> wrong = new ArrayList<>();
        for (String m : List.of("-2147483648", "-1", "0", "1", "2", "10", "2147483647")) {
            for (String d : List.of("-Infinity", "-0.1", "0", "4.9E-324", "0.65", "1", "1.0000001", "1.5", "NaN", "Infinity")) {
                boolean minBad = Integer.parseInt(m) < 2, shareBad = !(Double.parseDouble(d) > 0 && Double.parseDouble(d) <= 1);
                String said;
                try {
                    // The guard is checked when the tagger is built, before anything it is given is used
                    new BatchTagger(null, null, null, null, Settings.mapped(BatchConfig.class, MIN, m, SHARE, d));
                    said = "accepted";
                } catch (SettingOutOfRange e) {
                    said = e.getMessage();
                }
                boolean right = minBad || shareBad
                        ? said.contains(MIN) == minBad && said.contains(SHARE) == shareBad
                        && (!minBad || said.contains(MIN + " must be at least 2") && said.contains("not " + m))
                        && (!shareBad || said.contains(SHARE + " must be in (0, 1], not " + Double.parseDouble(d)))
                        : said.equals("accepted");
                if (!right) wrong.add(m + ", " + d + ": " + said);
            }
        }
        assertEquals(List.of(), wrong, "guards refused naming a key not at fault, or not refused");
    }
}
