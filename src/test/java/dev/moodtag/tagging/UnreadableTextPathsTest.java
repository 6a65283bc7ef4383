package dev.moodtag.tagging;

import dev.moodtag.encode.EncoderResult;
import dev.moodtag.encode.UtteranceEmbeddings;
import dev.moodtag.media.FfmpegMediaDecoder;
import dev.moodtag.media.Modality;
import dev.moodtag.media.TestMediaConfig;
import dev.moodtag.media.Transcript;
import dev.moodtag.testing.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * Text the text model reads only as [UNK] is missing with the same reason whether it is a whole utterance's transcript
 * (the single-utterance path) or a timeline segment's cue: both go through the text encoder's refusal, which no longer
 * runs the model first ({@code BertTextEncoderTest} counts its windows).
 */
class UnreadableTextPathsTest {

    static final String EMOJI = "\uD83D\uDE00\uD83D\uDE00";
    static final String WHY = "the transcript has no word the text model reads (2 character(s), 1 token(s) it does not know)";

    @TempDir
    Path dir;

    @Test
    void anUtteranceAndATimelineSegmentOfUnknownTokensSayTheSame() throws Exception {
        Path media = Files.copy(Fixtures.sample("03a05Fc.wav"), dir.resolve("talk.wav"));
        Files.writeString(dir.resolve("talk.srt"), "1\n00:00:00,200 --> 00:00:01,500\n" + EMOJI
                + "\n\n2\n00:00:01,500 --> 00:00:03,000\nHallo.\n");
        FfmpegMediaDecoder decoder = new FfmpegMediaDecoder(TestMediaConfig.defaults());
        try (CueFloodBudgetTest.CountingEngine engine = new CueFloodBudgetTest.CountingEngine()) {
            UtteranceEmbeddings whole = engine.embed(decoder.decode(media, Transcript.inline(EMOJI)));
            EncoderResult text = whole.results().stream().filter(r -> r.modality() == Modality.TEXT).findFirst().orElseThrow();
            assertNull(text.vector());
            assertEquals(WHY, text.missingReason());

            TimelineTagger.Tagged timeline = CuesOutsideSegmentsTest.tagged(engine, media, "auto");
            List<EmotionResult.Segment> segments = timeline.timeline().segments();
            assertEquals(2, segments.size(), segments.toString());
            assertEquals(WHY, segments.get(0).textMissing());
            assertEquals("Hallo.", segments.get(1).transcript().text());
        }
    }
}
