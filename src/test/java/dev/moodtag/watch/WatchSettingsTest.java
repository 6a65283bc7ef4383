package dev.moodtag.watch;

import dev.moodtag.support.SettingOutOfRange;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code moodtag.watch.settle}, {@code error-settle} and {@code rescan} are settings: every combination of values is
 * either refused as a setting out of range naming each key out of its range in one line (exit code 1, as every
 * setting), or accepted. The first out of range alone was refused as a refused input (exit code 2), the others unsaid
 * until it was corrected (found by a grid over every setting's extremes).
 */
class WatchSettingsTest {

    /** The ends of each range, each side of them, and the durations past what a long counts. */
    private static final List<Duration> GRID = List.of(Duration.ofSeconds(Long.MIN_VALUE), Duration.ofSeconds(-1),
            Duration.ZERO, Duration.ofMillis(999), Duration.ofSeconds(1), Duration.ofDays(7), Duration.ofDays(7).plusNanos(1),
            Duration.ofDays(99_999), Duration.ofSeconds(Long.MAX_VALUE, 999_999_999));

    @Test
    void everyCombinationIsRefusedNamingEachKeyOutOfRangeOrAccepted() {
        // Nothing behind the check is needed: an accepted combination gets as far as the inbox, which is not there.
        InboxWatchers watchers = new InboxWatchers(null, null, null, null);
        Path inbox = Path.of("target", "watch-settings-no-inbox").toAbsolutePath();
        List<String> bad = new ArrayList<>();
        int cases = 0, refused = 0;
        for (Duration settle : GRID) {
            for (Duration errorSettle : GRID) {
                for (Duration rescan : GRID) {
                    cases++;
                    Map<String, Boolean> outOfRange = new LinkedHashMap<>();
                    outOfRange.put("moodtag.watch.rescan", outside(rescan, Duration.ofSeconds(1)));
                    outOfRange.put("moodtag.watch.settle", outside(settle, Duration.ZERO));
                    outOfRange.put("moodtag.watch.error-settle", outside(errorSettle, Duration.ZERO));
                    RuntimeException e = assertThrows(RuntimeException.class,
                            () -> watchers.create(inbox, Optional.empty(), settle, errorSettle, rescan));
                    String what = "settle " + settle + ", error-settle " + errorSettle + ", rescan " + rescan;
                    if (!outOfRange.containsValue(true)) {
                        if (e instanceof SettingOutOfRange || !e.getMessage().startsWith("inbox "))
                            bad.add(what + " refused: " + e.getMessage());
                        continue;
                    }
                    refused++;
                    List<String> findings = new ArrayList<>();
                    if (!(e instanceof SettingOutOfRange)) findings.add("refused, not as a setting");
                    // In the words every range check gives (SettingRange): the key, the range, "not" and the value
                    Map<String, String> words = Map.of(
                            "moodtag.watch.rescan", "moodtag.watch.rescan must be within PT1S..PT168H, not " + rescan,
                            "moodtag.watch.settle", "moodtag.watch.settle must be within PT0S..PT168H, not " + settle,
                            "moodtag.watch.error-settle", "moodtag.watch.error-settle must be within PT0S..PT168H, not " + errorSettle);
                    outOfRange.forEach((key, outside) -> {
                        if (outside != e.getMessage().contains(words.get(key)))
                            findings.add((outside ? "does not name in the shared words " : "names ") + key);
                    });
                    if (!findings.isEmpty()) bad.add(what + ": " + String.join(", ", findings) + ": " + e.getMessage());
                }
            }
        }
        assertEquals(List.of(), bad, bad.size() + " of " + cases + " combinations");
        assertTrue(refused > cases / 2, refused + " of " + cases + " refused");
    }

    private static boolean outside(Duration wait, Duration min) {
        return wait.compareTo(min) < 0 || wait.compareTo(InboxWatchers.MAX_WAIT) > 0;
    }
}
