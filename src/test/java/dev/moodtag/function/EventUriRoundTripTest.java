package dev.moodtag.function;

import dev.moodtag.storage.ObjectRef;
import dev.moodtag.tagging.ObjectAddress;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the publisher sends for an object is what the function parses back to the same object. A local file went
 * as {@code file://} plus the raw path: "interview 1.wav" and "100%.wav" were refused (400, dead-lettered),
 * "a%41.wav" became "aA.wav" (another file tagged), "take#2.wav" became "take" (found by a review).
 */
class EventUriRoundTripTest {

    private static final String[] NAMES = {"interview 1.wav", "100%.wav", "a%41.wav", "take#2.wav", "what?.wav",
            "会議.wav", "café ünïcode.mp4", "semi;colon&amp=1.wav", "tab\there.wav", "plus+sign.wav", "[brackets].wav",
            "quote\"s.wav", "back\\slash.wav", "~tilde.wav", "x.wav"};

    @Test
    void everyLocalNameComesBackAsTheSameFile() {
        for (String name : NAMES) {
            ObjectRef ref = new ObjectRef(ObjectRef.Scheme.FILE, "/data/archive root", "sub dir/" + name);
            ObjectAddress parsed = EventParser.address(ref.eventUri());
            assertEquals(new ObjectAddress.LocalFile(Path.of("/data/archive root/sub dir/" + name)), parsed,
                    name + " sent as " + ref.eventUri());
        }
    }

    @Test
    void anS3KeyGoesAsItIsWritten() {
        for (String name : NAMES) {
            ObjectRef ref = ObjectRef.s3("media", "2026/" + name);
            assertEquals(new ObjectAddress.Bucket("media", "2026/" + name), EventParser.address(ref.eventUri()), name);
        }
    }

    @Test
    void aSubjectHeaderIsPrintableAscii() {
        assertEquals("s3://media/%E4%BC%9A%E8%AD%B0.wav", dev.moodtag.publish.CloudEventSenderAccess.header("s3://media/会議.wav"));
        assertEquals("file:///a/100%25%20b.wav", dev.moodtag.publish.CloudEventSenderAccess.header("file:///a/100% b.wav"));
        assertEquals("x%0D%0Ay", dev.moodtag.publish.CloudEventSenderAccess.header("x\r\ny"));
    }

    /**
     * CloudEvents' HTTP binding (3.1.3.2): space, double quote, percent and everything outside U+0021-U+007E are
     * percent-encoded as UTF-8, every other character is not. A space and a double quote went as they were: a
     * receiver decoding by the spec read "a b" right by luck, but a leading or trailing space is cut by HTTP, and a
     * quoted value ("x") is unquoted first, so the subject "\"x\"" arrived as x.
     */
    @Test
    void headerValuesArePercentEncodedAsTheCloudEventsHttpBindingSays() {
        List<String> values = new java.util.ArrayList<>(List.of(" lead", "trail ", "\"x\"", "a \"b\" 100% c", "%20", "%",
                "\t", "\u007f", "\u00a0", "é", "€ 😀", "s3://media/interview 1 \"final\" 50%.wav"));
        for (int c = 0x20; c < 0x80; c++) values.add("a" + (char) c + "b");
        for (String v : values) {
            String h = dev.moodtag.publish.CloudEventSenderAccess.header(v);
            for (int i = 0; i < h.length(); i++) {
                char c = h.charAt(i);
                assertTrue(c >= 0x21 && c <= 0x7e && c != '"', "'" + v + "' sent as '" + h + "': " + (int) c + " at " + i);
                if (c == '%') assertTrue(i + 2 < h.length() && h.substring(i + 1, i + 3).matches("[0-9A-F]{2}"), v + " -> " + h);
            }
            assertEquals(v, dev.moodtag.support.S3Uri.decodeKey(h, false), "decodes back: " + h);
            // every other character is sent as it is
            String kept = v.codePoints().filter(c -> c > 0x20 && c < 0x7f && c != '"' && c != '%')
                    .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
            assertEquals(kept, h.replaceAll("%[0-9A-F]{2}", ""), v);
        }
    }
}
