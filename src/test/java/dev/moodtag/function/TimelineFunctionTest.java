package dev.moodtag.function;

import com.fasterxml.jackson.databind.JsonNode;
import dev.moodtag.testing.Fixtures;
import dev.moodtag.testing.LongRecordingWriter;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Long recordings through the function: a generated 10-minute interview (real EmoDB speech between silences, face
 * pictures as video) dropped into a watched folder gets a timeline whose voice-activity segments cover the speech that
 * was put in, and a summary; a recording with a timed transcript is segmented at its cues. Results are checked
 * against the published schema.
 */
@QuarkusTest
@TestProfile(TimelineFunctionTest.Profile.class)
@Tag("quarkus")
class TimelineFunctionTest {

    static final Path ROOT = Path.of("target", "timeline-root").toAbsolutePath();

    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            FileTrees.recreate(ROOT);
            // A 10-minute recording takes longer than RestAssured's default 30 s under Quarkus tests.
            // About segmentation and aggregation: the inserted clips are German, which the English recogniser's gate
            // rejects for all but a few (TRAINING.md), so recognition would only add its cost and a chance text
            // segment. Per-segment recognition is tested in SegmentRecognitionTest.
            return Map.of("moodtag.storage.local.roots", ROOT.toString(), "moodtag.onnx.device", "cpu",
                    "quarkus.http.test-timeout", "PT10M", "moodtag.transcribe.enabled", "false");
        }
    }

    @Test
    void aTenMinuteInterviewGetsATimelineCoveringItsSpeech() throws IOException {
        Path media = ROOT.resolve("interview-10min.mp4");
        List<LongRecordingWriter.Speech> speech = LongRecordingWriter.write(media, 600, 7);
        long t0 = System.nanoTime();
        SamplesRequests.plain("/recognize", "{\"uri\": \"" + media.toUri() + "\"}").then().statusCode(200)
                .body("objects[0].outcome", equalTo("processed"));
        System.out.printf("10-minute recording tagged through the function in %.1f s%n", (System.nanoTime() - t0) / 1e9);
        JsonNode r = FunctionFixtures.validResult(Files.readAllBytes(ROOT.resolve("interview-10min.mp4.emotion.json")));
        assertEquals(2, r.get("version").asInt());
        assertEquals("labelled", r.get("status").asText(), r.toPrettyString());
        JsonNode timeline = r.get("timeline");
        assertEquals("vad", timeline.get("segmentation").asText());
        assertEquals(600, timeline.get("durationSeconds").asDouble(), 1.5);

        List<double[]> segments = new ArrayList<>();
        Set<String> labels = new HashSet<>();
        double previousStart = -1;
        for (JsonNode s : timeline.get("segments")) {
            double start = s.get("start").asDouble(), end = s.get("end").asDouble();
            assertTrue(start >= previousStart && end > start && end <= 601, s.toString());
            previousStart = start;
            segments.add(new double[]{start, end});
            assertEquals("labelled", s.get("status").asText(), s.toString());
            labels.add(s.get("label").asText());
            double sum = 0;
            for (JsonNode p : s.get("probabilities")) sum += p.asDouble();
            assertEquals(1, sum, 0.01, s.toString());
            assertTrue(s.get("modalities").toString().contains("speech") && s.get("modalities").toString().contains("video"), s.toString());
        }
        // The inserted clips (EmoDB, 2 s each, with the speaker's own pauses at their edges) are covered by segments;
        // segments are mostly speech, not the silences between clips.
        double speechSeconds = 0, coveredSpeech = 0;
        int touched = 0;
        for (LongRecordingWriter.Speech u : speech) {
            double covered = 0;
            for (double[] g : segments) covered += Math.max(0, Math.min(g[1], u.end()) - Math.max(g[0], u.start()));
            if (covered > 0) touched++;
            speechSeconds += u.end() - u.start();
            coveredSpeech += covered;
        }
        double segmentedSeconds = segments.stream().mapToDouble(g -> g[1] - g[0]).sum();
        System.out.printf("%d clips, %d touched by a segment; %.1f of %.1f s of clip time covered; %d segments, %.1f s%n",
                speech.size(), touched, coveredSpeech, speechSeconds, segments.size(), segmentedSeconds);
        assertTrue(touched >= 0.95 * speech.size(), touched + " of " + speech.size() + " clips found");
        assertTrue(coveredSpeech >= 0.8 * speechSeconds, coveredSpeech + " of " + speechSeconds + " s of clip time covered");
        assertTrue(segmentedSeconds - coveredSpeech <= 0.1 * segmentedSeconds,
                "segments hold little silence: " + segmentedSeconds + " s, of which speech " + coveredSpeech);
        assertTrue(labels.size() >= 2, "different utterances, different emotions: " + labels);
        // The shipped classifier has a part for speech standardised over a recording: the second pass says whether it
        // ran, over how many segments, and why not when it did not.
        JsonNode over = timeline.get("speechStandardisation");
        assertNotNull(over, timeline.toString());
        System.out.println("speech standardisation: " + over);
        assertEquals(segments.size(), over.get("segments").asInt(), "every segment has speech");
        assertTrue(Set.of("recording", "utterance").contains(over.get("over").asText()), over.toString());
        assertEquals(over.get("over").asText().equals("utterance"), over.get("reason").isTextual(), over.toString());
        assertTrue(labels.contains(over.get("firstPassDominant").asText()) || over.get("over").asText().equals("recording"),
                over.toString());

        JsonNode summary = r.get("summary");
        assertEquals(segments.size(), summary.get("segments").asInt());
        double shares = 0;
        String dominant = null;
        double best = -1;
        var it = summary.get("shareOfTime").fields();
        while (it.hasNext()) {
            var e = it.next();
            shares += e.getValue().asDouble();
            if (e.getValue().asDouble() > best) {
                best = e.getValue().asDouble();
                dominant = e.getKey();
            }
        }
        assertEquals(1, shares, 0.01);
        assertEquals(dominant, summary.get("dominant").asText());
        assertEquals(dominant, r.get("label").asText(), "the whole recording's label is its dominant emotion");
        assertTrue(r.at("/modalities/speech/present").asBoolean() && r.at("/modalities/video/present").asBoolean());
        assertFalse(r.at("/modalities/text/present").asBoolean());
        assertNotNull(r.at("/modalities/text/reason").asText(null));
    }

    @Test
    void aTimedTranscriptSegmentsTheRecordingAtItsCues() throws IOException {
        JsonNode r = taggedBesideSubtitles("with-subtitles", speech -> """
                1
                00:00:02,000 --> 00:00:06,500
                I am so happy to see you.

                2
                00:00:20,000 --> 00:00:24,000
                This is terrible news.
                """);
        JsonNode segments = r.at("/timeline/segments");
        assertEquals("transcript", r.at("/timeline/segmentation").asText());
        assertEquals(2, segments.size(), segments.toString());
        assertEquals(2.0, segments.get(0).get("start").asDouble(), 1e-6);
        assertEquals(24.0, segments.get(1).get("end").asDouble(), 1e-6);
        assertTrue(segments.get(0).get("modalities").toString().contains("text"), segments.toString());
        assertTrue(r.at("/modalities/text/present").asBoolean());
        assertEquals("sidecar", r.at("/transcript/source").asText(), r.toPrettyString());
        assertEquals(2, r.at("/transcript/cues").asInt());
    }

    /**
     * Subtitle cues of no length (start = end) are not dropped: one between two cues gives its words to the next cue's
     * segment, one after the recording's end is said in the transcript's note, and subtitles of instants alone (word
     * timings without durations) leave the segmenting to voice activity and give their words to its segments. Before,
     * every one was lost without a word.
     */
    @Test
    void cuesOfNoLengthKeepTheirWordsOrSaySo() throws IOException {
        JsonNode r = taggedBesideSubtitles("instant-cues", speech -> """
                1
                00:00:02,000 --> 00:00:06,500
                I am so happy to see you.

                2
                00:00:10,000 --> 00:00:10,000
                Wonderful.

                3
                00:00:20,000 --> 00:00:24,000
                This is terrible news.

                4
                00:00:50,000 --> 00:00:50,000
                Goodbye.
                """);
        JsonNode segments = r.at("/timeline/segments");
        assertEquals("transcript", r.at("/timeline/segmentation").asText());
        assertEquals(2, segments.size(), segments.toString());
        assertEquals("Wonderful. This is terrible news.", segments.get(1).at("/transcript/text").asText(), segments.toString());
        assertTrue(r.at("/transcript/note").asText().matches("1 cue \\(1 word\\) from 50\\.00 s on lies past the recording's"
                + " end \\(45\\.\\d\\d s\\): its words are in no segment"), r.toPrettyString());

        JsonNode alone = taggedBesideSubtitles("instant-cues-alone", speech -> {
            // an instant in the middle of each of the first two utterances, where voice activity finds speech
            String[] at = speech.stream().limit(2).map(u -> String.format(java.util.Locale.ROOT, "00:00:%06.3f",
                    (u.start() + u.end()) / 2).replace('.', ',')).toArray(String[]::new);
            return "1\n" + at[0] + " --> " + at[0] + "\nHello.\n\n2\n" + at[1] + " --> " + at[1] + "\nAgain.\n";
        });
        assertNotEquals("transcript", alone.at("/timeline/segmentation").asText(), alone.toPrettyString());
        assertTrue(alone.at("/modalities/text/present").asBoolean(), alone.toPrettyString());
        assertEquals(List.of("Hello.", "Again."), alone.at("/timeline/segments").findValuesAsText("text"), alone.toPrettyString());
        assertNull(alone.at("/transcript/note").textValue(), alone.toPrettyString());
    }

    /**
     * The result of a 45 s recording (seed 3) in its own folder, tagged through the function beside the {@code talk.srt}
     * that {@code subtitles} writes for where its speech lies.
     */
    private static JsonNode taggedBesideSubtitles(String folder,
                                                  java.util.function.Function<List<LongRecordingWriter.Speech>, String> subtitles)
            throws IOException {
        Path dir = Files.createDirectories(ROOT.resolve(folder));
        Path media = dir.resolve("talk.mp4");
        Files.writeString(dir.resolve("talk.srt"), subtitles.apply(LongRecordingWriter.write(media, 45, 3)));
        SamplesRequests.plain("/recognize", "{\"uri\": \"" + media.toUri() + "\"}").then().statusCode(200)
                .body("objects[0].outcome", equalTo("processed"));
        return FunctionFixtures.validResult(Files.readAllBytes(dir.resolve("talk.mp4.emotion.json")));
    }

    /** Issue 13: subtitles that cannot be read leave the text missing; the recording still gets its timeline. */
    @Test
    void unreadableSubtitlesLeaveTheTextMissingAndTheTimelineIsStillMade() throws IOException {
        JsonNode r = taggedBesideSubtitles("broken-subtitles",
                speech -> "1\n00:00:02,000 -> 00:00:06,500\nI am so happy to see you.\n");
        assertNotEquals("error", r.get("status").asText(), r.toPrettyString());
        assertNotEquals("transcript", r.at("/timeline/segmentation").asText(), "no usable cues to segment by");
        assertTrue(r.at("/timeline/segments").size() > 0);
        assertTrue(r.at("/modalities/speech/present").asBoolean());
        String why = r.at("/modalities/text/reason").asText();
        assertTrue(why.contains("talk.srt") && why.contains("timing"), why);
        assertFalse(r.has("transcript"));
        for (JsonNode seg : r.at("/timeline/segments"))
            assertFalse(seg.has("textMissing"), "the recording's reason is said once, not in each segment: " + seg);
    }

    /**
     * Issue 15: with no recogniser (transcription off) and no sidecar, no segment could have text; that is said once at
     * the recording's level, not as a {@code textMissing} in every one of hundreds of segments.
     */
    @Test
    void withoutAnyTextSourceTheReasonIsTheRecordingsNotEachSegments() throws IOException {
        Path dir = Files.createDirectories(ROOT.resolve("no-text-source"));
        Path media = dir.resolve("talk.mp4");
        LongRecordingWriter.write(media, 45, 3);
        SamplesRequests.plain("/recognize", "{\"uri\": \"" + media.toUri() + "\"}").then().statusCode(200)
                .body("objects[0].outcome", equalTo("processed"));
        JsonNode r = FunctionFixtures.validResult(Files.readAllBytes(dir.resolve("talk.mp4.emotion.json")));
        assertTrue(r.at("/timeline/segments").size() > 0, r::toPrettyString);
        for (JsonNode seg : r.at("/timeline/segments")) {
            assertFalse(seg.get("modalities").toString().contains("text"), seg::toString);
            assertFalse(seg.has("textMissing"), seg::toString);
        }
        assertFalse(r.at("/modalities/text/present").asBoolean());
        String why = r.at("/modalities/text/reason").asText();
        assertTrue(why.startsWith("no transcript: ") && why.contains("talk.txt"), why);
    }

    /**
     * A subtitle cue over five minutes whose sound is an utterance at its start and one at its end: between them the
     * file holds digital silence ({@code quiet}, written by JavaCV's recorder) or no audio at all ({@code gap}, the same
     * sound with its middle cut out of the stream). The cue is cut into 15 s pieces; its text votes once, with its first
     * piece, and a piece whose sound is silence or missing gets no speech and costs the speech encoders nothing, so the
     * pieces with neither are no segments. Before, all 20 pieces carried the cue's text, 18 of them were labelled by it
     * alone (the same label over 290 s), and the speech encoders ran over 261 s of silence (6.3 s and 2.0 s of them).
     */
    @Test
    void aLongCueOverSilenceVotesOnceWithItsTextAndNotWithSilence() throws Exception {
        Path dir = Files.createDirectories(ROOT.resolve("long-cue"));
        Path quiet = dir.resolve("quiet.mkv");
        List<LongRecordingWriter.Speech> speech = LongRecordingWriter.writeSound(quiet, 300, 10, 295);
        Path gap = dir.resolve("gap.mkv");
        dev.moodtag.media.TestMediaWriter.ffmpegAt(dir, "-i", quiet.getFileName().toString(),
                "-af", "aselect='lt(t\\,15)+gte(t\\,294)'", "-c:a", "pcm_s16le", gap.getFileName().toString());
        List<dev.moodtag.batch.BatchRow> rows = new ArrayList<>();
        for (Path media : List.of(quiet, gap)) {
            String base = media.getFileName().toString().replace(".mkv", "");
            Files.writeString(dir.resolve(base + ".srt"), """
                    1
                    00:00:10,000 --> 00:05:00,000
                    I am so happy to see you.
                    """);
            SamplesRequests.plain("/recognize", "{\"uri\": \"" + media.toUri() + "\"}").then().statusCode(200)
                    .body("objects[0].outcome", equalTo("processed"));
            JsonNode r = FunctionFixtures.validResult(Files.readAllBytes(dir.resolve(media.getFileName() + ".emotion.json")));
            String all = r.toPrettyString();
            System.out.printf("%s: %d segments, encoding %.0f ms%n", base, r.at("/timeline/segments").size(),
                    r.at("/timingsMs/encode").asDouble());
            assertEquals("transcript", r.at("/timeline/segmentation").asText(), all);
            assertEquals(300, r.at("/timeline/durationSeconds").asDouble(), 0.5, all);
            JsonNode segments = r.at("/timeline/segments");
            assertEquals(2, segments.size(), base + ": the pieces that hold speech or the cue's text, not the silence: " + all);
            JsonNode first = segments.get(0), last = segments.get(1);
            assertEquals(10, first.get("start").asDouble(), 1e-6);
            assertEquals(24.5, first.get("end").asDouble(), 1e-6);
            assertEquals("[\"text\",\"speech\"]", first.get("modalities").toString(), first.toString());
            assertEquals("I am so happy to see you.", first.at("/transcript/text").asText(), first.toString());
            assertEquals(285.5, last.get("start").asDouble(), 1e-6);
            assertEquals(speech.get(1).start(), 295, 1e-9);
            assertEquals("[\"speech\"]", last.get("modalities").toString(), last.toString());
            assertFalse(last.has("transcript"), last.toString());
            assertEquals("the cue's text is given once, with its first piece (10.00-24.50 s)", last.get("textMissing").asText());
            assertEquals(29, r.at("/summary/segmentedSeconds").asDouble(), 1e-6, all);
            assertTrue(r.at("/modalities/speech/present").asBoolean() && r.at("/modalities/text/present").asBoolean(), all);
            rows.add(dev.moodtag.batch.BatchRow.of(media.toUri().toString(), "processed", r.path("status").asText(),
                    r.path("label").asText(null), null, null, 1.0, r));
        }
        // the batch report reads the same: the cue's words once per recording, the later piece's reason in their place
        Path report = new dev.moodtag.batch.BatchReport().write(new dev.moodtag.batch.BatchSummary(rows, 1.0, false),
                dir.resolve("report"), "long cue");
        String html = Files.readString(report);
        org.jsoup.nodes.Document doc = org.jsoup.Jsoup.parse(html);
        String text = doc.text();
        assertEquals(2, text.split("I am so happy to see you\\.", -1).length - 1, text);
        assertEquals(2, text.split("no text: the cue's text is given once, with its first piece \\(10\\.00-24\\.50 s\\)", -1).length - 1, text);
    }

    /**
     * A 40 s recording whose sound is digital silence has no voiced segment, and fixed windows over it would have none
     * either: the answer says its audio is digital silence, suggesting fixed windows only for a film, whose frames they
     * classify. Before, both answers suggested {@code segmentation=fixed}, which for the sound alone gives no segment.
     */
    @Test
    void aRecordingOfDigitalSilenceSaysSoAndSuggestsFixedWindowsOnlyForItsFrames() throws Exception {
        Path dir = Files.createDirectories(ROOT.resolve("digital-silence"));
        dev.moodtag.media.TestMediaWriter.ffmpegAt(dir, "-f", "lavfi", "-i", "anullsrc=r=16000:cl=mono", "-t", "40",
                "-c:a", "pcm_s16le", "silence.mka");
        dev.moodtag.media.TestMediaWriter.ffmpegAt(dir, "-f", "lavfi", "-i", "testsrc=size=160x120:rate=2", "-f", "lavfi",
                "-i", "anullsrc=r=16000:cl=mono", "-t", "40", "-c:v", "mpeg4", "-c:a", "pcm_s16le", "silence.mkv");
        for (String name : List.of("silence.mka", "silence.mkv")) {
            SamplesRequests.plain("/recognize", "{\"uri\": \"" + dir.resolve(name).toUri() + "\"}").then().statusCode(200)
                    .body("objects[0].outcome", equalTo("processed"));
            JsonNode r = FunctionFixtures.validResult(Files.readAllBytes(dir.resolve(name + ".emotion.json")));
            String all = r.toPrettyString();
            assertEquals("vad", r.at("/timeline/segmentation").asText(), all);
            if (name.endsWith(".mka")) {
                assertEquals(0, r.at("/timeline/segments").size(), all);
                assertTrue(all.contains("no segment to classify: no speech found: its audio is digital silence\""), all);
                assertFalse(all.contains("segmentation=fixed"), all);
            } else assertTrue(all.contains("its audio is digital silence (moodtag.timeline.segmentation=fixed classifies"
                    + " fixed windows instead)"), all);
        }
    }

    @Test
    void aShortRecordingStaysOneUtteranceWithoutATimeline() throws IOException {
        Path media = ROOT.resolve("03b01Wa.wav");
        Files.copy(Fixtures.sample("03b01Wa.wav"), media, StandardCopyOption.REPLACE_EXISTING);
        SamplesRequests.plain("/recognize", "{\"uri\": \"" + media.toUri() + "\"}").then().statusCode(200);
        JsonNode r = FunctionFixtures.validResult(Files.readAllBytes(ROOT.resolve("03b01Wa.wav.emotion.json")));
        assertFalse(r.has("timeline"));
        assertFalse(r.has("summary"));
    }
}
