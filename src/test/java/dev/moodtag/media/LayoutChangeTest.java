package dev.moodtag.media;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Audio whose channel layout changes part-way, as TV captures and archive films have it (a 5.1 programme with stereo
 * adverts, two recordings joined): each stretch decodes as a file recorded in its layout throughout does, on every
 * path. The tone is in the centre channel of the 5.1 stretch, where dialogue is, and in every channel of the others.
 */
class LayoutChangeTest {
    private static final String TONE = "aevalsrc=0.5*sin(2*PI*440*t):s=48000:d=3";
    private static final String[] PANS = {"mono|c0=c0", "stereo|FL=c0|FR=c0", "5.1|FC=c0"};
    private static final String[] NAMES = {"mono", "stereo", "5.1"};

    @Test
    void eachStretchDecodesAsItsLayoutDoesThroughout() throws Exception {
        int[][] changes = {{2, 1}, {1, 2}, {0, 2}, {2, 0}};
        for (int[] change : changes) {
            String first = NAMES[change[0]], second = NAMES[change[1]];
            Path alone1 = film(change[0], 0, first + "-alone.ts"), alone2 = film(change[1], 0, second + "-alone.ts");
            Path ts = TestMediaWriter.DIR.resolve("layout-" + first + "-then-" + second + ".ts");
            Files.write(ts, Files.readAllBytes(alone1));
            Files.write(ts, Files.readAllBytes(film(change[1], 3, second + "-at-3.ts")), StandardOpenOption.APPEND);
            // remuxed into QuickTime, whose index of keyframes lets the film be decoded in parts (AC-3 frames carry
            // their own layout, so the change survives the remux)
            String mov = "layout-" + first + "-then-" + second + ".mov";
            TestMediaWriter.ffmpeg("-i", ts.getFileName().toString(), "-c", "copy", mov);
            Path joined = TestMediaWriter.DIR.resolve(mov);
            String what = first + " then " + second;
            double level1 = AudioLevels.rms(decode(alone1, false), 0.5, 2.5), level2 = AudioLevels.rms(decode(alone2, false), 0.5, 2.5);

            assertTrue(new FfmpegMediaDecoder(TestMediaConfig.defaults().withParallelDecoding(true)).splitSeconds(joined)
                    .isPresent(), what + ": the film is decoded in parts");
            float[] onePass = null;
            for (boolean inParts : new boolean[]{false, true}) {
                float[] samples = decode(joined, inParts);
                assertEquals(6.0, samples.length / 16_000.0, 0.15, what + ": the whole file");
                AudioLevels.assertWithinHalfDb(level1, AudioLevels.rms(samples, 0.5, 2.5), what + ", the " + first + " stretch", "the layout throughout");
                AudioLevels.assertWithinHalfDb(level2, AudioLevels.rms(samples, 3.5, 5.5), what + ", the " + second + " stretch", "the layout throughout");
                assertEquals(440, crossingsHz(samples, 3.5, 5.5), 5, what + ": the " + second + " stretch's pitch");
                if (onePass == null) onePass = samples;
                else assertArrayEquals(onePass, samples, what + ": the same samples in one pass and in parts");
            }
            StreamingTest.CountingSink streamed = new StreamingTest.CountingSink(Double.MAX_VALUE);
            new FfmpegMediaDecoder(TestMediaConfig.defaults()).stream(joined, streamed);
            assertEquals(onePass.length, streamed.samples, what + ": streamed");
        }
    }

    /** 3 s of tone in layout {@code layout}, with video, its clock starting at {@code offset} s. */
    private static Path film(int layout, int offset, String name) throws Exception {
        TestMediaWriter.ffmpeg("-f", "lavfi", "-i", "testsrc=size=160x120:rate=25:duration=3", "-f", "lavfi", "-i", TONE,
                "-af", "pan=" + PANS[layout], "-c:v", "mpeg2video", "-c:a", "ac3", "-b:a", "192k",
                "-output_ts_offset", String.valueOf(offset), name);
        return TestMediaWriter.DIR.resolve(name);
    }

    private static float[] decode(Path file, boolean inParts) {
        return new FfmpegMediaDecoder(TestMediaConfig.defaults().withParallelDecoding(inParts)).decode(file).audio().samples();
    }



    private static double crossingsHz(float[] samples, double from, double to) {
        int a = (int) (from * 16_000), b = Math.min(samples.length, (int) (to * 16_000)), crossings = 0;
        for (int i = a + 1; i < b; i++) if ((samples[i - 1] < 0) != (samples[i] < 0)) crossings++;
        return crossings / 2.0 / ((b - a) / 16_000.0);
    }
}
