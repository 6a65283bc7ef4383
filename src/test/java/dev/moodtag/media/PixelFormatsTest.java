package dev.moodtag.media;

import dev.moodtag.testing.Fixtures;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Pictures reach the pipeline as packed RGB whatever pixel format the decoder produced: the decoder hands its
 * pictures over unconverted and RgbFrames converts the kept ones, so every format has to go through that one path.
 * The same face photo is re-encoded (by the JDK's ImageIO) as palette, grey, 16-bit grey, RGBA and odd-sized files,
 * and each decoded picture must match the colour original in brightness.
 */
class PixelFormatsTest {

    private final FfmpegMediaDecoder decoder = new FfmpegMediaDecoder(TestMediaConfig.defaults());

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            // Lossless formats come out exact (measured 0.0); 16-bit grey loses its low byte; JPEG decoders differ a little.
            "pal8.png,   13, 350, 350, 0.5",   // 8-bit palette: FFmpeg's PAL8 (palette in the second plane)
            "gray.png,   10, 350, 350, 0.5",
            "gray16.png, 11, 350, 350, 1.0",   // 16-bit grey
            "rgba.png,    2, 350, 350, 0.5",   // TYPE_INT_ARGB: RGBA
            "gray.jpg,   10, 350, 350, 1.5",   // grey JPEG
            "odd.png,     5, 351, 349, 0.5",   // odd width and height
            "odd.bmp,     5, 351, 349, 0.5"})
    void everyPixelFormatArrivesAsRgbOfTheSamePicture(String name, int imageType, int width, int height,
                                                      double maxLumaDiff) throws IOException {
        BufferedImage photo = ImageIO.read(Fixtures.sample("Cole_Chapman_0001.jpg").toFile());
        BufferedImage copy = new BufferedImage(width, height, imageType);
        copy.getGraphics().drawImage(photo, 0, 0, width, height, null);
        Path file = dir.resolve(name);
        assertTrue(ImageIO.write(copy, name.substring(name.indexOf('.') + 1), file.toFile()), "ImageIO wrote " + name);

        VideoFrame decoded = decoder.decode(file).videoTrack().orElseThrow().frames().get(0);
        assertEquals(width, decoded.width());
        assertEquals(height, decoded.height());
        assertEquals(0, meanLumaDiff(decoded, copy), maxLumaDiff, name + ": mean brightness difference per pixel");
    }

    private static double meanLumaDiff(VideoFrame frame, BufferedImage expected) {
        byte[] rgb = frame.rgb();
        double sum = 0;
        for (int y = 0; y < frame.height(); y++) {
            for (int x = 0; x < frame.width(); x++) {
                int i = (y * frame.width() + x) * 3;
                sum += Math.abs(luma(rgb[i] & 0xff, rgb[i + 1] & 0xff, rgb[i + 2] & 0xff) - expectedLuma(expected, x, y));
            }
        }
        return sum / (frame.width() * frame.height());
    }

    /**
     * What the file holds. For grey images that is the raster's value: the JDK's getRGB would map it through its
     * linear grey colour space to sRGB, which no file format and no decoder does.
     */
    private static double expectedLuma(BufferedImage image, int x, int y) {
        return switch (image.getType()) {
            case BufferedImage.TYPE_BYTE_GRAY -> image.getRaster().getSample(x, y, 0);
            case BufferedImage.TYPE_USHORT_GRAY -> image.getRaster().getSample(x, y, 0) / 257.0;
            default -> {
                int e = image.getRGB(x, y);
                yield luma((e >> 16) & 0xff, (e >> 8) & 0xff, e & 0xff);
            }
        };
    }

    private static double luma(int r, int g, int b) {
        return 0.299 * r + 0.587 * g + 0.114 * b;
    }
}
