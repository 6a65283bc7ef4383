package dev.moodtag.encode.text;

import dev.moodtag.encode.EncoderContext;
import dev.moodtag.encode.EncoderOutput;
import dev.moodtag.encode.Pooling;
import dev.moodtag.media.Modality;
import dev.moodtag.media.Transcript;
import dev.moodtag.media.Utterance;
import dev.moodtag.testing.Fixtures;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
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

    /** A real conversation: MELD's dev dialogues, utterance after utterance, until there are {@code words} words. */
    static String meldTranscript(int words) throws IOException {
        StringBuilder text = new StringBuilder();
        int count = 0;
        try (Reader r = Files.newBufferedReader(Fixtures.shared("data/meld/dev_sent_emo.csv"));
             CSVParser p = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get().parse(r)) {
            for (CSVRecord rec : p) {
                for (String w : rec.get("Utterance").trim().split("\\s+")) {
                    if (count == words) return text.toString();
                    if (!text.isEmpty()) text.append(' ');
                    text.append(w);
                    count++;
                }
            }
        }
        throw new IllegalStateException("MELD dev has fewer than " + words + " words");
    }

    @Test
    void aLongTranscriptIsReadInWindowsNotCutAtTheFirst() throws IOException {
        String transcript = meldTranscript(1000);
        EmbeddedText whole = encoder.embedText(transcript);
        assertEquals(384, whole.vector().length);
        assertTrue(whole.tokens() > 1000, "1,000 words of conversation are more than 1,000 tokens: " + whole.tokens());
        int fewest = (whole.tokens() + 253) / 254; // 256 less [CLS] and [SEP]
        assertTrue(whole.windows() >= fewest && whole.windows() <= fewest + 2,
                whole.windows() + " windows for " + whole.tokens() + " tokens");
        assertTrue(whole.note().startsWith(whole.windows() + " windows: " + whole.tokens() + " tokens"), whole.note());
        assertArrayEquals(whole.vector(), encoder.embedText(transcript).vector(), "deterministic");
        double norm = 0;
        for (float v : whole.vector()) norm += v * v;
        assertEquals(1.0, Math.sqrt(norm), 1e-4);

        // What truncation used to embed: the words that fit the first window alone
        String[] words = transcript.split(" ");
        int fit = words.length;
        while (encoder.embedText(String.join(" ", java.util.Arrays.copyOf(words, fit))).windows() > 1) fit -= 10;
        EmbeddedText first = encoder.embedText(String.join(" ", java.util.Arrays.copyOf(words, fit)));
        assertEquals(1, first.windows());
        assertNull(first.note(), "a text that fits records nothing");
        double cosine = Pooling.cosine(whole.vector(), first.vector());
        assertTrue(cosine < 0.99, "the rest of the transcript must count: cosine to the first window alone " + cosine);
        assertTrue(cosine > 0.5, "still the same conversation: " + cosine);
    }

    @Test
    void aTextThatFitsEmbedsAsBeforeWindowing() {
        EmbeddedText e = encoder.embedText("Kids are talking by the door.");
        assertEquals(1, e.windows());
        assertEquals(7, e.tokens());
        assertArrayEquals(encoder.embed("Kids are talking by the door."), e.vector());
    }

    @Test
    void theEncoderOutputCarriesTheWindowNote() throws IOException {
        Utterance u = new Utterance("talk.wav", null, null, Transcript.inline(meldTranscript(1000)), Map.of());
        EncoderOutput.Vector out = assertInstanceOf(EncoderOutput.Vector.class, encoder.encode(u));
        assertTrue(out.note() != null && out.note().contains(" windows: "), out.note());
        Utterance shortOne = new Utterance("talk.wav", null, null, Transcript.inline("Kids are talking by the door."), Map.of());
        assertNull(assertInstanceOf(EncoderOutput.Vector.class, encoder.encode(shortOne)).note());
    }

    /**
     * A word longer than the tokenizer's longest (100 characters) is one [UNK]: alone it is no word the model reads, and
     * the model is not run for it; among words it is read with them.
     */
    @Test
    void aSingleEndlessWordIsOneUnknownToken() {
        long before = encoder.windowsRun();
        EmbeddedText alone = encoder.embedText("a".repeat(20000));
        assertEquals(0, alone.tokens());
        assertEquals(0, alone.vector().length);
        assertEquals(before, encoder.windowsRun());
        EmbeddedText among = encoder.embedText("hello " + "a".repeat(20000));
        assertEquals(384, among.vector().length);
        assertEquals(1, among.windows());
    }

    @Test
    void noTranscriptIsAMissingModalityWithTheDecodersReason() {
        Utterance u = new Utterance("clip.wav", null, null, null, Map.of(Modality.TEXT, "no transcript sidecar"));
        EncoderOutput out = encoder.encode(u);
        assertEquals("no transcript sidecar", assertInstanceOf(EncoderOutput.Missing.class, out).reason());

        Utterance blank = new Utterance("clip.wav", null, null, Transcript.inline("   "), Map.of());
        assertInstanceOf(EncoderOutput.Missing.class, encoder.encode(blank));
    }

    /**
     * Text that String.isBlank keeps but the tokenizer reads as nothing (no-break, zero-width and ideographic
     * spaces, a soft hyphen, a byte-order mark, a lone combining mark) is a missing modality: its embedding was the
     * empty sequence's, and it turned a "happy" clip "neutral" (found by a review).
     */
    @Test
    void textWithNoTokenIsAMissingModality() {
        for (String invisible : new String[]{"\u00a0", "\u200b", "\u00a0\u200b\u00ad", "\ufeff", "\u0301", "\u3000 \u00a0"}) {
            Utterance u = new Utterance("clip.wav", null, null, Transcript.inline(invisible), Map.of());
            EncoderOutput out = encoder.encode(u);
            String why = assertInstanceOf(EncoderOutput.Missing.class, out,
                    () -> "text of " + invisible.codePoints().mapToObj(Integer::toHexString).toList()).reason();
            assertTrue(why.contains("no token"), why);
        }
        assertInstanceOf(EncoderOutput.Vector.class, encoder.encode(new Utterance("clip.wav", null, null,
                Transcript.inline("\u00a0yes\u200b"), Map.of())), "a word among them is text");
    }

    /** Before, special-token names counted as 4 tokens of text: "[PAD] [SEP] [CLS] [MASK]" got a vector. */
    @Test
    void textOfOnlySpecialTokenNamesIsAMissingModality() {
        String markup = "[PAD] [SEP] [CLS] [MASK]";
        EncoderOutput out = encoder.encode(new Utterance("clip.wav", null, null, Transcript.inline(markup), Map.of()));
        String why = assertInstanceOf(EncoderOutput.Missing.class, out,
                () -> "tokens read: " + encoder.embedText(markup).tokens()).reason();
        assertTrue(why.contains("no token"), why);
        assertInstanceOf(EncoderOutput.Vector.class, encoder.encode(new Utterance("clip.wav", null, null,
                Transcript.inline("[SEP] yes [SEP]"), Map.of())), "a word among them is text");
    }

    /**
     * Text the tokenizer reads only as [UNK] (emoji, symbols outside its vocabulary) or as nothing (invisible
     * characters, special-token names) is refused with its reason before the model runs: before, every such text was
     * encoded and its vector thrown away. A seeded grid of such texts, with a word among them now and then, counts the
     * windows run: none for a refused text, one for a short text with a word.
     */
    @Test
    void textOfUnknownOrNoTokensIsRefusedBeforeTheModelRuns() {
        String[] nothing = {"\u200b", "\u00a0", "\u00ad", "\ufeff", "[UNK]", "[PAD]", "[SEP] "};
        java.util.Random r = new java.util.Random(20261206);
        int refused = 0, read = 0;
        for (int round = 0; round < 300; round++) {
            StringBuilder text = new StringBuilder();
            for (int k = 1 + r.nextInt(40); k > 0; k--) {
                switch (r.nextInt(8)) {
                    case 0 -> text.append(nothing[r.nextInt(nothing.length)]);
                    case 1 -> text.append(' ');
                    case 2 -> text.append("[UNK]");
                    case 3, 4 -> text.appendCodePoint(0x1F300 + r.nextInt(0x300)); // emoji and pictographs
                    default -> text.appendCodePoint(0x2600 + r.nextInt(0x100)); // miscellaneous symbols
                }
            }
            boolean word = r.nextInt(5) == 0;
            if (word) text.insert(r.nextInt(text.length() + 1), " yes ");
            long before = encoder.windowsRun();
            EncoderOutput out = encoder.encode(new Utterance("clip.wav", null, null, Transcript.inline(text.toString()), Map.of()));
            long ran = encoder.windowsRun() - before;
            String what = "text \"" + text + "\"";
            if (out instanceof EncoderOutput.Missing m) {
                // blank once stripped, as inline text is, it is refused before the encoder as empty
                assertTrue(m.reason().startsWith("the transcript has no word the text model reads")
                        || text.toString().isBlank() && m.reason().equals("empty transcript"), what + ": " + m.reason());
                assertEquals(0, ran, what + ": refused, so the model must not run");
                assertTrue(!word, what + ": a word among them is text");
                refused++;
            } else {
                assertEquals(1, ran, what);
                read++;
            }
        }
        assertTrue(refused > 150 && read > 20, refused + " refused, " + read + " read: the grid reaches both");
        long before = encoder.windowsRun();
        String why = assertInstanceOf(EncoderOutput.Missing.class, encoder.encode(new Utterance("clip.wav", null, null,
                Transcript.inline("\uD83D\uDE00\uD83D\uDE00 \u2603"), Map.of()))).reason();
        assertEquals("the transcript has no word the text model reads (4 character(s), 2 token(s) it does not know)", why);
        assertEquals(before, encoder.windowsRun());
    }

    @Test
    void aSpecialTokenSpeltInATranscriptIsNotPassedToTheModel() {
        // The tokenizer matched "[SEP]" in raw text: the model read a real separator between "hello" and "world".
        assertArrayEquals(encoder.embed("hello world"), encoder.embed("hello [SEP] world"), 1e-6f);
        assertArrayEquals(encoder.embed("I am [MASK] happy"), encoder.embed("I am happy"), 1e-6f);
        assertEquals(2, encoder.embedText("hello [CLS][SEP] world").tokens());
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
