package dev.moodtag.testing;

import java.nio.charset.StandardCharsets;

/**
 * Names of an exact length in UTF-8 bytes, for the limits that count bytes, not characters (255 per file name on
 * most file systems, 1,024 per S3 key). The two-byte 'é' finds the off-by-one between characters and bytes that ASCII
 * names cannot show.
 */
public final class Utf8Names {
    private Utf8Names() {
    }

    /**
     * A name of exactly {@code bytes} UTF-8 bytes ending in {@code suffix}: the rest of 'a', or of 'é' with one 'm'
     * where the rest is odd.
     */
    public static String ofBytes(int bytes, boolean multiByte, String suffix) {
        int body = bytes - suffix.getBytes(StandardCharsets.UTF_8).length;
        if (body < 0) throw new IllegalArgumentException(suffix + " alone is over " + bytes + " bytes");
        String name = (multiByte ? "é".repeat(body / 2) + "m".repeat(body % 2) : "a".repeat(body)) + suffix;
        if (name.getBytes(StandardCharsets.UTF_8).length != bytes) throw new AssertionError(name);
        return name;
    }
}
