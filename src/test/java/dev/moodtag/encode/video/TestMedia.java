package dev.moodtag.encode.video;

import dev.moodtag.encode.EncoderContext;
import dev.moodtag.media.Utterance;
import dev.moodtag.media.VideoFrame;
import dev.moodtag.media.VideoTrack;
import dev.moodtag.pack.EncoderSpec;
import dev.moodtag.pack.ModelPackLoader;
import dev.moodtag.testing.Fixtures;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;

/**
 * Test-only media helpers: jpgs through javax.imageio and a few RGB24 frames through JavaCV, so the encoder tests
 * do not depend on the product's decoder; plus the pack specs of the test manifests.
 */
final class TestMedia {
    private TestMedia() {
    }

    static final Path VIDEO_PACK = Path.of("src", "test", "resources", "packs", "video.json");
    static final Path VIDEOMAE_PACK = Path.of("src", "test", "resources", "packs", "videomae-placeholder.json");
    static final String ULTRAFACE = "video-face-expression";
    static final String BLAZEFACE = "video-face-expression-blazeface";
    static final String RAVDESS_NEUTRAL = "01-01-01-01-01-01-01.mp4";

    static EncoderContext context() {
        return new EncoderContext(Fixtures.onnxCpu(), Optional.empty());
    }

    /** The spec of encoder {@code id} in {@code manifest}, at the given precision (null: the manifest's). */
    static EncoderSpec spec(Path manifest, String id, String precision) {
        Fixtures.shared("models");
        Map<String, String> override = precision == null ? Map.of() : Map.of(id, precision);
        return new ModelPackLoader(Fixtures.SEARCH_PATH, true, override, Set.of()).load(manifest).encoder(id)
                .orElseThrow();
    }

    /** Same spec with some params replaced (margin, detectEvery, ...). */
    static EncoderSpec withParams(EncoderSpec s, Map<String, Object> params) {
        Map<String, Object> p = new java.util.HashMap<>(s.params());
        p.putAll(params);
        return new EncoderSpec(s.id(), s.modality(), s.kind(), s.files(), s.inputs(), s.outputs(), p, s.dim(),
                s.precision(), s.licence(), s.source());
    }

    static VideoFrame jpg(Path file) {
        try {
            BufferedImage img = ImageIO.read(file.toFile());
            int w = img.getWidth(), h = img.getHeight();
            byte[] rgb = new byte[w * h * 3];
            // Grey JPEGs: read the raster, not getRGB, which treats grey as linear and brightens it into sRGB.
            boolean grey = img.getRaster().getNumBands() == 1;
            for (int y = 0, i = 0; y < h; y++) {
                for (int x = 0; x < w; x++, i += 3) {
                    int p = grey ? img.getRaster().getSample(x, y, 0) * 0x010101 : img.getRGB(x, y);
                    rgb[i] = (byte) (p >> 16);
                    rgb[i + 1] = (byte) (p >> 8);
                    rgb[i + 2] = (byte) p;
                }
            }
            return new VideoFrame(0, w, h, rgb);
        } catch (Exception e) {
            throw new IllegalStateException("reading " + file, e);
        }
    }

    /** Up to {@code count} RGB24 frames sampled at {@code fps} from the start of a video file. */
    static List<VideoFrame> videoFrames(Path file, int count, double fps) {
        List<VideoFrame> out = new ArrayList<>();
        try (FFmpegFrameGrabber g = new FFmpegFrameGrabber(file.toFile())) {
            g.setPixelFormat(avutil.AV_PIX_FMT_RGB24);
            g.start();
            double next = 0;
            Frame f;
            while (out.size() < count && (f = g.grabImage()) != null) {
                double t = f.timestamp / 1e6;
                if (t + 1e-6 < next) continue;
                next += 1 / fps;
                int w = f.imageWidth, h = f.imageHeight, stride = f.imageStride;
                ByteBuffer buf = (ByteBuffer) f.image[0];
                byte[] rgb = new byte[w * h * 3];
                for (int y = 0; y < h; y++) buf.get(y * stride, rgb, y * w * 3, w * 3);
                out.add(new VideoFrame(t, w, h, rgb));
            }
            g.stop();
        } catch (Exception e) {
            throw new IllegalStateException("decoding " + file, e);
        }
        return out;
    }

    static Utterance utterance(String name, List<VideoFrame> frames) {
        return new Utterance(name, null, new VideoTrack(frames, 5, 0), null, Map.of());
    }

    static VideoFrame uniform(int w, int h, int value) {
        byte[] rgb = new byte[w * h * 3];
        java.util.Arrays.fill(rgb, (byte) value);
        return new VideoFrame(0, w, h, rgb);
    }

    static VideoFrame noise(int w, int h, long seed) {
        byte[] rgb = new byte[w * h * 3];
        new Random(seed).nextBytes(rgb);
        return new VideoFrame(0, w, h, rgb);
    }

    /** A frame whose pixel (x, y) encodes its coordinates, to see where resampling reads from. */
    static VideoFrame gradient(int w, int h) {
        byte[] rgb = new byte[w * h * 3];
        for (int y = 0, i = 0; y < h; y++)
            for (int x = 0; x < w; x++, i += 3) {
                rgb[i] = (byte) (x * 255 / Math.max(1, w - 1));
                rgb[i + 1] = (byte) (y * 255 / Math.max(1, h - 1));
                rgb[i + 2] = (byte) 128;
            }
        return new VideoFrame(0, w, h, rgb);
    }
}
