package dev.moodtag.media;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_MPEG4;
import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_PCM_S16LE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 16: containers that lie about their length, and files that take too long. Short or long is decided by what
 * decodes; a time budget stops every decoding thread. Generated files, real FFmpeg.
 */
class HostileLengthAndTimeTest {

    private final FfmpegMediaDecoder decoder = new FfmpegMediaDecoder(TestMediaConfig.defaults());

    @Test
    void aFileDeclaringOneSecondButHoldingAMinuteOutgrowsTheUtteranceAsItDecodes() throws Exception {
        Path mkv = HostileMedia.audioDeclaringOneSecond(TestMediaWriter.DIR, "declares-1s-holds-60s.mkv", 60);
        assertEquals(1.0, HostileMedia.declaredSeconds(mkv), 0.05, "the container's lie took effect");
        // Without bounds, as before the fix: the whole minute becomes one utterance (what took a 9-minute file to 5 GB).
        assertEquals(60.0, decoder.decode(mkv).audio().durationSeconds(), 0.1);
        // With the function's bounds it is refused before decoding, by the length its clusters hold, read when it is
        // opened (MatroskaEnd: to its last block's end); until 2026-12-06 once its decoded audio passed 31 s.
        LongerThanUtterance e = assertThrows(LongerThanUtterance.class, () -> decoder.decode(mkv, null,
                DecodeListener.NONE, new DecodeBounds(31, TimeBudget.UNLIMITED)));
        assertEquals(60, e.decodedSeconds(), 0.2, "refused at " + e.decodedSeconds() + " s");
        assertEquals(MediaException.Kind.LIMIT_EXCEEDED, e.kind());
        // The streaming path takes all of it, in chunks of at most a second.
        long[] largestChunk = new long[1];
        assertEquals(60.0, streamedSeconds(mkv, largestChunk), 0.1);
        assertTrue(largestChunk[0] <= 16000, "chunks stay small: " + largestChunk[0]);
    }

    /**
     * Lies in both directions: declared 1 s, 1 µs or 10 min for 2 s and 40 s of media. A declared length within the
     * utterance decides nothing: 2 s decodes as an utterance and 40 s is refused by the length its clusters hold, before
     * decoding (until 2026-12-06 once 31 s had decoded: {@link MatroskaEnd}). A declared
     * length beyond it sends the file to the streaming path up front (safe whatever the truth: it holds one segment at
     * a time), and streaming finds the real length.
     */
    @Test
    void theDecodedLengthDecidesWhateverTheContainerDeclares() throws Exception {
        for (double actual : new double[]{2, 40}) {
            for (double declaredMillis : new double[]{1000.0, 1e-3, 600_000.0}) {
                Path mkv = TestMediaWriter.format("matroska").audio(AV_CODEC_ID_PCM_S16LE, 16000, 1).seconds(actual)
                        .write("declares-" + (long) declaredMillis + "ms-holds-" + (long) actual + "s.mkv");
                HostileMedia.lieAboutDuration(mkv, declaredMillis);
                DecodeBounds bounds = new DecodeBounds(31, TimeBudget.UNLIMITED);
                String what = actual + " s declared as " + declaredMillis / 1000 + " s";
                if (declaredMillis > 31_000) {
                    LongerThanUtterance e = assertThrows(LongerThanUtterance.class,
                            () -> decoder.decode(mkv, null, DecodeListener.NONE, bounds), what);
                    assertEquals(600, e.decodedSeconds(), 0.01, "refused before decoding: " + what);
                    assertEquals(actual, streamedSeconds(mkv, new long[1]), 0.1, what);
                } else if (actual < 31) {
                    assertEquals(actual, decoder.decode(mkv, null, DecodeListener.NONE, bounds).audio().durationSeconds(), 0.1, what);
                } else {
                    LongerThanUtterance e = assertThrows(LongerThanUtterance.class,
                            () -> decoder.decode(mkv, null, DecodeListener.NONE, bounds), what);
                    assertEquals(actual, e.decodedSeconds(), 0.2, what + ": " + e.decodedSeconds());
                }
            }
        }
    }

    /**
     * A Matroska film without sound whose Duration falls short of its clusters (a recorder that updates it as it goes
     * and stopped before its last update, clusters appended after the Cues): 40 s of MPEG-4 in Matroska and of VP8 in
     * WebM, its clock from 0 or from 5 s, declaring 1 ms, 1 s, 10 s or 19 s. Without audio nothing but the declared
     * length says how long it is (decoding stops once the frames kept are enough), so under a 20 s limit for one
     * utterance it was taken as one, from its first 12.6 s (64 frames), where the same film declaring 40 s is refused.
     * Its length is read from its clusters when it is opened, under its time budget: refused before decoding on every
     * path, and streamed with its real length (the probe reports it too: {@code MatroskaEndTest}).
     * So is a live writer's WebM, which declares no length at all (0 s), its clusters sized or not: its 40 s passed as
     * one utterance too.
     */
    @Test
    void aMatroskaFilmDeclaringLessThanItsClustersHoldIsRefusedByItsRealLength() throws Exception {
        java.util.List<String> wrong = new java.util.ArrayList<>();
        for (String[] codec : new String[][]{{"mpeg4", "mkv"}, {"libvpx", "webm"}}) {
            for (String offset : new String[]{"0", "5"}) {
                String honest = "clusters-40s-" + codec[0] + "-from-" + offset + "." + codec[1];
                TestMediaWriter.ffmpeg("-f", "lavfi", "-i", "testsrc=size=160x120:rate=25:duration=40", "-c:v", codec[0],
                        "-g", "25", "-output_ts_offset", offset, honest);
                for (double declared : new double[]{0.001, 1, 10, 19}) {
                    Path film = java.nio.file.Files.copy(TestMediaWriter.DIR.resolve(honest), TestMediaWriter.DIR.resolve(
                            "declares-" + declared + "s-" + honest), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                    HostileMedia.lieAboutDuration(film, declared * 1000 + Double.parseDouble(offset) * 1000);
                    String what = honest + " declaring " + declared + " s";
                    if (HostileMedia.declaredSeconds(film) > 19.5) wrong.add(what + ": the lie did not take effect");
                    for (boolean inParts : new boolean[]{false, true}) {
                        FfmpegMediaDecoder limited = new FfmpegMediaDecoder(TestMediaConfig.defaults()
                                .withMaxDuration(Duration.ofSeconds(20)).withParallelDecoding(inParts));
                        try {
                            Utterance u = limited.decode(film);
                            wrong.add(what + (inParts ? " in parts" : "") + ": taken as one utterance of "
                                    + u.video().frames().size() + " frames");
                        } catch (LongerThanUtterance e) {
                            if (Math.abs(e.decodedSeconds() - 40) > 0.1) wrong.add(what + ": refused at " + e.decodedSeconds() + " s");
                        }
                    }
                    // streamed (a timeline's path) as far as its first frame: what the sink is told it holds
                    ProbeSink streamed = new ProbeSink();
                    decoder.stream(film, streamed);
                    double length = streamed.info().declaredSeconds();
                    if (Math.abs(length - 40) > 0.1) wrong.add(what + ": streamed as " + length + " s");
                }
            }
        }
        // a live writer's WebM declares no Duration at all (0 s, FFmpeg's -live), its clusters sized once written
        TestMediaWriter.ffmpeg("-f", "lavfi", "-i", "testsrc=size=160x120:rate=25:duration=40", "-c:v", "libvpx", "-g", "25",
                "-live", "1", "-f", "webm", "clusters-40s-live.webm");
        Path live = TestMediaWriter.DIR.resolve("clusters-40s-live.webm");
        // and one whose clusters are of unknown size too, as a writer that never goes back to size them leaves them
        Path unsized = HostileMedia.unsizeClusters(live, TestMediaWriter.DIR.resolve("clusters-40s-live-unsized.webm"));
        for (Path file : new Path[]{live, unsized}) {
            String what = file.getFileName().toString();
            if (HostileMedia.declaredSeconds(file) != 0) wrong.add(what + " declares a length");
            for (boolean inParts : new boolean[]{false, true}) {
                try {
                    Utterance u = new FfmpegMediaDecoder(TestMediaConfig.defaults().withMaxDuration(Duration.ofSeconds(20))
                            .withParallelDecoding(inParts)).decode(file);
                    wrong.add(what + (inParts ? " in parts" : "") + ": taken as one utterance of " + u.video().frames().size() + " frames");
                } catch (LongerThanUtterance e) {
                    if (Math.abs(e.decodedSeconds() - 40) > 0.1) wrong.add(what + ": refused at " + e.decodedSeconds() + " s");
                }
            }
        }
        assertTrue(wrong.isEmpty(), String.join("\n", wrong));
        // the walk over the clusters answers to the object's budget, as decoding does
        Path film = TestMediaWriter.DIR.resolve("declares-10.0s-clusters-40s-mpeg4-from-0.mkv");
        BadInputTest.assertKind(MediaException.Kind.LIMIT_EXCEEDED, film.getFileName().toString(),
                () -> MatroskaEnd.micros(film, TimeBudget.start(Duration.ZERO, 0)));
        // and it reads what it finds as a length or as none: the film cut anywhere, and bytes of it overwritten
        byte[] bytes = java.nio.file.Files.readAllBytes(film);
        java.util.Random random = new java.util.Random(20261206);
        Path variant = TestMediaWriter.DIR.resolve("clusters-variant.mkv");
        for (int k = 0; k < 400; k++) {
            byte[] b = k % 2 == 0 ? java.util.Arrays.copyOf(bytes, random.nextInt(bytes.length)) : bytes.clone();
            if (k % 2 == 1) for (int n = 0; n < 8; n++) b[random.nextInt(k % 4 == 1 ? 4096 : b.length)] = (byte) random.nextInt(256);
            java.nio.file.Files.write(variant, b);
            long micros = MatroskaEnd.micros(variant, TimeBudget.UNLIMITED);
            // overwritten bytes may claim any time (as a Duration element may), but are read without a throw
            if (k % 2 == 0) assertTrue(micros >= 0 && micros <= 41_000_000, "cut at " + b.length + ": " + micros + " us");
        }
    }

    /** Streams the file's audio to the end; {@code largestChunk[0]} gets the largest chunk in samples. */
    private double streamedSeconds(Path file, long[] largestChunk) {
        AtomicLong samples = new AtomicLong();
        decoder.stream(file, new MediaSink() {
            @Override
            public boolean audio(AudioTrack chunk) {
                samples.addAndGet(chunk.samples().length);
                largestChunk[0] = Math.max(largestChunk[0], chunk.samples().length);
                return true;
            }

            @Override
            public boolean frame(VideoFrame frame) {
                return true;
            }
        });
        return samples.get() / 16000.0;
    }

    /**
     * A clock that jumps forward by hours part-way: FLV cannot hold a time below zero, and its muxer writes a clip from
     * -1 s as 24.8 days, then 49.7 days; a recording whose clock jumped an hour (both streams). The audio is placed by
     * its samples, so the frames after the gap sat hours from their sound: the FLV was refused as "it lasts at least
     * 2147484.7 s, longer than the limit of 600.0 s for one utterance" (limit_exceeded, as if splitting it or a higher
     * limit would help) and streamed as a timeline of 24.8 days; the hour's gap put its second half's speech at 2-4 s and
     * its frames at 3602-3604 s. Such a file is CORRUPT, naming the jump, on every path. A frame held for minutes is not
     * a gap.
     */
    @Test
    void videoWhoseClockJumpsForwardByHoursIsCorruptNotTooLong() throws Exception {
        Path flv = TestMediaWriter.format("flv").seconds(2).video(org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_FLV1, 160, 120, 25)
                .audio(org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_AAC, 44_100, 1)
                .muxerOption("output_ts_offset", "-1").muxerOption("avoid_negative_ts", "disabled").write("clock-wraps.flv");
        // audio and video jump together: the video's jump comes first on the clock, on every path (FailureOrderTest)
        assertCorruptOnEveryPath(flv, message -> message.matches(".*its video timestamps jump forward from 0.98 s to 2147484.6.*"));

        for (String[] jump : new String[][]{{"3600", "clock-jumps.mkv"}, {"300", "frame-held.mkv"}}) {
            TestMediaWriter.ffmpeg("-f", "lavfi", "-i", "testsrc=size=160x120:rate=25:duration=4",
                    "-f", "lavfi", "-i", "sine=f=440:duration=4:sample_rate=16000",
                    "-vf", "setpts=PTS+gte(T\\,2)*" + jump[0] + "/TB", "-af", "asetpts=PTS+gte(T\\,2)*" + jump[0] + "/TB",
                    "-fps_mode", "passthrough", "-c:v", "mpeg4", "-c:a", "aac", jump[1]);
        }
        Path jumped = TestMediaWriter.DIR.resolve("clock-jumps.mkv");
        MediaException e = BadInputTest.assertKind(MediaException.Kind.CORRUPT, "clock-jumps.mkv",
                () -> decoder.stream(jumped, new StreamingTest.CountingSink(Double.MAX_VALUE)));
        assertTrue(e.getMessage().matches(".*its video timestamps jump forward from 1.96 s to 3602.00 s.*a gap of 1.0 hours.*"),
                e.getMessage());
        // five minutes without a new frame: held, and placed where its clock says, its sound too (AudioClockTest)
        Utterance held = decoder.decode(TestMediaWriter.DIR.resolve("frame-held.mkv"));
        assertEquals(303.8, held.video().frames().get(held.video().frames().size() - 1).timestampSeconds(), 0.1);
        assertEquals(304.0, held.audio().durationSeconds(), 0.1);
    }

    /**
     * A film whose video timestamps run backwards: Matroska cannot store the negative times of a film shifted 2 s
     * before zero (a muxer told not to move them), so its first 2 s read 0.00-1.96 s and the rest starts again at 0.
     * The frames after the jump were dropped as already sampled and the rest came 2 s early against the audio: 20 frames
     * from 0.00 to 3.80 s of a 6 s film, and no error. Such a file is CORRUPT, naming where its time goes back, on every
     * path.
     */
    @Test
    void videoWhoseTimestampsGoBackIsCorrupt() throws Exception {
        Path film = TestMediaWriter.format("matroska").seconds(6).video(AV_CODEC_ID_MPEG4, 320, 240, 25)
                .audio(org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_AAC, 48_000, 2)
                .muxerOption("output_ts_offset", "-2").muxerOption("avoid_negative_ts", "disabled")
                .write("time-goes-back.mkv");
        // audio and video go back together: the video, from 1.96 s, before the audio, from 1.98 s, on every path
        assertCorruptOnEveryPath(film, message -> message.contains("its video timestamps go back from 1.96 s to 0.00 s"));
        // frames a little out of order (within the tolerance) are not a broken timeline
        assertEquals(30, decoder.decode(TestMediaWriter.format("matroska").seconds(6).video(AV_CODEC_ID_MPEG4, 320, 240, 25)
                .write("time-in-order.mkv")).videoTrack().orElseThrow().frames().size());
    }

    /** {@code file} is CORRUPT decoded in parts, in one pass and streamed, each with a message {@code namesIt} accepts. */
    private void assertCorruptOnEveryPath(Path file, Predicate<String> namesIt) {
        String name = file.getFileName().toString();
        for (boolean inParts : new boolean[]{true, false}) {
            FfmpegMediaDecoder d = new FfmpegMediaDecoder(TestMediaConfig.defaults().withParallelDecoding(inParts));
            MediaException e = BadInputTest.assertKind(MediaException.Kind.CORRUPT, name, () -> d.decode(file));
            assertTrue(namesIt.test(e.getMessage()), (inParts ? "in parts: " : "in one pass: ") + e.getMessage());
        }
        MediaException streamed = BadInputTest.assertKind(MediaException.Kind.CORRUPT, name,
                () -> decoder.stream(file, new StreamingTest.CountingSink(Double.MAX_VALUE)));
        assertTrue(namesIt.test(streamed.getMessage()), "streamed: " + streamed.getMessage());
    }

    /** A spent budget stops decoding with LIMIT_EXCEEDED on both paths, and no decoding thread runs on. */
    @Test
    void aSpentTimeBudgetStopsEveryDecodingThread() throws Exception {
        Path film = TestMediaWriter.format("mp4").video(AV_CODEC_ID_MPEG4, 320, 240, 25)
                .audio(org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_AAC, 44100, 1).seconds(8).write("budget-film.mp4");
        Path longFilm = TestMediaWriter.format("mp4").video(AV_CODEC_ID_MPEG4, 640, 480, 25).seconds(60)
                .write("budget-long-film.mp4");
        for (Path file : new Path[]{film, longFilm}) {
            MediaException spent = assertThrows(MediaException.class, () -> decoder.decode(file, null,
                    DecodeListener.NONE, new DecodeBounds(Double.POSITIVE_INFINITY, TimeBudget.start(Duration.ZERO, 0))));
            assertEquals(MediaException.Kind.LIMIT_EXCEEDED, spent.kind());
            assertTrue(spent.getMessage().contains("time budget"), spent.getMessage());
            assertNoThreadDecoding();
        }
        // Mid-way: 60 s of 640x480 video cannot decode in 150 ms, so the budget runs out part way through. A starved
        // object may run on to 4 times its budget (0.6 s), in which the whole film decoded on an idle core; with a cap
        // of 1 the budget stops it where it is spent, which is what this checks.
        AtomicLong frames = new AtomicLong();
        MediaException midway = assertThrows(MediaException.class, () -> decoder.stream(longFilm, new MediaSink() {
            @Override
            public boolean audio(AudioTrack chunk) {
                return true;
            }

            @Override
            public boolean frame(VideoFrame frame) {
                frames.incrementAndGet();
                return true;
            }
        }, TimeBudget.start(Duration.ofMillis(150), 0, 1)));
        assertEquals(MediaException.Kind.LIMIT_EXCEEDED, midway.kind());
        assertTrue(frames.get() < 300, "stopped before the end: " + frames.get() + " of 300 sampled frames");
        assertNoThreadDecoding();
    }

    /**
     * A decoding thread kept waiting (a sink that sleeps per chunk: wall-clock time without CPU time, as on a machine
     * loaded far beyond its cores) runs past its budget to the cap and stops as starved, a transient failure; the same
     * file with a sink that computes per chunk (CPU time) stops as limit_exceeded for good. Both paths: the stream and
     * a film decoded in parts, whose frames come from its side threads. Before, both were limit_exceeded alike.
     */
    @Test
    void aWaitingDecoderIsStarvedAndAComputingOneIsOverItsBudget() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(CpuAccount.MEASURED, "this JVM measures no thread CPU time");
        Path audio = TestMediaWriter.format("wav").audio(AV_CODEC_ID_PCM_S16LE, 16000, 1).seconds(120).write("starved-audio.wav");
        Path film = TestMediaWriter.format("mp4").video(AV_CODEC_ID_MPEG4, 320, 240, 25)
                .audio(org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_AAC, 44100, 1).seconds(30).write("starved-film.mp4");
        decoder.probe(audio);
        decoder.decode(film); // FFmpeg's libraries loaded and the decoding path run once: none of that is the object's
        java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
        AtomicLong chunks = new AtomicLong();
        for (boolean computing : new boolean[]{false, true}) {
            String what = computing ? "a sink computing 50 ms per chunk" : "a sink waiting 50 ms per chunk";
            Runnable perChunk = () -> {
                chunks.incrementAndGet();
                if (computing) TimeBudgetVerdictTest.spinCpu(mx, 50_000_000L);
                else sleep(50);
            };
            // 0.5 s allowed; the waiting sink stops at 3 x 0.5 s, the computing one once 0.5 s of CPU is used (its cap
            // of 1000 x is never reached, however loaded the machine)
            TimeBudget budget = TimeBudget.start(Duration.ofMillis(500), 0, computing ? 1000 : 3);
            chunks.set(0);
            MediaException streamed = assertThrows(MediaException.class, () -> decoder.stream(audio, new MediaSink() {
                @Override
                public boolean audio(AudioTrack chunk) {
                    perChunk.run();
                    return true;
                }

                @Override
                public boolean frame(VideoFrame frame) {
                    return true;
                }
            }, budget), what);
            assertEquals(MediaException.Kind.LIMIT_EXCEEDED, streamed.kind(), what);
            assertEquals(!computing, streamed instanceof TimeBudget.Starved, what + ": " + streamed.getMessage());
            assertTrue(streamed.getMessage().contains(computing ? "time budget was exceeded" : "too busy"), streamed.getMessage());
            assertTrue(chunks.get() < 120, what + ": stopped before the end, after " + chunks.get() + " chunks");
            assertNoThreadDecoding();

            TimeBudget filmBudget = TimeBudget.start(Duration.ofMillis(500), 0, computing ? 1000 : 3);
            MediaException decoded = assertThrows(MediaException.class, () -> decoder.decode(film, null, new DecodeListener() {
                @Override
                public void frame(int part, VideoFrame frame) {
                    perChunk.run();
                }
            }, new DecodeBounds(Double.POSITIVE_INFINITY, filmBudget)), what);
            assertEquals(!computing, decoded instanceof TimeBudget.Starved, what + ", film: " + decoded.getMessage());
            assertNoThreadDecoding();
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static void assertNoThreadDecoding() {
        assertEquals(java.util.List.of(), HostileMedia.threadsStillDecoding(), "no thread decodes on after the answer");
    }

    @Test
    void theBudgetGrowsWithTheMediaDecoded() {
        TimeBudget b = TimeBudget.start(Duration.ofSeconds(10), 0.5);
        assertEquals(10, b.allowedSeconds(), 1e-9);
        b.audioDecoded(60);
        assertEquals(40, b.allowedSeconds(), 1e-9);
        b.audioDecoded(20); // audio behind what was decoded does not shrink it
        assertEquals(40, b.allowedSeconds(), 1e-9);
        for (int i = 0; i < 25 * 100; i++) b.frameDecoded(25); // 100 s of 25 fps video, whichever thread decoded it
        assertEquals(60, b.allowedSeconds(), 1e-6);
        TimeBudget slides = TimeBudget.start(Duration.ZERO, 1), claims = TimeBudget.start(Duration.ZERO, 1);
        slides.frameDecoded(0.001); // a header's frame rate of one frame in 1000 s buys 0.2 s per frame
        claims.frameDecoded(1e6);   // and a million fps still counts each frame
        assertEquals(0.2, slides.allowedSeconds(), 1e-9);
        assertEquals(1 / 60.0, claims.allowedSeconds(), 1e-6);
        assertThrows(IllegalArgumentException.class, () -> TimeBudget.start(Duration.ofSeconds(-1), 0.5));
        assertThrows(IllegalArgumentException.class, () -> TimeBudget.start(Duration.ZERO, Double.NaN));
    }

    /**
     * The same 20 s film runs out of a small budget whether its container declares its true length or 10^12 s.
     * Before, the declared length counted: the lying copy was allowed 3,876 s and was not stopped.
     */
    @Test
    void aDeclaredLengthBuysNoTime() throws Exception {
        Path honest = TestMediaWriter.format("matroska").video(AV_CODEC_ID_MPEG4, 640, 480, 25).seconds(20)
                .write("budget-honest.mkv");
        Path lying = TestMediaWriter.DIR.resolve("budget-lying.mkv");
        java.nio.file.Files.copy(honest, lying, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        HostileMedia.lieAboutDuration(lying, 1e12);
        assertTrue(decoder.probe(lying).declaredSeconds() > 1e6, "the copy declares its lie: " + decoder.probe(lying).declaredSeconds());
        for (Path p : new Path[]{honest, lying}) {
            // wall-clock time alone (a cap of 1): what is compared is what the declared length buys
            TimeBudget budget = TimeBudget.start(Duration.ZERO, 0.001, 1);
            MediaException e = assertThrows(MediaException.class,
                    () -> decoder.stream(p, new StreamingTest.CountingSink(Double.MAX_VALUE), budget),
                    () -> p.getFileName() + ": allowed " + budget.allowedSeconds() + " s, spent " + budget.elapsedSeconds() + " s");
            assertEquals(MediaException.Kind.LIMIT_EXCEEDED, e.kind(), p.getFileName().toString());
            assertNoThreadDecoding();
        }
    }
}
