package dev.moodtag.tagging;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Result documents read back as a stream: any length, memory for what is asked only, and nothing breaks it. */
class ResultDocumentReadTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** A result shaped as the writer shapes it: head first, a timeline of {@code segments} segments, the summary last. */
    static ObjectNode result(int segments) {
        ObjectNode r = JSON.createObjectNode();
        r.put("schema", "https://moodtag.dev/schema/emotion-result-v2.4.json").put("version", 2).put("status", "labelled").put("label", "sad");
        r.putObject("source").put("uri", "file:///a/long.wav").put("size", 123).put("etag", "e1");
        r.putObject("pack").put("id", "p").put("version", "1");
        r.putObject("classifier").put("description", "svm").putArray("classes").add("neutral").add("happy").add("sad").add("angry");
        r.putObject("encoders");
        ObjectNode timeline = r.putObject("timeline");
        timeline.put("durationSeconds", segments * 3.0).put("segmentation", "vad");
        ArrayNode list = timeline.putArray("segments");
        for (int i = 0; i < segments; i++) {
            ObjectNode s = list.addObject().put("start", 3.0 * i).put("end", 3.0 * i + 2.5).put("status", "labelled").put("label", "sad");
            s.putObject("probabilities").put("neutral", 0.1).put("happy", 0.1).put("sad", 0.7).put("angry", 0.1);
            s.putObject("transcript").put("source", "asr").put("text", "and then we went back home to see what had happened there");
        }
        timeline.putObject("speechStandardisation").put("over", "utterance");
        r.putObject("summary").put("dominant", "sad");
        return r;
    }

    private static Optional<StoredResult> parse(byte[] doc, ResultLocator.Part part) throws IOException {
        return ResultLocator.parse(new ByteArrayInputStream(doc), part);
    }

    /** {@code doc} read without its segments, each added to {@code segments} as it streams past. */
    private static StoredResult readSegments(byte[] doc, ArrayNode segments) throws IOException {
        return ResultLocator.parse(new ByteArrayInputStream(doc), ResultLocator.Part.ALL_BUT_SEGMENTS,
                new ResultLocator.SegmentReader() {
                    @Override
                    public boolean begin(JsonNode timelineBefore) {
                        return true;
                    }

                    @Override
                    public void segment(com.fasterxml.jackson.core.JsonParser p) throws IOException {
                        segments.add((JsonNode) p.readValueAsTree());
                    }
                }).orElseThrow();
    }

    @Test
    void theHeadOfAResultOfAnySizeIsReadFromItsFirstBytes() throws IOException {
        byte[] big = JSON.writeValueAsBytes(result(40_000));
        assertTrue(big.length > 2 * ResultLocator.MAX_HEAD_BYTES, "larger than the head's limit: " + big.length);
        long[] read = {0};
        InputStream counting = new ByteArrayInputStream(big) {
            @Override
            public synchronized int read(byte[] b, int off, int len) {
                int n = super.read(b, off, len);
                if (n > 0) read[0] += n;
                return n;
            }
        };
        JsonNode head = ResultLocator.parse(counting, ResultLocator.Part.HEAD).orElseThrow().document();
        assertEquals("p", head.path("pack").path("id").asText());
        assertEquals("svm", head.path("classifier").path("description").asText());
        assertEquals("e1", head.path("source").path("etag").asText());
        assertEquals("sad", head.path("label").asText());
        assertFalse(head.has("timeline"), "the head only");
        assertTrue(read[0] < 64 * 1024, "stopped after the head: " + read[0] + " bytes read of " + big.length);
    }

    @Test
    void segmentsAreCountedAndKeptOnlyWhenAskedFor() throws IOException {
        byte[] doc = JSON.writeValueAsBytes(result(5_000));
        StoredResult counted = parse(doc, ResultLocator.Part.ALL_BUT_SEGMENTS).orElseThrow();
        assertEquals(5_000, counted.segments());
        assertFalse(counted.document().path("timeline").has("segments"));
        assertEquals(15_000.0, counted.document().path("timeline").path("durationSeconds").asDouble());
        assertEquals("utterance", counted.document().path("timeline").path("speechStandardisation").path("over").asText(),
                "timeline fields after the segments are read too");
        assertEquals("sad", counted.document().path("summary").path("dominant").asText());
        ArrayNode streamed = JSON.createArrayNode();
        StoredResult read = readSegments(doc, streamed);
        assertEquals(5_000, read.segments());
        assertEquals(JSON.readTree(doc).path("timeline").path("segments"), streamed, "the segments stream past unchanged");

        StoredResult utterance = parse(JSON.writeValueAsBytes(result(0).without("timeline")), ResultLocator.Part.ALL_BUT_SEGMENTS).orElseThrow();
        assertNull(utterance.segments(), "no timeline, no count");
    }

    /**
     * Schema 2.4 adds a segment's optional {@code textMissing}: written only with a reason, after the segment's other
     * fields, and a document of the 2.3 shape (segments without it) reads as before, beside one with it.
     */
    @Test
    void aSegmentsTextMissingIsWrittenOnlyWithAReasonAndADocumentOfTheShapeBeforeItStillReads() throws IOException {
        String why = "speech not recognised as German with enough confidence (mean word confidence 0.61 < 0.9 over 5 words)";
        JsonNode refused = JSON.valueToTree(new EmotionResult.Segment(3, 5.5, "labelled", "sad", java.util.Map.of("sad", 1.0),
                java.util.List.of("speech"), null, why));
        assertEquals(why, refused.get("textMissing").asText());
        assertEquals(java.util.List.of("start", "end", "status", "label", "probabilities", "modalities", "textMissing"),
                iterable(refused.fieldNames()), "the new field comes last, absent transcript and all");
        JsonNode older = JSON.valueToTree(new EmotionResult.Segment(3, 5.5, "labelled", "sad", java.util.Map.of("sad", 1.0),
                java.util.List.of("speech"), null));
        assertFalse(older.has("textMissing"), "no reason, no field: " + older);

        ObjectNode v23 = result(3);
        ObjectNode v24 = result(3);
        ((ArrayNode) v24.path("timeline").path("segments")).set(1, refused);
        for (ObjectNode doc : java.util.List.of(v23, v24)) {
            byte[] bytes = JSON.writeValueAsBytes(doc);
            assertEquals(3, parse(bytes, ResultLocator.Part.ALL_BUT_SEGMENTS).orElseThrow().segments());
            ArrayNode streamed = JSON.createArrayNode();
            readSegments(bytes, streamed);
            assertEquals(doc.path("timeline").path("segments"), streamed);
            assertEquals(doc == v24, streamed.path(1).has("textMissing"));
        }
    }

    private static java.util.List<String> iterable(java.util.Iterator<String> names) {
        java.util.List<String> out = new java.util.ArrayList<>();
        names.forEachRemaining(out::add);
        return out;
    }

    @Test
    void aHeadThatDoesNotComeFirstIsStillFoundAndOneThatNeverComesIsNotDone() throws IOException {
        ObjectNode tailHeaded = JSON.createObjectNode();
        ObjectNode r = result(10);
        tailHeaded.set("timeline", r.get("timeline"));
        r.fields().forEachRemaining(e -> { if (!e.getKey().equals("timeline")) tailHeaded.set(e.getKey(), e.getValue()); });
        JsonNode head = parse(JSON.writeValueAsBytes(tailHeaded), ResultLocator.Part.HEAD).orElseThrow().document();
        assertEquals("p", head.path("pack").path("id").asText(), "another writer's field order");

        ObjectNode headless = result(60_000);
        headless.remove("pack");
        assertTrue(parse(JSON.writeValueAsBytes(headless), ResultLocator.Part.HEAD).isEmpty(),
                "no pack in the first MAX_HEAD_BYTES: not a result to skip by");

        // A head after a long timeline is no result in any part, so that skip-if-done and status agree.
        ObjectNode late = JSON.createObjectNode();
        ObjectNode big = result(60_000);
        late.set("timeline", big.get("timeline"));
        big.fields().forEachRemaining(e -> { if (!e.getKey().equals("timeline")) late.set(e.getKey(), e.getValue()); });
        for (ResultLocator.Part part : ResultLocator.Part.values())
            assertTrue(parse(JSON.writeValueAsBytes(late), part).isEmpty(), part + ": head past MAX_HEAD_BYTES");
    }

    /**
     * The skip's read of the whole keeps the head only, whatever follows it: a timeline of 40,000 segments is read to
     * its end and left out, and the same document cut anywhere after its head is the head, marked incomplete.
     */
    @Test
    void theSkipsReadOfTheWholeKeepsTheHeadOnlyAndMarksARestCutShort() throws IOException {
        byte[] big = JSON.writeValueAsBytes(result(40_000));
        StoredResult whole = parse(big, ResultLocator.Part.HEAD_OF_WHOLE).orElseThrow();
        assertTrue(whole.complete());
        assertEquals(java.util.Set.of("schema", "version", "status", "label", "source", "pack", "classifier"), java.util.Set.copyOf(iterable(whole.document().fieldNames())),
                "the head's fields only");
        int headEnd = new String(big, StandardCharsets.UTF_8).indexOf("\"encoders\"");
        for (int cut : new int[]{headEnd, headEnd + 1, big.length / 2, big.length - 2, big.length - 1}) {
            StoredResult cutShort = parse(Arrays.copyOf(big, cut), ResultLocator.Part.HEAD_OF_WHOLE).orElseThrow();
            assertFalse(cutShort.complete(), "cut at " + cut);
            assertEquals("p", cutShort.document().path("pack").path("id").asText(), "cut at " + cut);
        }
    }

    /** Cut short, mangled or not a document at all: never an exception, only "not done" (redo) or a document. */
    @Test
    void brokenDocumentsAreNotDoneAndNeverThrow() throws IOException {
        byte[] doc = JSON.writeValueAsBytes(result(50));
        Random random = new Random(7);
        for (int round = 0; round < 400; round++) {
            byte[] broken = switch (round % 4) {
                case 0 -> Arrays.copyOf(doc, random.nextInt(doc.length)); // another writer's part
                case 1 -> { // bytes flipped
                    byte[] b = doc.clone();
                    for (int k = 0; k < 1 + random.nextInt(8); k++) b[random.nextInt(b.length)] = (byte) random.nextInt(256);
                    yield b;
                }
                case 2 -> { // random bytes
                    byte[] b = new byte[random.nextInt(300)];
                    random.nextBytes(b);
                    yield b;
                }
                default -> new String[]{"", "[]", "null", "\"x\"", "{", "{\"pack\":", "{\"timeline\":{\"segments\":[1,2,",
                        "{\"timeline\":[],\"pack\":{},\"source\":{},\"classifier\":{}}", "{}{}", "\ufeff{}"}[round / 4 % 10]
                        .getBytes(StandardCharsets.UTF_8);
            };
            for (ResultLocator.Part part : ResultLocator.Part.values()) {
                Optional<StoredResult> read = parse(broken, part);
                read.ifPresent(r -> assertTrue(r.document().isObject()));
            }
        }
        assertTrue(parse(Arrays.copyOf(doc, doc.length - 1), ResultLocator.Part.ALL_BUT_SEGMENTS).isEmpty(), "one byte short is not a document");
    }

    /**
     * Bytes Jackson cannot even decode (an mp4 header where a result should be reads as UTF-32) are a content problem:
     * not a result, redo it. Only the source failing is the store's, and retryable. Found by a review: the decoding
     * error was answered as storage unavailable, for good.
     */
    @Test
    void contentJacksonCannotDecodeIsNotAResultButAFailingSourcePropagates() throws IOException {
        byte[] mp4 = {0, 0, 0, 0x18, 'f', 't', 'y', 'p', 'm', 'p', '4', '2', 0, 0, 0, 0, 'i', 's', 'o', 'm'};
        for (ResultLocator.Part part : ResultLocator.Part.values())
            assertTrue(parse(mp4, part).isEmpty(), part + ": an mp4 header is not a result");
        byte[] doc = JSON.writeValueAsBytes(result(100));
        InputStream failing = new InputStream() {
            int at;

            @Override
            public int read() throws IOException {
                if (at == 3000) throw new IOException("connection reset");
                return doc[at++];
            }
        };
        IOException e = org.junit.jupiter.api.Assertions.assertThrows(IOException.class,
                () -> ResultLocator.parse(failing, ResultLocator.Part.ALL_BUT_SEGMENTS));
        assertEquals("connection reset", e.getMessage(), "the store's own failure, unwrapped");
    }

    @Test
    void aRepeatedFieldCountsOnceTheFirstInEveryPartAndTheSourceIsLeftOpen() throws IOException {
        String doc = "{\"version\":2,\"status\":\"labelled\",\"source\":{\"etag\":\"OLD\"},\"pack\":{\"id\":\"p\"},"
                + "\"classifier\":{\"description\":\"svm\"},\"source\":{\"etag\":\"NEW\"},"
                + "\"timeline\":{\"segments\":[{},{}],\"segments\":[{}],\"durationSeconds\":1,\"durationSeconds\":2}}";
        for (ResultLocator.Part part : ResultLocator.Part.values()) {
            StoredResult r = parse(doc.getBytes(StandardCharsets.UTF_8), part).orElseThrow();
            assertEquals("OLD", r.document().path("source").path("etag").asText(), part.toString());
            if (part != ResultLocator.Part.HEAD && part != ResultLocator.Part.HEAD_OF_WHOLE) { // the head's fields only
                assertEquals(2, r.segments(), part.toString());
                assertEquals(1, r.document().path("timeline").path("durationSeconds").asInt(), part.toString());
            }
        }
        boolean[] closed = {false};
        InputStream watched = new ByteArrayInputStream(JSON.writeValueAsBytes(result(3))) {
            @Override
            public void close() {
                closed[0] = true;
            }
        };
        ResultLocator.parse(watched, ResultLocator.Part.HEAD).orElseThrow();
        assertFalse(closed[0], "the store closes (or aborts) its own stream");
    }
}
