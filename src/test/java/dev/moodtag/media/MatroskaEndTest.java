package dev.moodtag.media;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The length {@link MatroskaEnd} reads from a Matroska or WebM file's clusters, against what the file holds: files
 * written by the ffmpeg here, their Duration element made to declare 1 ms so that only the clusters tell.
 */
class MatroskaEndTest {

    private final FfmpegMediaDecoder decoder = new FfmpegMediaDecoder(TestMediaConfig.defaults());

    /**
     * The clusters end where the last block ends, not where it starts: its duration is its BlockGroup's BlockDuration
     * (Opus's trimmed last packet), else its track's DefaultDuration (video at a known frame rate), else the time to it
     * nothing where the track declares neither (PCM and AAC: up to a block short, never long), less its track's
     * CodecDelay (Opus's and AAC's priming). Before, a 20 s film at 1 fps was read as 19 s long, at 0.5 fps as 18 s:
     * a frame short. Checked over frame rates and lengths, against the film's frames and
     * against the audio's decoded samples, and what a stream is told it holds.
     */
    @Test
    void theClustersEndWhereTheirLastBlockEnds() throws Exception {
        List<String> wrong = new ArrayList<>();
        for (double seconds : new double[]{3.3, 20, 61}) {
            for (String[] video : new String[][]{{"mpeg4", "mkv", "1"}, {"mpeg4", "mkv", "0.5"}, {"libvpx", "webm", "2"},
                    {"libvpx", "webm", "25"}}) {
                double fps = Double.parseDouble(video[2]);
                String name = String.format(Locale.ROOT, "end-%s-%sfps-%.1fs.%s", video[0], video[2], seconds, video[1]);
                TestMediaWriter.ffmpeg("-f", "lavfi", "-i", String.format(Locale.ROOT,
                        "testsrc=size=160x120:rate=%s:duration=%s", video[2], seconds), "-c:v", video[0], name);
                // the frames' times are whole multiples of 1/fps from 0: the film lasts to the end of its last one
                double expected = Math.ceil(seconds * fps - 1e-9) / fps;
                check(name, expected, 0.001, 0.001, wrong);
            }
            for (String[] audio : new String[][]{{"libopus", "webm", "48000", "0.003", "0.003"},
                    {"pcm_s16le", "mka", "16000", "0.064", "0.001"}, {"aac", "mka", "44100", "0.025", "0.001"}}) {
                String name = String.format(Locale.ROOT, "end-%s-%.1fs.%s", audio[0], seconds, audio[1]);
                TestMediaWriter.ffmpeg("-f", "lavfi", "-i", String.format(Locale.ROOT,
                        "sine=f=440:duration=%s:sample_rate=%s", seconds, audio[2]), "-c:a", audio[0], name);
                // up to a block short where the track declares no block's length (PCM, AAC); Opus's times are whole ms
                double decoded = decoder.decode(TestMediaWriter.DIR.resolve(name)).audio().durationSeconds();
                check(name, decoded, Double.parseDouble(audio[3]), Double.parseDouble(audio[4]), wrong);
            }
        }
        assertTrue(wrong.isEmpty(), String.join("\n", wrong));
    }

    /**
     * A subtitle's duration is no part of the recording's length: a 10 s film whose last subtitle cue starts at 9.7 s
     * and lasts to 20 s (in the last cluster, a BlockGroup with its BlockDuration) lasts 10 s, where reading every
     * block to its end read it as 20 s, the length a limit for one utterance is held against. Its start counts.
     */
    @Test
    void aSubtitleLastingPastTheFilmDoesNotLengthenIt() throws Exception {
        Files.writeString(TestMediaWriter.DIR.resolve("long-cue.srt"),
                "1\n00:00:01,000 --> 00:00:02,000\nhello\n\n2\n00:00:09,700 --> 00:00:20,000\nlong cue\n");
        TestMediaWriter.ffmpeg("-f", "lavfi", "-i", "testsrc=size=160x120:rate=25:duration=10", "-i", "long-cue.srt",
                "-c:v", "mpeg4", "-c:s", "srt", "long-cue.mkv");
        List<String> wrong = new ArrayList<>();
        check("long-cue.mkv", 10, 0.001, 0.001, wrong);
        assertTrue(wrong.isEmpty(), String.join("\n", wrong));
    }

    /**
     * A long audio-only WebM with small clusters (a browser's MediaRecorder writes one every second or so): an hour of
     * 12 kb/s Opus in 1 s clusters of about 1.8 kB, its Cues last, and ten minutes of it, sized as written, declaring
     * 1 ms, and with clusters of unknown size (a live writer's). Opening read the whole file to find the last cluster
     * (6.6 MB for the hour); the bytes read through the walk's own reader are counted, and must not grow with the
     * file: a few windows whatever its length, with the same length found.
     */
    @Test
    void aLongWebmOfSmallClustersIsNotReadWholeAtOpen() throws Exception {
        List<String> wrong = new ArrayList<>();
        for (int copies : new int[]{60, 360}) {
            Path sized = smallClusters(copies);
            String name = sized.getFileName().toString();
            Path lying = Files.copy(sized, TestMediaWriter.DIR.resolve("declares-1ms-" + name), StandardCopyOption.REPLACE_EXISTING);
            HostileMedia.lieAboutDuration(lying, 0.001);
            Path unsized = HostileMedia.unsizeClusters(sized, TestMediaWriter.DIR.resolve("unsized-" + name));
            for (Path file : new Path[]{sized, lying, unsized}) {
                MatroskaEnd.Reading reading = MatroskaEnd.read(file, TimeBudget.UNLIMITED);
                String what = String.format(Locale.ROOT, "%s (%,d bytes): read %,d bytes, walked to %.3f s", file.getFileName(),
                        Files.size(file), reading.bytesRead(), reading.micros() / 1e6);
                System.out.println(what);
                // each 10 s part lasts 10.008 s in Opus, its priming included, and the last part ends at its last block
                double walked = reading.micros() / 1e6;
                if (walked < copies * 10 || walked > copies * 10.01) wrong.add(what + " of " + copies * 10 + "-" + copies * 10.01 + " s");
                if (reading.bytesRead() > MAX_BYTES_AT_OPEN) wrong.add(what + ", over " + MAX_BYTES_AT_OPEN);
            }
        }
        assertTrue(wrong.isEmpty(), String.join("\n", wrong));
    }

    /**
     * What the tail cannot settle, read as before: clusters appended after the Cues (a recorder that went on after
     * writing them, its Segment of unknown size) are walked from the Cues on; an hour cut anywhere, or with bytes
     * overwritten, is read without a throw within a few windows and to where it was cut; clusters of 3-8 MB, larger
     * than the tail, are walked from the first as far as {@link MatroskaEnd#MAX_WALK_BYTES} allow.
     */
    @Test
    void whatTheTailCannotSettleIsWalked() throws Exception {
        byte[] hour = Files.readAllBytes(smallClusters(360));
        int cues = lastIndexOf(hour, CUES, hour.length), lastCluster = lastIndexOf(hour, CLUSTER, cues);
        // the last cluster again after the Cues, 100 s later, and the Segment's size made unknown to hold it
        byte[] appended = Arrays.copyOfRange(hour, lastCluster, cues);
        int timecode = 4 + (Integer.numberOfLeadingZeros(appended[4] & 0xff) - 23);
        int timecodeBytes = appended[timecode + 1] & 0x7f;
        long later = 0;
        for (int k = 0; k < timecodeBytes; k++) later = later << 8 | (appended[timecode + 2 + k] & 0xff);
        later += 100_000;
        for (int k = timecodeBytes - 1; k >= 0; k--, later >>= 8) appended[timecode + 2 + k] = (byte) later;
        byte[] grown = Arrays.copyOf(hour, hour.length + appended.length);
        System.arraycopy(appended, 0, grown, hour.length, appended.length);
        int segment = indexOf(grown, SEGMENT), sizeBytes = Integer.numberOfLeadingZeros(grown[segment + 4] & 0xff) - 23;
        for (int k = 0; k < sizeBytes; k++) grown[segment + 4 + k] = (byte) (k == 0 ? 0xff >> (sizeBytes - 1) : 0xff);
        Path after = Files.write(TestMediaWriter.DIR.resolve("clusters-after-the-cues.webm"), grown);
        MatroskaEnd.Reading reading = MatroskaEnd.read(after, TimeBudget.UNLIMITED);
        assertTrue(Math.abs(reading.micros() / 1e6 - 3702.88) < 0.01, "walked to " + reading.micros() / 1e6 + " s");
        assertTrue(reading.bytesRead() <= MAX_BYTES_AT_OPEN, "read " + reading.bytesRead());

        java.util.Random random = new java.util.Random(20261206);
        Path variant = TestMediaWriter.DIR.resolve("small-clusters-variant.webm");
        List<String> wrong = new ArrayList<>();
        for (int k = 0; k < 200; k++) {
            int cut = k % 2 == 0 ? 1 + random.nextInt(hour.length - 1) : hour.length;
            byte[] b = Arrays.copyOf(hour, cut);
            if (k % 2 == 1) for (int n = 0; n < 8; n++) b[random.nextInt(b.length)] = (byte) random.nextInt(256);
            Files.write(variant, b);
            MatroskaEnd.Reading r = MatroskaEnd.read(variant, TimeBudget.UNLIMITED);
            String what = (k % 2 == 0 ? "cut at " + cut : "overwritten") + ": walked to " + r.micros() / 1e6 + " s, read " + r.bytesRead();
            if (r.bytesRead() > MAX_BYTES_AT_OPEN) wrong.add(what);
            // the clusters' times grow with their place in the file (a constant bit rate): where it was cut, within 60 s
            double expected = 3602.9 * Math.min(1, cut / (double) cues);
            if (k % 2 == 0 && cut > 64 << 10 && Math.abs(r.micros() / 1e6 - expected) > 60) wrong.add(what + " of about " + expected);
        }
        assertTrue(wrong.isEmpty(), String.join("\n", wrong));

        TestMediaWriter.ffmpeg("-f", "lavfi", "-i", "testsrc=size=320x240:rate=25:duration=30", "-vf", "noise=alls=60:allf=t",
                "-c:v", "mpeg4", "-q:v", "2", "-g", "250", "-cluster_size_limit", "8000000", "-cluster_time_limit", "20000",
                "large-clusters.mkv");
        Path large = TestMediaWriter.DIR.resolve("large-clusters.mkv");
        HostileMedia.lieAboutDuration(large, 1);
        MatroskaEnd.Reading big = MatroskaEnd.read(large, TimeBudget.UNLIMITED);
        System.out.printf(Locale.ROOT, "large clusters (%,d bytes): read %,d bytes, walked to %.3f s%n", Files.size(large),
                big.bytesRead(), big.micros() / 1e6);
        assertTrue(Math.abs(big.micros() / 1e6 - 30) < 0.001, "walked to " + big.micros() / 1e6 + " s");
        assertTrue(big.bytesRead() < Files.size(large) / 8, "read " + big.bytesRead() + " of " + Files.size(large));
    }

    /**
     * The probe, which chooses a timeline or one utterance for a recording before its budget starts, reports the
     * length the clusters hold where it is longer than the Duration element's, as opening for decoding does: a 40 s film
     * without sound declaring 10 s, a live writer's 40 s WebM declaring none, sized and not, and an hour of Opus
     * declaring 1 ms. Before, the probe read the Duration alone (10 s, 0 s, 0.001 s): a recording over the 30 s of
     * segment-above was sent to be one utterance, opened and walked, refused, and opened and walked again for its
     * timeline. A Duration longer than the clusters still stands (decoding finds the rest).
     */
    @Test
    void theProbeReportsTheLengthTheClustersHold() throws Exception {
        TestMediaWriter.ffmpeg("-f", "lavfi", "-i", "testsrc=size=160x120:rate=25:duration=40", "-c:v", "mpeg4", "-g", "25",
                "probe-40s.mkv");
        Path short10 = Files.copy(TestMediaWriter.DIR.resolve("probe-40s.mkv"), TestMediaWriter.DIR.resolve("probe-40s-declares-10s.mkv"),
                StandardCopyOption.REPLACE_EXISTING);
        HostileMedia.lieAboutDuration(short10, 10_000);
        Path long600 = Files.copy(TestMediaWriter.DIR.resolve("probe-40s.mkv"), TestMediaWriter.DIR.resolve("probe-40s-declares-600s.mkv"),
                StandardCopyOption.REPLACE_EXISTING);
        HostileMedia.lieAboutDuration(long600, 600_000);
        TestMediaWriter.ffmpeg("-f", "lavfi", "-i", "testsrc=size=160x120:rate=25:duration=40", "-c:v", "libvpx", "-g", "25",
                "-live", "1", "-f", "webm", "probe-40s-live.webm");
        Path live = TestMediaWriter.DIR.resolve("probe-40s-live.webm");
        Path unsized = HostileMedia.unsizeClusters(live, TestMediaWriter.DIR.resolve("probe-40s-live-unsized.webm"));
        Path hour = Files.copy(smallClusters(360), TestMediaWriter.DIR.resolve("probe-hour-declares-1ms.webm"),
                StandardCopyOption.REPLACE_EXISTING);
        HostileMedia.lieAboutDuration(hour, 0.001);
        List<String> wrong = new ArrayList<>();
        Object[][] cases = {{short10, 10.0, 40.0}, {live, 0.0, 40.0}, {unsized, 0.0, 40.0}, {hour, 0.001, 3602.88},
                {long600, 600.0, 600.0}};
        for (Object[] c : cases) {
            Path file = (Path) c[0];
            double declared = HostileMedia.declaredSeconds(file), probed = decoder.probe(file).declaredSeconds();
            if (Math.abs(declared - (double) c[1]) > 0.01) wrong.add(file.getFileName() + ": the lie did not take effect: " + declared);
            if (Math.abs(probed - (double) c[2]) > 0.01) wrong.add(file.getFileName() + ": probed as " + probed + " s of " + c[2]);
        }
        assertTrue(wrong.isEmpty(), String.join("\n", wrong));
    }

    /** {@code copies} × 10 s of 12 kb/s Opus in WebM, in clusters of 1 s (about 1.8 kB), its Cues last. */
    private static Path smallClusters(int copies) throws Exception {
        Path part = TestMediaWriter.DIR.resolve("small-clusters-10s.webm");
        if (!Files.exists(part)) TestMediaWriter.ffmpeg("-f", "lavfi", "-i", "sine=f=440:duration=10:sample_rate=48000",
                "-c:a", "libopus", "-b:a", "12k", part.getFileName().toString());
        Path list = Files.writeString(TestMediaWriter.DIR.resolve("small-clusters-" + copies + ".txt"),
                ("file '" + part.getFileName() + "'\n").repeat(copies));
        String name = "small-clusters-" + copies * 10 + "s.webm";
        TestMediaWriter.ffmpeg("-f", "concat", "-safe", "0", "-i", list.getFileName().toString(), "-c", "copy",
                "-cluster_time_limit", "1000", name);
        return TestMediaWriter.DIR.resolve(name);
    }

    private static final byte[] SEGMENT = {0x18, 0x53, (byte) 0x80, 0x67}, CLUSTER = {0x1F, 0x43, (byte) 0xB6, 0x75},
            CUES = {0x1C, 0x53, (byte) 0xBB, 0x6B};

    private static int indexOf(byte[] b, byte[] id) {
        for (int i = 0; i + id.length <= b.length; i++) if (Arrays.equals(b, i, i + id.length, id, 0, id.length)) return i;
        return -1;
    }

    private static int lastIndexOf(byte[] b, byte[] id, int before) {
        for (int i = before - id.length; i >= 0; i--) if (Arrays.equals(b, i, i + id.length, id, 0, id.length)) return i;
        return -1;
    }

    /**
     * A tail of 1 MB of empty clusters (a Cluster ID and a size of 0, 5 bytes each) that never lands on the end of the
     * clusters (a stray byte there): each of its 200,000 Cluster IDs starts a walk over the rest, about 2 * 10^10
     * elements in all, and the probe has no budget to stop it. Refused (no length read) within a minute.
     */
    @Test
    void aTailOfEmptyClustersThatNeverLandsIsGivenUpOn() throws Exception {
        byte[] head = Files.readAllBytes(TestMediaWriter.DIR.resolve(fourSecondFilm()));
        int cues = lastIndexOf(head, CUES, head.length);
        byte[] hostile = Arrays.copyOf(head, cues + 200_000 * 5 + 1);
        for (int i = cues; i + 5 <= cues + 200_000 * 5; i += 5) {
            System.arraycopy(CLUSTER, 0, hostile, i, 4);
            hostile[i + 4] = (byte) 0x80;
        }
        hostile[hostile.length - 1] = 0x01;
        int segment = indexOf(hostile, SEGMENT), sizeBytes = Integer.numberOfLeadingZeros(hostile[segment + 4] & 0xff) - 23;
        for (int k = 0; k < sizeBytes; k++) hostile[segment + 4 + k] = (byte) (k == 0 ? 0xff >> (sizeBytes - 1) : 0xff);
        Path file = Files.write(TestMediaWriter.DIR.resolve("empty-clusters-tail.mkv"), hostile);
        MatroskaEnd.Reading reading = org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(
                java.time.Duration.ofSeconds(60), () -> MatroskaEnd.read(file, TimeBudget.UNLIMITED));
        assertTrue(reading.bytesRead() <= MAX_BYTES_AT_OPEN + MatroskaEnd.MAX_WALK_BYTES * 2, "read " + reading.bytesRead());
    }

    /** A small Matroska film with its Cues last, written once. */
    private static String fourSecondFilm() throws Exception {
        TestMediaWriter.ffmpeg("-f", "lavfi", "-i", "testsrc=size=160x120:rate=25:duration=4", "-c:v", "mpeg4",
                "four-seconds.mkv");
        return "four-seconds.mkv";
    }

    /** What opening a Matroska file may read to find its last cluster, whatever its length: a few 64 kB windows. */
    private static final long MAX_BYTES_AT_OPEN = 6L * FileWindow.SIZE;

    /**
     * Adds to {@code wrong} where the clusters of {@code name}, made to declare 1 ms, are not read as {@code expected} s,
     * within {@code under} below and {@code over} above.
     */
    private void check(String name, double expected, double under, double over, List<String> wrong) throws Exception {
        Path film = Files.copy(TestMediaWriter.DIR.resolve(name), TestMediaWriter.DIR.resolve("declares-1ms-" + name),
                StandardCopyOption.REPLACE_EXISTING);
        HostileMedia.lieAboutDuration(film, 0.001);
        double walked = MatroskaEnd.micros(film, TimeBudget.UNLIMITED) / 1e6;
        if (walked < expected - under || walked > expected + over) wrong.add(name + ": walked to " + walked + " s of " + expected + " s");
        ProbeSink streamed = new ProbeSink();
        decoder.stream(film, streamed);
        double told = streamed.info().declaredSeconds();
        if (told < expected - under || told > expected + over) wrong.add(name + ": streamed as " + told + " s of " + expected + " s");
    }
}
