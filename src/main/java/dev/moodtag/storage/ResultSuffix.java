package dev.moodtag.storage;

import java.util.Optional;

/**
 * Whether a file name or object key ends with moodtag's result suffix ({@code moodtag.function.result.suffix}), the one
 * rule every place that asks shares (folder walks for {@code tag}, {@code status} and {@code watch}, the function's
 * filter, the result-to-media inverse): the case of the suffix does not count. A folder on a case-insensitive file
 * system (an SD card's FAT, macOS, Windows shares) holds {@code clip.wav.EMOTION.JSON} as the very file
 * {@code clip.wav.emotion.json} names, and a result copied off one keeps its case; no media name ends with
 * {@code .json}, so nothing to tag is lost by never tagging such a name. Before, the folder walks compared with case
 * and the function's filter without, so such a file was offered to the tagger (a row "ignored" in every batch report,
 * a file the watcher handled) where its lower-case twin was not seen at all. S3 keys are case-sensitive, but the same
 * holds: such a key is no media, and the function ignored it already.
 * <p>
 * The case follows {@link String#regionMatches(boolean, int, String, int, int)} with {@code ignoreCase}: character by
 * character, so the stripped name is exactly what stood before the suffix.
 */
public final class ResultSuffix {
    private ResultSuffix() {
    }

    /** Whether {@code name} ends with {@code suffix}, in any case. */
    public static boolean ends(String name, String suffix) {
        int from = name.length() - suffix.length();
        return from >= 0 && name.regionMatches(true, from, suffix, 0, suffix.length());
    }

    /** {@code name} without {@code suffix} (in any case) at its end; empty when it does not end with it. */
    public static Optional<String> strip(String name, String suffix) {
        return ends(name, suffix) ? Optional.of(name.substring(0, name.length() - suffix.length())) : Optional.empty();
    }
}
