package dev.moodtag.train;

import dev.moodtag.classify.GridSearch;
import dev.moodtag.support.SettingOutOfRange;

/** moodtag train's configured grid, refused at start naming the key when a value is out of range. */
public final class TrainGrid {

    private TrainGrid() {
    }

    /**
     * @throws SettingOutOfRange naming {@code moodtag.train.c-grid} or {@code moodtag.train.gamma-scales} and the value
     *                           when either holds a value that is not a finite number above 0: it was refused without
     *                           the key, by the grid search, once the command had started
     */
    public static void checkSettings(TrainConfig config) {
        try {
            GridSearch.checkCs("moodtag.train.c-grid", config.cGrid());
            GridSearch.checkGammaScales("moodtag.train.gamma-scales", config.gammaScales());
        } catch (IllegalArgumentException wrong) {
            throw new SettingOutOfRange(wrong.getMessage(), wrong);
        }
    }
}
