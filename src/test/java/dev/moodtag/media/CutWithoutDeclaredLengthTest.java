package dev.moodtag.media;

import dev.moodtag.media.ArchiveFormatsTest.Case;
import dev.moodtag.media.ArchiveFormatsTest.Declares;
import dev.moodtag.media.MediaException.Kind;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Files cut short in the containers that declare no length (MPEG-TS and M2TS, MPEG-PS, MXF, DV, AMR), written whole by
 * the ffmpeg here: cut at a grid of points inside their last unit (a transport packet, a pack's PES packet, a KLV of
 * MXF's footer or anything before it, a DV frame, an AMR frame), each is refused as truncated before decoding, where
 * before each decoded quietly as the shorter recording it held (or was corrupt). Whole, each is still accepted.
 */
class CutWithoutDeclaredLengthTest {
    private static final Path DIR = TestMediaWriter.DIR.resolve("cut-undeclared");
    private final FfmpegMediaDecoder decoder = new FfmpegMediaDecoder(TestMediaConfig.defaults().withMaxFrameSide(160));

    @BeforeAll
    static void folder() throws Exception {
        Files.createDirectories(DIR);
    }

    static Stream<Case> cases() {
        // MXF declares where its footer is, not how long the file is: its cuts are walked here too
        return ArchiveFormatsTest.cases().filter(c -> c.declares() == Declares.NOTHING || c.declares() == Declares.MXF);
    }

    /** The unit a writer closes whole, in bytes, and where the units start; 0 where they are not of one size. */
    private static int[] unit(Case c) {
        return switch (c.extension()) {
            case "ts" -> new int[]{188, 0};
            case "mts", "m2ts" -> new int[]{192, 0};
            case "dv" -> new int[]{144_000, 0};
            case "amr" -> new int[]{32, 6}; // 12.2 kbit/s frames after "#!AMR\n"
            case "mpg", "mpeg", "vob" -> new int[]{2048, 0}; // packs; cut 20 to 2,000 bytes in, inside a PES packet
            default -> new int[]{0, 0};
        };
    }

    /** Cut points inside a unit: about 40 units, at 1, a third, and all but one byte of each (a pack: 20 to 2,000). */
    static List<Integer> cutPoints(Case c, int length) {
        int[] unit = unit(c);
        List<Integer> points = new ArrayList<>();
        if (unit[0] == 0) {
            // MXF: spread over the file, and inside the footer's last KLVs (the random index pack ends the file)
            for (int i = 1; i < 50; i++) points.add(length * i / 50 + 7);
            for (int back : new int[]{1, 4, 10, 100, 1000}) points.add(length - back);
            return points;
        }
        int units = (length - unit[1]) / unit[0];
        int step = Math.max(1, units / 40);
        // From the third transport packet: a file of less than two is too short to tell, and FFmpeg finds it corrupt
        for (int k = unit[0] == 188 || unit[0] == 192 ? 2 : 1; k < units; k += step) {
            int start = unit[1] + k * unit[0];
            for (int into : unit[0] == 2048 ? new int[]{20, 100, 1000, 2000} : new int[]{1, unit[0] / 3, unit[0] - 1})
                points.add(start + into);
        }
        return points;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void cutInsideItsLastUnitIsTruncatedAtOnce(Case c) throws Exception {
        byte[] whole = Files.readAllBytes(c.write());
        List<Integer> points = cutPoints(c, whole.length);
        assertTrue(points.size() >= 40, c + ": " + points.size() + " cut points");
        List<String> missed = new ArrayList<>();
        for (int bytes : points) {
            Path cut = Files.write(DIR.resolve("cut-" + c.file()), Arrays.copyOf(whole, bytes));
            try {
                Utterance u = assertTimeoutPreemptively(Duration.ofSeconds(60), () -> decoder.decode(cut));
                missed.add(bytes + " (decoded " + u.audioTrack().map(AudioTrack::durationSeconds).orElse(0.0) + " s)");
            } catch (MediaException e) {
                if (e.kind() != Kind.TRUNCATED) missed.add(bytes + " (" + e.kind() + ": " + e.getMessage() + ")");
            }
        }
        assertEquals(List.of(), missed, c + " cut at " + points.size() + " points of " + whole.length + " bytes");
    }

    /**
     * Whole files are accepted however they start or end: a transport stream whose first packet is damaged or that
     * starts in the middle of a packet, a program stream closed with its end code, and the whole file as written.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void wholeFilesAreAccepted(Case c) throws Exception {
        byte[] whole = Files.readAllBytes(c.write());
        List<byte[]> forms = new ArrayList<>(List.of(whole));
        if (unit(c)[0] == 188 || unit(c)[0] == 192) {
            byte[] damaged = whole.clone();
            Arrays.fill(damaged, 0, unit(c)[0], (byte) 0);
            forms.add(damaged);
            forms.add(Arrays.copyOfRange(whole, 100, whole.length));
        }
        if (unit(c)[0] == 2048) {
            byte[] ended = Arrays.copyOf(whole, whole.length + 4);
            System.arraycopy(HexFormat.of().parseHex("000001B9"), 0, ended, whole.length, 4);
            forms.add(ended);
        }
        for (byte[] form : forms) {
            Path file = Files.write(DIR.resolve("whole-" + c.file()), form);
            AudioTrack audio = decoder.decode(file).audioTrack().orElseThrow();
            assertEquals(ArchiveFormatsTest.SECONDS, audio.durationSeconds(), 0.15, c + " of " + form.length + " bytes");
        }
    }

    /** MXF whose header's footer offset lies past the end: cut before its footer, said so with the offset. */
    @Test
    void mxfCutBeforeItsFooterSaysWhatTheHeaderDeclares() throws Exception {
        Case mxf = cases().filter(c -> c.extension().equals("mxf")).findFirst().orElseThrow();
        byte[] whole = Files.readAllBytes(mxf.write());
        Path cut = Files.write(DIR.resolve("half-" + mxf.file()), Arrays.copyOf(whole, whole.length / 2));
        MediaException e = assertThrows(MediaException.class, () -> decoder.decode(cut));
        assertEquals(Kind.TRUNCATED, e.kind(), e.getMessage());
        assertTrue(e.getMessage().contains("declares") && e.getMessage().contains("has only " + whole.length / 2),
                e.getMessage());
    }
}
