package dev.moodtag.encode.text;

import dev.moodtag.encode.EncoderContext;
import dev.moodtag.encode.EncoderOutput;
import dev.moodtag.encode.Pooling;
import dev.moodtag.media.Modality;
import dev.moodtag.media.Transcript;
import dev.moodtag.media.Utterance;
import dev.moodtag.testing.Fixtures;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The real bge-small-en-v1.5 INT8 model from its Maven artifact, with its own tokenizer.json. */
class BertTextEncoderTest {

    static BertTextEncoder encoder;

    @BeforeAll
    static void load() {
        encoder = new BertTextEncoder(Fixtures.defaultPack().encoder("text-bge-small").orElseThrow(),
                new EncoderContext(Fixtures.onnxCpu(), Optional.empty()));
    }

    @AfterAll
    static void close() {
        encoder.close();
    }

    @Test
    void embedsToUnitLength384AndIsDeterministic() {
        float[] a = encoder.embed("Kids are talking by the door.");
        float[] b = encoder.embed("Kids are talking by the door.");
        assertEquals(384, a.length);
        assertArrayEquals(a, b);
        assertEquals(1.0, Pooling.cosine(a, a), 1e-6);
        double norm = 0;
        for (float v : a) norm += v * v;
        assertEquals(1.0, Math.sqrt(norm), 1e-4);
    }

    @Test
    void meaningIsCloserThanWording() {
        float[] happy = encoder.embed("I am so happy, this is wonderful news!");
        float[] glad = encoder.embed("What a great day, I feel fantastic.");
        float[] weather = encoder.embed("The train to Berlin leaves at nine from platform four.");
        assertTrue(Pooling.cosine(happy, glad) > Pooling.cosine(happy, weather),
                "happy~glad " + Pooling.cosine(happy, glad) + " vs happy~timetable " + Pooling.cosine(happy, weather));
    }

    @Test
    void longTextIsTruncatedNotRejected() {
        float[] v = encoder.embed("word ".repeat(5000));
        assertEquals(384, v.length);
    }

    @Test
    void noTranscriptIsAMissingModalityWithTheDecodersReason() {
        Utterance u = new Utterance("clip.wav", null, null, null, Map.of(Modality.TEXT, "no transcript sidecar"));
        EncoderOutput out = encoder.encode(u);
        assertEquals("no transcript sidecar", assertInstanceOf(EncoderOutput.Missing.class, out).reason());

        Utterance blank = new Utterance("clip.wav", null, null, Transcript.inline("   "), Map.of());
        assertInstanceOf(EncoderOutput.Missing.class, encoder.encode(blank));
    }

    @Test
    void infoRecordsPrecisionProviderAndChecksums() {
        assertEquals("int8", encoder.info().precision());
        assertEquals("cpu", encoder.info().provider());
        assertEquals(Modality.TEXT, encoder.info().modality());
        assertEquals("6c9c6101a956d62dfb5e7190c538226c0c5bb9cb27b651234b6df063ee7dbfe4",
                encoder.info().sha256().get("model"));
    }
}
