package dev.moodtag.train;

import dev.moodtag.support.SettingOutOfRange;
import dev.moodtag.support.SettingRange;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** moodtag train's thread counts, refused at start when out of range rather than read as something else. */
public final class TrainThreads {

    /** More than this is a typo, not a machine: extraction starts one thread per row up to the count. */
    static final int MAX_THREADS = 256;

    private TrainThreads() {
    }

    /**
     * @throws SettingOutOfRange naming each count outside 1..256: 0 and below silently meant 1, and 100000 started one
     *                           extraction thread per row, each decoding and encoding a clip at once
     */
    public static void checkSettings(TrainConfig config) {
        List<String> wrong = new ArrayList<>();
        for (Map.Entry<String, Integer> t : Map.of("extract-threads", config.extractThreads(),
                "grid-threads", config.gridThreads()).entrySet())
            SettingRange.within("moodtag.train." + t.getKey(), t.getValue(), 1, MAX_THREADS).ifPresent(wrong::add);
        if (!wrong.isEmpty()) throw new SettingOutOfRange(String.join("; ", wrong));
    }
}
