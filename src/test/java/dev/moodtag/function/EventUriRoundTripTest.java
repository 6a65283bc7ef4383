package dev.moodtag.function;

import dev.moodtag.storage.ObjectRef;
import dev.moodtag.tagging.ObjectAddress;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
        assertEquals("file:///a/100%25 b.wav", dev.moodtag.publish.CloudEventSenderAccess.header("file:///a/100% b.wav"));
        assertEquals("x%0D%0Ay", dev.moodtag.publish.CloudEventSenderAccess.header("x\r\ny"));
    }
}
