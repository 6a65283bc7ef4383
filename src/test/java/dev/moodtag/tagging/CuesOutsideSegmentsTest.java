package dev.moodtag.tagging;

import dev.moodtag.encode.EmbeddingEngine;
import dev.moodtag.encode.EncoderKinds;
import dev.moodtag.label.NoClassifierLabeller;
import dev.moodtag.media.FfmpegMediaDecoder;
import dev.moodtag.media.TestMediaConfig;
import dev.moodtag.media.TimeBudget;
import dev.moodtag.media.TranscriptChain;
import dev.moodtag.media.TranscriptLimits;
import dev.moodtag.pack.ModelPack;
import dev.moodtag.testing.Fixtures;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A sidecar beside a real recording (two of the shared EmoDB samples with silence before, between and after them), with
 * cues in that silence and past the recording's end. Before, under voice activity a cue in a pause or before the first
 * voiced segment and, under every method, a cue past the end gave its words to no segment, and the result said nothing:
 * the user's transcript lost words without a word.
 */
class CuesOutsideSegmentsTest {

    static final double LEAD = 1.5, PAUSE = 3, TAIL = 1.5;

    static EmbeddingEngine engine;

    @TempDir
    Path dir;

    @BeforeAll
    static void load() {
        ModelPack full = Fixtures.defaultPack();
        engine = new EmbeddingEngine(new ModelPack(full.id(), full.version(), full.description(), full.manifest(), full.dir(),
                List.of(full.encoder("text-bge-small").orElseThrow()), full.vad()), Fixtures.onnxCpu(), EncoderKinds.BUILT_IN, false);
    }

    @AfterAll
    static void close() {
        engine.close();
    }

    /** The cues of {@link #SUBTITLES}, as the segments must hold them. */
    static final String BEFORE = "Before anyone speaks.", FIRST = "Der Lappen liegt auf dem Eisschrank.",
            IN_PAUSE = "A cue in the pause.", SECOND = "Das will sie am Mittwoch abgeben.",
            AFTER = "After the last words.", PAST = "Long past the end.", FURTHER = "Further still.";

    /**
     * The words of every cue are in one segment, or the transcript's note names them: under voice activity, those in
     * silence before or between voiced segments go with the next one, and those after the last are named; under every
     * method those past the recording's end are named as such.
     */
    @Test
    void everyCuesWordsAreInASegmentOrNamed() throws Exception {
        Path media = recording(dir.resolve("talk.wav"));
        Files.writeString(dir.resolve("talk.srt"), """
                1
                00:00:00,200 --> 00:00:01,000
                %s

                2
                00:00:01,500 --> 00:00:04,700
                %s

                3
                00:00:05,600 --> 00:00:06,900
                %s

                4
                00:00:07,700 --> 00:00:09,880
                %s

                5
                00:00:10,400 --> 00:00:11,200
                %s

                6
                00:00:20,000 --> 00:00:22,000
                %s

                7
                00:00:30,000 --> 00:00:30,000
                %s
                """.formatted(BEFORE, FIRST, IN_PAUSE, SECOND, AFTER, PAST, FURTHER));

        TimelineTagger.Tagged vad = tagged(engine, media, "vad");
        assertEquals("vad", vad.timeline().segmentation());
        List<String> texts = texts(vad);
        assertEquals(2, texts.size(), texts.toString());
        assertEquals(List.of(BEFORE + " " + FIRST, IN_PAUSE + " " + SECOND), texts);
        assertEquals("1 cue (4 words) from 10.40 s on is in no segment: none reaches it; 2 cues (6 words) from 20.00 s on"
                + " lie past the recording's end (11.38 s): their words are in no segment", vad.transcript().transcript().note());

        for (String method : List.of("auto", "fixed")) {
            TimelineTagger.Tagged t = tagged(engine, media, method);
            List<String> words = new ArrayList<>();
            texts(t).forEach(s -> words.addAll(List.of(s.split(" "))));
            assertEquals(List.of((BEFORE + " " + FIRST + " " + IN_PAUSE + " " + SECOND + " " + AFTER).split(" ")), words,
                    method + ": every cue in the recording's span once, in order");
            assertEquals("2 cues (6 words) from 20.00 s on lie past the recording's end (11.38 s): their words are in no"
                    + " segment", t.transcript().transcript().note(), method);
        }
    }

    private static List<String> texts(TimelineTagger.Tagged t) {
        return t.timeline().segments().stream().map(EmotionResult.Segment::transcript)
                .filter(java.util.Objects::nonNull).map(EmotionResult.SegmentTranscript::text).toList();
    }

    /** The timeline {@code engine} makes of {@code media} and its sidecar, segmented as {@code segmentation} says. */
    static TimelineTagger.Tagged tagged(EmbeddingEngine engine, Path media, String segmentation) throws Exception {
        FfmpegMediaDecoder decoder = new FfmpegMediaDecoder(TestMediaConfig.defaults());
        TimeBudgetConfig budget = new TimeBudgetConfig() {
            public Duration base() { return Duration.ofMinutes(5); }
            public double perMediaSecond() { return 0; }
            public double starvedCap() { return 1; }
        };
        TimelineTagger timelines = new TimelineTagger(decoder, engine, new NoClassifierLabeller("none"),
                new Segmentation(segmentation), budget, TranscriptChain.standard(TranscriptLimits.DEFAULTS),
                new ObjectCopierTest.Limits(16L << 20));
        return timelines.tag(media, decoder.probe(media), media.getFileName().toString(),
                TimeBudget.start(budget.base(), budget.perMediaSecond(), budget.starvedCap()));
    }

    /** {@link SegmentingSinkTest.Config}'s timeline, segmented as {@code segmentation} says, keeping half-second segments. */
    record Segmentation(String segmentation) implements TimelineConfig {
        static final TimelineConfig BASE = new SegmentingSinkTest.Config(10, 2);

        public Duration segmentAbove() { return BASE.segmentAbove(); }
        public double windowSeconds() { return BASE.windowSeconds(); }
        public double overlapSeconds() { return BASE.overlapSeconds(); }
        public double mergeGapSeconds() { return BASE.mergeGapSeconds(); }
        public double maxSegmentSeconds() { return BASE.maxSegmentSeconds(); }
        public double minSegmentSeconds() { return 0.5; }
        public double vadBlockSeconds() { return BASE.vadBlockSeconds(); }
        public double videoFps() { return BASE.videoFps(); }
        public SpeechOverRecording speechOverRecording() { return SpeechOverRecording.OFF; }
        public int recordingMinSegments() { return BASE.recordingMinSegments(); }
        public double recordingMaxDominantShare() { return BASE.recordingMaxDominantShare(); }
    }

    /**
     * 1.5 s of silence, the shared 03a05Fc.wav (3.20 s), 3 s of silence, 03b01Wa.wav (2.18 s) and 1.5 s of silence:
     * 11.38 s of 16 kHz mono PCM, speech from 1.5 to 4.7 s and from 7.7 to 9.88 s at most.
     */
    static Path recording(Path wav) throws IOException {
        ByteArrayOutputStream pcm = new ByteArrayOutputStream();
        pcm.write(new byte[(int) (LEAD * 32000)]);
        pcm.write(pcm(Fixtures.sample("03a05Fc.wav")));
        pcm.write(new byte[(int) (PAUSE * 32000)]);
        pcm.write(pcm(Fixtures.sample("03b01Wa.wav")));
        pcm.write(new byte[(int) (TAIL * 32000)]);
        byte[] data = pcm.toByteArray();
        ByteBuffer h = ByteBuffer.allocate(44).order(ByteOrder.LITTLE_ENDIAN);
        h.put("RIFF".getBytes()).putInt(36 + data.length).put("WAVEfmt ".getBytes()).putInt(16).putShort((short) 1)
                .putShort((short) 1).putInt(16000).putInt(32000).putShort((short) 2).putShort((short) 16)
                .put("data".getBytes()).putInt(data.length);
        byte[] out = Arrays.copyOf(h.array(), 44 + data.length);
        System.arraycopy(data, 0, out, 44, data.length);
        return Files.write(wav, out);
    }

    /** The samples of a 16 kHz mono 16-bit PCM .wav: its {@code data} chunk, whatever chunks come before it. */
    private static byte[] pcm(Path wav) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(wav)).order(ByteOrder.LITTLE_ENDIAN);
        b.position(12);
        while (b.remaining() >= 8) {
            byte[] id = new byte[4];
            b.get(id);
            int size = b.getInt();
            if (new String(id).equals("data")) return Arrays.copyOfRange(b.array(), b.position(), b.position() + size);
            b.position(b.position() + size + (size & 1));
        }
        throw new IOException(wav + " has no data chunk");
    }
}
