package dev.moodtag.media;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

import static org.bytedeco.ffmpeg.global.avcodec.*;
import static org.junit.jupiter.api.Assertions.*;

/**
 * Where a container's clock starts is not part of the media: a 2 s clip whose timestamps start at 1 s, at the 10:00:00
 * of a broadcast timecode, just before an MPEG-TS clock wraps (2^33 / 90 kHz, about 26.5 hours), or below zero (a
 * muxer told to keep negative times), decodes as the same clip starting at 0, with the same outcome, length and frames,
 * times counted from its start.
 */
class LateStartTest {
    /** Seconds the clock is moved by; 95443 s puts the MPEG-TS wrap 0.72 s into the clip. */
    static final double[] OFFSETS = {0, 1, 3600, 36000, 95443, -1};
    /** One video frame at 25 fps. */
    static final double FRAME = 1 / 25.0;

    record Container(String file, String format, boolean video, int videoCodec, int audioCodec, int rate) {
        @Override
        public String toString() {
            return file;
        }

        TestMediaWriter writer() {
            TestMediaWriter w = TestMediaWriter.format(format).seconds(2).audio(audioCodec, rate, 1);
            return video ? w.video(videoCodec, 160, 120, 25) : w;
        }

        /** MP4's edit list hides what lies before zero, as every player does: the clip is then 1 s. */
        boolean hidesBeforeZero() {
            return format.equals("mp4") || format.equals("mov") || format.equals("ipod");
        }
    }

    static final List<Container> CONTAINERS = List.of(
            new Container("mkv", "matroska", true, AV_CODEC_ID_MPEG4, AV_CODEC_ID_AAC, 48_000),
            new Container("webm", "webm", true, AV_CODEC_ID_VP8, AV_CODEC_ID_OPUS, 48_000),
            new Container("mp4", "mp4", true, AV_CODEC_ID_MPEG4, AV_CODEC_ID_AAC, 48_000),
            new Container("mov", "mov", true, AV_CODEC_ID_MPEG4, AV_CODEC_ID_AAC, 48_000),
            new Container("ts", "mpegts", true, AV_CODEC_ID_MPEG4, AV_CODEC_ID_AAC, 48_000),
            new Container("flv", "flv", true, AV_CODEC_ID_FLV1, AV_CODEC_ID_AAC, 44_100),
            new Container("mka", "matroska", false, AV_CODEC_ID_NONE, AV_CODEC_ID_AAC, 48_000),
            new Container("opus", "ogg", false, AV_CODEC_ID_NONE, AV_CODEC_ID_OPUS, 48_000),
            new Container("aac", "adts", false, AV_CODEC_ID_NONE, AV_CODEC_ID_AAC, 44_100),
            new Container("mp3", "mp3", false, AV_CODEC_ID_NONE, AV_CODEC_ID_MP3, 44_100),
            new Container("m4a", "ipod", false, AV_CODEC_ID_NONE, AV_CODEC_ID_AAC, 44_100));

    record Case(Container container, double offset) {
        @Override
        public String toString() {
            return container + " from " + offset + " s";
        }
    }

    static Stream<Case> cases() {
        List<Case> all = new ArrayList<>();
        for (Container c : CONTAINERS)
            for (double offset : OFFSETS)
                // FLV holds no time below zero: its muxer writes such times wrapped, a jump of 24.8 days (HostileLengthAndTimeTest)
                if (offset != 0 && !(offset < 0 && c.format().equals("flv"))) all.add(new Case(c, offset));
        return all.stream();
    }

    private static final Map<String, Path> WRITTEN = new ConcurrentHashMap<>();

    static Path write(Container c, double offset) {
        String name = "late-start-" + (offset < 0 ? "minus" : "") + (long) Math.abs(offset) + "." + c.file();
        return WRITTEN.computeIfAbsent(name, n -> {
            try {
                TestMediaWriter w = c.writer().muxerOption("output_ts_offset", Double.toString(offset));
                if (offset < 0) w.muxerOption("avoid_negative_ts", "disabled");
                return w.write(n);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void aClipDecodesAsTheSameClipStartingAtZero(Case c) {
        Path atZero = write(c.container(), 0);
        Path moved = write(c.container(), c.offset());
        double lost = c.offset() < 0 && c.container().hidesBeforeZero() ? -c.offset() : 0;
        if (c.offset() < 0 && c.container().format().equals("webm")) {
            // WebM allows no time below zero: its muxer stores the first second at 0 again, and the time goes back
            BadInputTest.assertKind(MediaException.Kind.CORRUPT, moved.getFileName().toString(),
                    () -> new FfmpegMediaDecoder(TestMediaConfig.defaults()).decode(moved));
            return;
        }
        for (boolean inParts : new boolean[]{false, true}) {
            FfmpegMediaDecoder d = new FfmpegMediaDecoder(TestMediaConfig.defaults().withMaxFrameSide(160)
                    .withParallelDecoding(inParts));
            Utterance expected = d.decode(atZero);
            Utterance actual = d.decode(moved);
            String how = inParts ? " (in parts)" : " (one pass)";
            assertEquals(expected.audio().durationSeconds() - lost, actual.audio().durationSeconds(), FRAME,
                    "audio length" + how);
            // (JavaCV's recorder declares up to a second more than it writes, and not below zero: compared above it)
            if (c.offset() > 0)
                assertEquals(d.probe(atZero).declaredSeconds(), d.probe(moved).declaredSeconds(), 0.1, "declared length");
            if (!c.container().video()) continue;
            List<VideoFrame> before = expected.video().frames(), after = actual.video().frames();
            int lostFrames = (int) Math.round(lost * 5);
            assertEquals(before.size() - lostFrames, after.size(), 1, "frames sampled" + how);
            assertEquals(before.get(0).timestampSeconds(), after.get(0).timestampSeconds(), FRAME, "first frame" + how);
            assertEquals(before.get(before.size() - 1).timestampSeconds() - lost,
                    after.get(after.size() - 1).timestampSeconds(), FRAME, "last frame" + how);
        }
    }
}
