package dev.moodtag.media;

import dev.moodtag.media.MediaException.Kind;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVIOContext;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.javacpp.PointerPointer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_MJPEG;
import static org.bytedeco.ffmpeg.global.avcodec.AV_PKT_FLAG_KEY;
import static org.bytedeco.ffmpeg.global.avcodec.av_new_packet;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_alloc;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_free;
import static org.bytedeco.ffmpeg.global.avformat.AVIO_FLAG_WRITE;
import static org.bytedeco.ffmpeg.global.avformat.av_interleaved_write_frame;
import static org.bytedeco.ffmpeg.global.avformat.av_write_trailer;
import static org.bytedeco.ffmpeg.global.avformat.avformat_alloc_output_context2;
import static org.bytedeco.ffmpeg.global.avformat.avformat_free_context;
import static org.bytedeco.ffmpeg.global.avformat.avformat_new_stream;
import static org.bytedeco.ffmpeg.global.avformat.avformat_write_header;
import static org.bytedeco.ffmpeg.global.avformat.avio_closep;
import static org.bytedeco.ffmpeg.global.avformat.avio_open;
import static org.bytedeco.ffmpeg.global.avutil.AVMEDIA_TYPE_VIDEO;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUVJ420P;
import static org.bytedeco.ffmpeg.global.avutil.av_make_q;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The picture-size limit holds for every decoded frame, not only for the size the header declares: Matroska with
 * Motion JPEG may change size at any frame (each frame is a JPEG with its own size), and so may H.264 at any keyframe.
 */
class FrameSizeLimitTest {

    @TempDir
    Path dir;

    private static final int FPS = 5;

    /**
     * A PNG is refused from its header before FFmpeg opens it: FFmpeg's PNG decoder takes and fills a picture of the
     * size its header declares while it reads the stream's parameters, before the header check. Found by the fuzz
     * campaign (MediaFuzz): a 799-byte PNG declaring 299210x240 peaked at 550 MB, and one of 204 bytes declaring
     * 16000x16000 at 16 bits per channel at 2.1 GB, each then refused as over the limit. Wider, taller and both, 8 and 16
     * bits, colour and grey, on both paths; the memory the process holds at its peak may not grow by 512 MB.
     */
    @Test
    void aPngDeclaringAPictureOverTheLimitIsRefusedBeforeFfmpegTakesIt() throws Exception {
        FfmpegMediaDecoder decoder = new FfmpegMediaDecoder(TestMediaConfig.defaults());
        int[][] shapes = {{16000, 16000, 16, 6}, {299210, 240, 8, 6}, {7681, 7680, 8, 2}, {240, 60000, 16, 0}, {65535, 65535, 8, 4}};
        for (int[] shape : shapes) {
            Path png = Files.write(dir.resolve(shape[0] + "x" + shape[1] + ".png"), pngHeaderOnly(shape[0], shape[1], shape[2], shape[3]));
            for (Runnable decode : new Runnable[]{() -> decoder.decode(png),
                    () -> decoder.stream(png, new StreamingTest.CountingSink(Double.MAX_VALUE)), () -> decoder.probe(png)}) {
                PeakMemory peak = PeakMemory.reset();
                MediaException e = BadInputTest.assertKind(Kind.LIMIT_EXCEEDED, png.getFileName().toString(), decode);
                peak.assertGrewLessThan(512L << 20, png.getFileName().toString());
                assertTrue(e.getMessage().contains("its PNG header declares " + shape[0] + "x" + shape[1]), e.getMessage());
            }
        }
        Path within = Files.write(dir.resolve("within.png"), pngHeaderOnly(7680, 16, 8, 2));
        assertTrue(assertThrows(MediaException.class, () -> decoder.decode(within)).kind() != Kind.LIMIT_EXCEEDED,
                "a picture at the limit is not refused for its size");
    }

    /** A PNG signature, an IHDR chunk declaring the picture, a few rows of zeros compressed, and IEND. */
    private static byte[] pngHeaderOnly(int width, int height, int depth, int colourType) {
        java.nio.ByteBuffer ihdr = java.nio.ByteBuffer.allocate(13).putInt(width).putInt(height)
                .put((byte) depth).put((byte) colourType).put((byte) 0).put((byte) 0).put((byte) 0);
        java.util.zip.Deflater deflater = new java.util.zip.Deflater();
        deflater.setInput(new byte[1024]);
        deflater.finish();
        byte[] idat = new byte[256];
        idat = java.util.Arrays.copyOf(idat, deflater.deflate(idat));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[]{(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
        pngChunk(out, "IHDR", ihdr.array());
        pngChunk(out, "IDAT", idat);
        pngChunk(out, "IEND", new byte[0]);
        return out.toByteArray();
    }

    private static void pngChunk(ByteArrayOutputStream out, String type, byte[] data) {
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        byte[] name = type.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        crc.update(name);
        crc.update(data);
        out.writeBytes(java.nio.ByteBuffer.allocate(4).putInt(data.length).array());
        out.writeBytes(name);
        out.writeBytes(data);
        out.writeBytes(java.nio.ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    }

    @Test
    void aLargerFrameLaterInTheStreamIsALimitErrorNamingItsSize() throws Exception {
        List<byte[]> frames = new ArrayList<>();
        for (int i = 0; i < 10; i++) frames.add(jpeg(320, 240));
        for (int i = 0; i < 5; i++) frames.add(jpeg(1600, 1200));
        Path mkv = mjpegMkv(frames, 320, 240, "growing.mkv");
        for (boolean parts : new boolean[]{false, true}) {
            FfmpegMediaDecoder decoder = new FfmpegMediaDecoder(TestMediaConfig.defaults().withMaxSourceSide(1000)
                    .withParallelDecoding(parts));
            assertEquals(320, decoder.probe(mkv).sourceWidth(), "the header says 320x240");
            MediaException e = assertThrows(MediaException.class, () -> decoder.decode(mkv));
            assertEquals(Kind.LIMIT_EXCEEDED, e.kind(), e.getMessage());
            assertTrue(e.getMessage().contains("the frame at 2.00 s is 1600x1200, larger than the limit of 1000 pixels"
                    + " per side (the header declares 320x240)"), e.getMessage());
        }
    }

    /**
     * Within the limit, a change of size mid-stream is decoded, every frame at its own shape (the odd-sized frames after
     * the change go through the same padded conversion as odd-sized pictures). Before, every frame was scaled to the size
     * the header set, so the 61x80 pictures were stretched to 4:3 (PictureGeometryTest).
     */
    @Test
    void framesOfAnotherSizeWithinTheLimitKeepTheirOwnShape() throws Exception {
        List<byte[]> frames = new ArrayList<>();
        for (int i = 0; i < 5; i++) frames.add(jpeg(320, 240));
        for (int i = 0; i < 5; i++) frames.add(jpeg(61, 80));
        Path mkv = mjpegMkv(frames, 320, 240, "shrinking.mkv");
        VideoTrack video = new FfmpegMediaDecoder(TestMediaConfig.defaults().withParallelDecoding(false)).decode(mkv)
                .videoTrack().orElseThrow();
        assertEquals(10, video.frames().size());
        for (int i = 0; i < 10; i++) {
            VideoFrame f = video.frames().get(i);
            assertEquals(i < 5 ? "320x240" : "61x80", f.width() + "x" + f.height(), "frame " + i);
            assertEquals(f.width() * f.height() * 3, f.rgb().length);
        }
    }

    private static byte[] jpeg(int width, int height) throws IOException {
        BufferedImage picture = new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
        Graphics2D g = picture.createGraphics();
        g.setColor(Color.ORANGE);
        g.fillRect(0, 0, width, height);
        g.setColor(Color.BLUE);
        g.fillOval(width / 4, height / 4, width / 2, height / 2);
        g.dispose();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(picture, "jpg", out);
        return out.toByteArray();
    }

    /** Motion JPEG in Matroska, one JPEG per packet at {@link #FPS}, the header declaring width × height. */
    private Path mjpegMkv(List<byte[]> jpegs, int width, int height, String name) throws IOException {
        Path file = dir.resolve(name);
        AVFormatContext oc = new AVFormatContext(null);
        check(avformat_alloc_output_context2(oc, null, "matroska", file.toString()), "output context");
        try {
            AVStream st = avformat_new_stream(oc, null);
            st.codecpar().codec_type(AVMEDIA_TYPE_VIDEO).codec_id(AV_CODEC_ID_MJPEG).width(width).height(height)
                    .format(AV_PIX_FMT_YUVJ420P);
            st.time_base(av_make_q(1, FPS));
            AVIOContext pb = new AVIOContext(null);
            check(avio_open(pb, file.toString(), AVIO_FLAG_WRITE), "open");
            oc.pb(pb);
            check(avformat_write_header(oc, (PointerPointer<?>) null), "header");
            long unitsPerFrame = Math.max(1, st.time_base().den() / (long) (st.time_base().num() * FPS));
            for (int i = 0; i < jpegs.size(); i++) {
                AVPacket pkt = av_packet_alloc();
                try {
                    byte[] data = jpegs.get(i);
                    check(av_new_packet(pkt, data.length), "packet");
                    pkt.data().put(data);
                    pkt.stream_index(0).pts(i * unitsPerFrame).dts(i * unitsPerFrame).duration(unitsPerFrame)
                            .flags(AV_PKT_FLAG_KEY);
                    check(av_interleaved_write_frame(oc, pkt), "write");
                } finally {
                    av_packet_free(pkt);
                }
            }
            check(av_write_trailer(oc), "trailer");
            avio_closep(oc.pb());
        } finally {
            avformat_free_context(oc);
        }
        return file;
    }

    private static void check(int ret, String what) {
        if (ret < 0) throw new IllegalStateException(what + " failed: " + ret);
    }
}
