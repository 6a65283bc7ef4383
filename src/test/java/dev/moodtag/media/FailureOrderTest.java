package dev.moodtag.media;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A file broken in more than one place fails with the same message on every path (one pass, streamed, in parts), whatever
 * the timing: the failure reported is the one earliest on the file's clock, video before audio at the same time
 * ({@link DecodeFailures}). Before, a film decoded in parts reported whichever part's thread failed first and stopped
 * the others, so the same file named its audio under one load and its video under another (24 decodes side by side
 * gave both messages), and one pass reported whichever broken packet the muxer had written first.
 */
class FailureOrderTest {

    /**
     * A 5 s film whose video clock jumps forward two hours at {@code videoAt} s and whose audio clock jumps four hours at
     * {@code audioAt} s: both CORRUPT, at different places in the file.
     */
    static Path brokenTwice(String name, double videoAt, double audioAt) throws Exception {
        TestMediaWriter.ffmpeg("-f", "lavfi", "-i", "testsrc=size=160x120:rate=25:duration=5",
                "-f", "lavfi", "-i", "sine=f=440:duration=5:sample_rate=16000",
                "-vf", "setpts=PTS+gte(T\\," + videoAt + ")*7200/TB", "-af", "asetpts=PTS+gte(T\\," + audioAt + ")*14400/TB",
                "-fps_mode", "passthrough", "-c:v", "mpeg4", "-c:a", "pcm_s16le", name);
        return TestMediaWriter.DIR.resolve(name);
    }

    /** Long enough for the clock the files declare, so that they are decoded until they fail. */
    private static final TestMediaConfig LONG = TestMediaConfig.defaults().withMaxDuration(java.time.Duration.ofHours(5));

    /** Slows the thread that decodes the video: the listener hears every kept frame on it. */
    private static final DecodeListener SLOW_VIDEO = new DecodeListener() {
        @Override
        public void frame(int part, VideoFrame frame) {
            pause(150);
        }
    };

    /** Slows the thread that decodes the audio: a recogniser hears every chunk on it. */
    private static final HeardTranscripts SLOW_AUDIO = new HearingStub(samples -> pause(25), () -> {
    });

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The message of every path's failure, by path. */
    private static Map<String, String> failures(Path film) {
        TestMediaConfig parts = LONG.withParallelDecoding(true);
        FfmpegMediaDecoder inParts = new FfmpegMediaDecoder(parts);
        FfmpegMediaDecoder slowAudio = new FfmpegMediaDecoder(parts, TranscriptChain.standard(TranscriptLimits.DEFAULTS, SLOW_AUDIO));
        FfmpegMediaDecoder onePass = new FfmpegMediaDecoder(LONG.withParallelDecoding(false));
        Map<String, Supplier<Object>> paths = new LinkedHashMap<>();
        paths.put("one pass", () -> onePass.decode(film));
        paths.put("streamed", () -> {
            onePass.stream(film, new StreamingTest.CountingSink(Double.MAX_VALUE));
            return null;
        });
        paths.put("in parts", () -> inParts.decode(film));
        paths.put("in parts, the video slowed", () -> inParts.decode(film, null, SLOW_VIDEO));
        paths.put("in parts, the audio slowed", () -> slowAudio.decode(film));
        Map<String, String> said = new LinkedHashMap<>();
        paths.forEach((path, decode) -> {
            MediaException e = assertThrows(MediaException.class, decode::get, path);
            assertEquals(MediaException.Kind.CORRUPT, e.kind(), path + ": " + e.getMessage());
            said.put(path, e.getMessage());
        });
        return said;
    }

    private static void assertAllSay(String expected, Map<String, String> said) {
        for (Map.Entry<String, String> e : said.entrySet())
            assertTrue(e.getValue().matches(expected), e.getKey() + " said: " + e.getValue() + "\nall said: " + said);
    }

    @Test
    void theVideoBrokenFirstIsReportedWhicheverThreadFindsItsFailureFirst() throws Exception {
        Path film = brokenTwice("broken-video-first.mkv", 1, 3);
        assertAllSay(".*its video timestamps jump forward from 0.96 s to 7201.00 s.*", failures(film));
    }

    /**
     * The muxer writes the audio after its jump (at 4 hours) behind the video after its own (at 2 hours), so one pass
     * used to meet the video's failure first and named it, while the audio's clock broke two seconds earlier.
     */
    @Test
    void theAudioBrokenFirstIsReportedWhicheverThreadFindsItsFailureFirst() throws Exception {
        Path film = brokenTwice("broken-audio-first.mkv", 3, 1);
        assertAllSay(".*its audio timestamps jump forward from 0.96 s to 14401.0[0-9] s.*", failures(film));
    }

    /**
     * Which failure is reported is decided by where each was found, not by which thread found it first; a spent budget
     * stops everything at once, and is reported unless a failure of the file was found before it (which a thread that
     * had gone on would have reported instead).
     */
    @Test
    void theEarliestFailureOnTheClockIsReportedAndBeatsASpentBudget() {
        MediaException audio = new MediaException(MediaException.Kind.CORRUPT, "f", "audio at 2 s");
        MediaException video = new MediaException(MediaException.Kind.CORRUPT, "f", "video at 1 s");
        DecodeFailures failures = new DecodeFailures();
        assertFalse(failures.past(1e9, DecodeFailures.Stream.AUDIO), "nothing found: every stream goes on");
        failures.found(2, DecodeFailures.Stream.AUDIO, audio);
        assertFalse(failures.past(1.5, DecodeFailures.Stream.VIDEO), "the video before 2 s could still fail first");
        assertFalse(failures.past(2, DecodeFailures.Stream.VIDEO), "at the same time the video's failure would come first");
        assertTrue(failures.past(2.04, DecodeFailures.Stream.VIDEO));
        assertSame(audio, assertThrows(MediaException.class, failures::report));
        failures.found(1, DecodeFailures.Stream.VIDEO, video);
        failures.found(3, DecodeFailures.Stream.VIDEO, new MediaException(MediaException.Kind.CORRUPT, "f", "later"));
        assertSame(video, assertThrows(MediaException.class, failures::report), "found last, but earliest on the clock");

        TimeBudget.Spent spent = new TimeBudget.Spent("f", "spent"), later = new TimeBudget.Spent("f", "spent again");
        failures.stop(spent);
        assertTrue(failures.past(0, DecodeFailures.Stream.VIDEO), "a spent budget stops every stream");
        assertSame(video, assertThrows(MediaException.class, failures::report), "the file's failure, not the budget");
        DecodeFailures onlySpent = new DecodeFailures();
        onlySpent.stop(spent);
        onlySpent.stop(later);
        assertSame(spent, assertThrows(MediaException.class, onlySpent::report), "the first crossing, whichever thread");
        DecodeFailures interrupted = new DecodeFailures();
        interrupted.found(1, DecodeFailures.Stream.VIDEO, video);
        dev.moodtag.support.Stopped stopped = new dev.moodtag.support.Stopped("interrupted", null);
        interrupted.stop(stopped);
        assertSame(stopped, assertThrows(RuntimeException.class, interrupted::report), "an interruption is not the file's");
        new DecodeFailures().report(); // nothing found: returns
    }

    /** Decoded in parts many times over, side by side, the failure does not change with the load. */
    @Test
    void underLoadTheSameFailureEveryTime() throws Exception {
        Path film = brokenTwice("broken-under-load.mkv", 1, 3);
        FfmpegMediaDecoder inParts = new FfmpegMediaDecoder(LONG.withParallelDecoding(true));
        List<String> said = java.util.stream.IntStream.range(0, 24).parallel()
                .mapToObj(i -> assertThrows(MediaException.class, () -> inParts.decode(film)).getMessage())
                .distinct().toList();
        assertEquals(1, said.size(), "one message: " + said);
        assertTrue(said.get(0).contains("its video timestamps jump forward from 0.96 s"), said.get(0));
    }
}
