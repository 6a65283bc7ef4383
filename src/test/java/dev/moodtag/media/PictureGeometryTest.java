package dev.moodtag.media;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Frames keep the shape of the picture a player shows: a white square on black stays a square in the frame the face
 * encoder sees, whatever the stored picture's pixel shape (anamorphic video) and whether its size changes part-way.
 * Generated with the ffmpeg program JavaCV carries.
 */
class PictureGeometryTest {

    /** A white square of {@code side} display pixels (stored {@code side / sar} wide) on black. */
    private static String square(int width, int height, int side, String sar) {
        double ratio = Double.parseDouble(sar.split("/")[0]) / Double.parseDouble(sar.split("/")[1]);
        long stored = Math.round(side / ratio);
        return String.format(java.util.Locale.ROOT, "color=c=black:size=%dx%d:rate=25:duration=%s,drawbox=x=%d:y=%d:w=%d:h=%d:color=white:t=fill,setsar=%s",
                width, height, "%s", (width - stored) / 2, (height - side) / 2, stored, side, sar);
    }

    /** The width and height of the bright region through the frame's centre, in pixels. */
    private static int[] brightExtent(VideoFrame f) {
        int w = 0, h = 0;
        for (int x = 0; x < f.width(); x++) if (f.channel(x, f.height() / 2, 1) > 128) w++;
        for (int y = 0; y < f.height(); y++) if (f.channel(f.width() / 2, y, 1) > 128) h++;
        return new int[]{w, h};
    }

    /** Every frame of the file, in one pass, in parts and streamed: the same on every path. */
    private static List<VideoFrame> frames(Path file) {
        Map<String, List<VideoFrame>> paths = new LinkedHashMap<>();
        for (boolean inParts : new boolean[]{false, true})
            paths.put(inParts ? "in parts" : "in one pass", new FfmpegMediaDecoder(TestMediaConfig.defaults()
                    .withParallelDecoding(inParts)).decode(file).videoTrack().orElseThrow().frames());
        List<VideoFrame> streamed = new ArrayList<>();
        new FfmpegMediaDecoder(TestMediaConfig.defaults()).stream(file, new MediaSink() {
            @Override
            public boolean audio(AudioTrack chunk) {
                return true;
            }

            @Override
            public boolean frame(VideoFrame frame) {
                return streamed.add(frame);
            }
        });
        paths.put("streamed", streamed);
        List<VideoFrame> onePass = paths.get("in one pass");
        paths.forEach((path, frames) -> {
            assertEquals(onePass.size(), frames.size(), path);
            for (int i = 0; i < frames.size(); i++) {
                assertEquals(onePass.get(i).width() + "x" + onePass.get(i).height(), frames.get(i).width() + "x" + frames.get(i).height(), path);
                assertTrue(java.util.Arrays.equals(onePass.get(i).rgb(), frames.get(i).rgb()), path + ": frame " + i);
            }
        });
        return onePass;
    }

    private static void assertSquare(VideoFrame f, int side, String what) {
        int[] e = brightExtent(f);
        assertEquals(side, e[0], 3, what + String.format(": the square is %dx%d in the %dx%d frame at %.2f s",
                e[0], e[1], f.width(), f.height(), f.timestampSeconds()));
        assertEquals(side, e[1], 3, what + String.format(": the square is %dx%d in the %dx%d frame at %.2f s",
                e[0], e[1], f.width(), f.height(), f.timestampSeconds()));
    }

    /**
     * PAL widescreen (720x576 stored, pixels 64:45 wide, shown 1024x576) and HDV (1440x1080 stored, pixels 4:3 wide, shown
     * 1920x1080): before, frames were scaled from the stored size, 640x512 and 640x480, so a face was squeezed to 70 %
     * or 75 % of its width.
     */
    @Test
    void anamorphicVideoIsDeliveredAtItsDisplayShape() throws Exception {
        TestMediaWriter.ffmpeg("-f", "lavfi", "-i", String.format(square(720, 576, 288, "64/45"), "2"), "-c:v", "mpeg4",
                "pal-widescreen.mkv");
        TestMediaWriter.ffmpeg("-f", "lavfi", "-i", String.format(square(1440, 1080, 540, "4/3"), "2"), "-c:v", "mpeg2video",
                "-q:v", "2", "hdv.ts");
        for (String[] c : new String[][]{{"pal-widescreen.mkv", "640", "360", "180"}, {"hdv.ts", "640", "360", "180"}}) {
            List<VideoFrame> frames = frames(TestMediaWriter.DIR.resolve(c[0]));
            VideoFrame f = frames.get(frames.size() / 2);
            assertEquals(c[1] + "x" + c[2], f.width() + "x" + f.height(), c[0]);
            assertSquare(f, Integer.parseInt(c[3]), c[0]);
        }
    }

    /**
     * A broadcast capture whose picture changes from 320x240 to 640x360 at 3 s (two MPEG-TS recordings joined end to end,
     * as a channel switching programmes or a stream switching renditions): before, every frame was scaled to the first
     * picture's 320x240, so from 3 s on a face was squeezed to 75 % of its width.
     */
    @Test
    void aPictureThatChangesSizePartWayKeepsItsShape() throws Exception {
        TestMediaWriter.ffmpeg("-f", "lavfi", "-i", String.format(square(320, 240, 60, "1/1"), "3"), "-c:v", "mpeg2video",
                "-q:v", "2", "size-first.ts");
        TestMediaWriter.ffmpeg("-f", "lavfi", "-i", String.format(square(640, 360, 120, "1/1"), "3"), "-c:v", "mpeg2video",
                "-q:v", "2", "-output_ts_offset", "3", "size-second.ts");
        Path joined = TestMediaWriter.DIR.resolve("size-changes.ts");
        Files.write(joined, Files.readAllBytes(TestMediaWriter.DIR.resolve("size-first.ts")));
        Files.write(joined, Files.readAllBytes(TestMediaWriter.DIR.resolve("size-second.ts")), StandardOpenOption.APPEND);
        List<VideoFrame> frames = frames(joined);
        VideoFrame before = frames.stream().filter(f -> f.timestampSeconds() > 1 && f.timestampSeconds() < 2).findFirst().orElseThrow();
        VideoFrame after = frames.stream().filter(f -> f.timestampSeconds() > 4 && f.timestampSeconds() < 5).findFirst().orElseThrow();
        assertEquals("320x240", before.width() + "x" + before.height());
        assertSquare(before, 60, "before the change");
        assertEquals("640x360", after.width() + "x" + after.height());
        assertSquare(after, 120, "after the change");
    }
}
