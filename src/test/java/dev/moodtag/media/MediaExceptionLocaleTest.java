package dev.moodtag.media;

import org.junit.jupiter.api.Test;

import java.util.Locale;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** Error messages are the same whatever the JVM's default locale (Turkish lower-cases I to dotless ı). */
class MediaExceptionLocaleTest {

    @Test
    void theKindInTheMessageIsLocaleIndependent() {
        Locale before = Locale.getDefault();
        try {
            Locale.setDefault(Locale.forLanguageTag("tr-TR"));
            String m = new MediaException(MediaException.Kind.LIMIT_EXCEEDED, "long.mp4", "over 4 h").getMessage();
            assertTrue(m.contains("(limit_exceeded;"), m);
        } finally {
            Locale.setDefault(before);
        }
    }
}
