package dev.moodtag.storage;

import java.util.Optional;

/**
 * Whether a file name or object key is named as moodtag's result: it ends with the result suffix
 * ({@code moodtag.function.result.suffix}), or stands under the result prefix ({@code moodtag.function.result.prefix}),
 * the one rule every place that asks shares (folder walks for {@code tag}, {@code status} and {@code watch}, the
 * function's filter, the result-to-media inverse): the case of neither counts. A folder on a case-insensitive file
 * system (an SD card's FAT, macOS, Windows shares) holds {@code clip.wav.EMOTION.JSON} as the very file
 * {@code clip.wav.emotion.json} names, and {@code Results/clip.wav.emotion.json} as the very file
 * {@code results/clip.wav.emotion.json} names, and a result copied off one keeps its case; no media name ends with
 * {@code .json}, so nothing to tag is lost by never tagging such a name. Before, the folder walks compared the suffix
 * with case and the function's filter without, so such a file was offered to the tagger (a row "ignored" in every
 * batch report, a file the watcher handled) where its lower-case twin was not seen at all; and the filter compared the
 * prefix with case, so media put in {@code Results/} on such a file system, the results folder itself, was tagged
 * while the inverse could not say whose result a file there was. S3 keys are case-sensitive, but the same holds: a key
 * under the prefix in another case is ignored, with that reason, as moodtag's output.
 * <p>
 * The case follows {@link String#regionMatches(boolean, int, String, int, int)} with {@code ignoreCase}: character by
 * character, so the stripped name is exactly what stood before the suffix or after the prefix.
 */
public final class ResultNames {
    private ResultNames() {
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

    /** Whether {@code key} starts with {@code prefix}, in any case; every key starts with the empty prefix. */
    public static boolean starts(String key, String prefix) {
        return key.regionMatches(true, 0, prefix, 0, prefix.length());
    }

    /** {@code key} without {@code prefix} (in any case) at its start; empty when it does not start with it. */
    public static Optional<String> stripPrefix(String key, String prefix) {
        return starts(key, prefix) ? Optional.of(key.substring(prefix.length())) : Optional.empty();
    }
}
