package dev.moodtag.support;

import org.junit.jupiter.api.Test;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class S3UriTest {

    @Test
    void objectsNeedABucketAndAKeyThatIsNotAFolder() {
        assertEquals(new S3Uri("media", "a/b c.wav"), S3Uri.object("s3://media/a/b c.wav"));
        assertEquals(new S3Uri("media", "50%25.wav"), S3Uri.object("S3://media/50%25.wav"), "keys are as stored");
        assertEquals(new S3Uri("media", "k//x"), S3Uri.object("s3://media/k//x"));
        assertEquals(new S3Uri("media", "/lead"), S3Uri.object("s3://media//lead"), "a key may start with '/'");
        assertEquals(new S3Uri("media", "\u00e9t\u00e9/\uD83D\uDE00.wav"), S3Uri.object("s3://media/\u00e9t\u00e9/\uD83D\uDE00.wav"));
        for (String bad : List.of("", "s3:", "s3:/", "s3://", "s3:///", "s3:///k", "s3://media", "s3://media/",
                "s3://media/dir/", "s3://media//", "http://media/k", "media/k", "s4://media/k")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> S3Uri.object(bad), bad);
            assertFalse(e.getMessage().isBlank());
        }
        assertThrows(IllegalArgumentException.class, () -> S3Uri.object(null));
    }

    @Test
    void listingsMayNameABucketAlone() {
        assertEquals(new S3Uri("media", ""), S3Uri.prefix("s3://media"));
        assertEquals(new S3Uri("media", ""), S3Uri.prefix("s3://media/"));
        assertEquals(new S3Uri("media", "x/"), S3Uri.prefix("s3://media/x/"));
        for (String bad : List.of("s3://", "s3:///", "s3:///x/", "s3://M/x", "/tmp/x")) {
            assertThrows(IllegalArgumentException.class, () -> S3Uri.prefix(bad), bad);
        }
    }

    @Test
    void bucketNamesFollowS3Rules() {
        for (String ok : List.of("abc", "a-b", "a.b.c", "my-bucket-01", "0ab", "m".repeat(63), "1.2.3.4x"))
            assertEquals(ok, S3Uri.object("s3://" + ok + "/k").bucket(), ok);
        for (String bad : List.of("ab", "m".repeat(64), "ABC", "a_b", "-ab", "ab-", ".ab", "ab.", "a..b", "1.2.3.4",
                "a b", "a\u00e9b", "ab\n", "a/b"))
            assertThrows(IllegalArgumentException.class, () -> new S3Uri(bad, "k"), bad);
    }

    @Test
    void keysAreLimitedInUtf8BytesNotCharacters() {
        assertEquals(1024, S3Uri.object("s3://media/" + "k".repeat(1024)).key().length());
        assertThrows(IllegalArgumentException.class, () -> S3Uri.object("s3://media/" + "k".repeat(1025)));
        assertEquals(512, S3Uri.object("s3://media/" + "\u00e9".repeat(512)).key().length());
        assertThrows(IllegalArgumentException.class, () -> S3Uri.object("s3://media/" + "\u00e9".repeat(513)));
    }

    @Test
    void decodingRoundTripsEveryGeneratedKey() {
        Random random = new Random(13);
        int[] alphabet = {'a', 'Z', '0', ' ', '+', '%', '/', '&', '?', '#', '~', 0xe9, 0x4e2d, 0x1F600, 0x7f, 0x1};
        for (int n = 0; n < 2000; n++) {
            StringBuilder key = new StringBuilder();
            for (int i = random.nextInt(12); i >= 0; i--) key.appendCodePoint(alphabet[random.nextInt(alphabet.length)]);
            String k = key.toString();
            String form = URLEncoder.encode(k, StandardCharsets.UTF_8);
            assertEquals(k, S3Uri.decodeKey(form, true), form);
            // A URL path encodes '%' and spaces, but leaves '+' as itself.
            String path = form.replace("+", "%20").replace("%2B", "+");
            assertEquals(k, S3Uri.decodeKey(path, false), path);
        }
    }

    @Test
    void malformedEscapesAndBytesThatAreNotUtf8AreRefused() {
        for (String bad : List.of("%", "%4", "50%", "a%zz", "%G0", "%-1", "%C3%28", "%C3", "%FF", "%E2%82", "%ED%A0%80",
                "%F8%88%80%80%80", "%C0%AF", "x\uD800y", "\uDC00")) {
            assertThrows(IllegalArgumentException.class, () -> S3Uri.decodeKey(bad, true), bad);
            assertThrows(IllegalArgumentException.class, () -> S3Uri.decodeKey(bad, false), bad);
        }
        assertEquals("a b", S3Uri.decodeKey("a+b", true));
        assertEquals("a+b", S3Uri.decodeKey("a+b", false));
        assertEquals("\uFFFD", S3Uri.decodeKey("%EF%BF%BD", true), "an encoded U+FFFD is a character like any other");
        assertEquals("", S3Uri.decodeKey("", true));
    }

    /**
     * Every plane, at the edges of the surrogate range among others: a character decodes as itself, raw or
     * percent-encoded, and only a lone surrogate is refused. Before, a supplementary character whose low 16 bits fall
     * in D800-DFFF (U+1D800, U+2D800) was refused as "half a surrogate pair".
     */
    @Test
    void everyCharacterDecodesAsItselfAndOnlyLoneSurrogatesAreRefused() {
        for (int plane = 0; plane <= 0x10; plane++) {
            for (int low : new int[]{0x0041, 0x7FFF, 0xD7FF, 0xD800, 0xDBFF, 0xDC00, 0xDFFF, 0xE000, 0xFFFD}) {
                int cp = plane << 16 | low;
                String key = "a/" + new String(Character.toChars(cp)) + ".wav";
                String shown = String.format("U+%04X", cp);
                if (plane == 0 && Character.isSurrogate((char) low)) {
                    for (boolean form : new boolean[]{true, false})
                        assertThrows(IllegalArgumentException.class, () -> S3Uri.decodeKey(key, form), shown);
                    continue;
                }
                for (boolean form : new boolean[]{true, false}) {
                    assertEquals(key, S3Uri.decodeKey(key, form), shown + " raw");
                    assertEquals(key, S3Uri.decodeKey(URLEncoder.encode(key, StandardCharsets.UTF_8), form), shown + " encoded");
                }
            }
        }
        for (String lone : List.of("\uD800", "\uDBFFx", "x\uDC00", "\uDC00\uD800", "\uD83D\uD83D"))
            assertThrows(IllegalArgumentException.class, () -> S3Uri.decodeKey(lone, false), lone);
    }

    @Test
    void printsAsTheUriItCameFrom() {
        assertEquals("s3://media/a b.wav", S3Uri.object("s3://media/a b.wav").toString());
        assertTrue(S3Uri.is("S3://x") && !S3Uri.is("s3:/x") && !S3Uri.is(null));
    }
}
