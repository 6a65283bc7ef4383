package dev.moodtag.encode;

import dev.moodtag.media.FfmpegMediaDecoder;
import dev.moodtag.media.MediaException;
import dev.moodtag.media.Modality;
import dev.moodtag.media.TestMediaConfig;
import dev.moodtag.media.VideoFrame;
import dev.moodtag.testing.Fixtures;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import static org.bytedeco.ffmpeg.global.avutil.av_get_pix_fmt_name;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Pictures of every kind of small size, in every pixel layout still images come in, through the whole pipeline
 * (FFmpeg decoding, conversion to RGB, face detection, crop, expression net) in one JVM. swscale used to write past
 * the end of the RGB buffer for some widths, and the JVM aborted a little later in free() (issue 16: 61×80 4:2:0
 * JPEG): with that bug this test does not fail, it kills the test JVM.
 *
 * <p>Grid: each of {@link #SIDES} (1 to 256: 1, 2 and 3, primes, odd, a power of two and its neighbours, the sizes
 * of the report) as width crossed with each as height, which includes 1×N and N×1, plus the reported sizes not on
 * it; each in all eight layouts of {@link TestPictures}: 8 × (14² + 2) = 1584 files (about 150 s on two busy cores).
 */
class PictureSizeGridTest {

    static final int[] SIDES = {1, 2, 3, 7, 16, 17, 31, 61, 64, 80, 92, 127, 187, 256};
    static final int[][] REPORTED = {{61, 80}, {92, 112}, {80, 80}, {184, 186}, {187, 191}};

    static EmbeddingEngine engine;
    static FfmpegMediaDecoder decoder;
    static BufferedImage photo;

    @TempDir
    Path dir;

    @BeforeAll
    static void build() throws Exception {
        engine = new EmbeddingEngine(Fixtures.defaultPack(), Fixtures.onnxCpu(), EncoderKinds.BUILT_IN, true);
        decoder = new FfmpegMediaDecoder(TestMediaConfig.defaults());
        // A face, so that at the larger sizes the detector finds one and the crop path runs too.
        photo = ImageIO.read(Fixtures.sample("Cole_Chapman_0001.jpg").toFile());
    }

    @AfterAll
    static void close() {
        if (engine != null) engine.close();
    }

    static List<int[]> sizes() {
        Set<List<Integer>> sizes = new LinkedHashSet<>();
        for (int w : SIDES) for (int h : SIDES) sizes.add(List.of(w, h));
        for (int[] s : REPORTED) sizes.add(List.of(s[0], s[1]));
        return sizes.stream().map(s -> new int[]{s.get(0), s.get(1)}).toList();
    }

    @Test
    void everySizeInEveryLayoutGivesAResultOrATypedError() throws Exception {
        List<String> failures = new ArrayList<>();
        int results = 0, typedErrors = 0, faces = 0;
        for (int[] size : sizes()) {
            for (TestPictures layout : TestPictures.values()) {
                Path file = layout.write(photo, size[0], size[1], dir);
                String what = layout + " " + size[0] + "x" + size[1];
                try {
                    EmbeddingEngine.Decoded d = engine.decodeAndEmbed(decoder, file, null);
                    VideoFrame frame = d.utterance().videoTrack().orElseThrow().frames().get(0);
                    if (frame.width() != size[0] || frame.height() != size[1])
                        failures.add(what + ": decoded as " + frame.width() + "x" + frame.height());
                    EncoderResult video = d.embeddings().results().stream()
                            .filter(r -> r.modality() == Modality.VIDEO).findFirst().orElseThrow();
                    if (video.vector() != null) faces++;
                    else if (video.missingReason() == null || video.missingReason().isBlank())
                        failures.add(what + ": no video vector and no reason");
                    results++;
                } catch (MediaException e) {
                    typedErrors++;
                } catch (RuntimeException e) {
                    failures.add(what + ": " + e);
                } finally {
                    Files.delete(file);
                }
            }
        }
        System.out.printf("picture grid: %d results (%d with a face), %d typed errors, %d failures%n",
                results, faces, typedErrors, failures.size());
        assertTrue(failures.isEmpty(), failures.size() + " failures, first: " + failures.subList(0, Math.min(20, failures.size())));
        assertEquals(sizes().size() * TestPictures.values().length, results + typedErrors);
        assertTrue(faces > 0, "the crop path never ran: no face found at any size");
    }

    /** The generated files are what they claim to be: FFmpeg decodes each layout to the pixel format named. */
    @Test
    void eachLayoutDecodesToItsPixelFormat() throws Exception {
        for (TestPictures layout : TestPictures.values()) {
            Path file = layout.write(photo, 61, 80, dir);
            try (FFmpegFrameGrabber grabber = new FFmpegFrameGrabber(file.toFile())) {
                grabber.start();
                int decoded = grabber.getFormatContext().streams(0).codecpar().format();
                assertEquals(layout.ffmpegPixelFormat, av_get_pix_fmt_name(decoded).getString(), layout.name());
                assertEquals(61, grabber.getImageWidth());
                assertEquals(80, grabber.getImageHeight());
                grabber.stop();
            }
        }
    }
}
