package dev.moodtag.media;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A film with damaged pictures gets the same frames whatever else the decoder is decoding. Found by the fuzz campaign
 * (MediaFuzz): the decoder opened a film's video with one codec thread while the parts ran side by side and with
 * FFmpeg's frame threads when the cores were busy and the parts ran one after another, and FFmpeg conceals a damaged
 * picture differently with frame threads, so the same bytes gave other pixels under load.
 */
class DamagedFilmUnderLoadTest {
    private static final Path DIR = TestMediaWriter.DIR.resolve("under-load");

    /**
     * MPEG-4 Part 2 in 3GPP2 with 239 bytes of its first pictures zeroed (fuzz case 1040 of campaign 2026), and a
     * quarter of every later picture's bytes zeroed too, so that the damage is not down to one spot in one encoder's
     * output.
     */
    private static Path damaged(String name, int from, int length) throws Exception {
        Path whole = new ArchiveFormatsTest.Case("whole-" + name, true, ArchiveFormatsTest.Declares.ISO_BMFF,
                "-c:v", "mpeg4", "-c:a", "aac", "-f", "3g2").write();
        byte[] b = Files.readAllBytes(whole);
        java.util.Arrays.fill(b, from, from + length, (byte) 0);
        Files.createDirectories(DIR);
        return Files.write(DIR.resolve(name), b);
    }

    @Test
    void damagedPicturesDecodeTheSameWhenTheCoresAreBusy() throws Exception {
        FfmpegMediaDecoder decoder = new FfmpegMediaDecoder(TestMediaConfig.defaults().withParallelDecoding(true));
        List<String> differ = new ArrayList<>();
        for (int[] damage : new int[][]{{424, 239}, {424, 2000}, {6000, 400}, {12000, 3000}}) {
            Path film = damaged("damaged-" + damage[0] + "x" + damage[1] + ".3g2", damage[0], damage[1]);
            List<VideoFrame> alone = decoder.decode(film).videoTrack().orElseThrow().frames();
            List<VideoFrame> loaded = underLoad(decoder, () -> decoder.decode(film)).videoTrack().orElseThrow().frames();
            assertEquals(alone.size(), loaded.size(), film + ": frames");
            int other = 0;
            for (int i = 0; i < alone.size(); i++) {
                assertEquals(alone.get(i).timestampSeconds(), loaded.get(i).timestampSeconds(), film + ": frame " + i);
                if (!java.util.Arrays.equals(alone.get(i).rgb(), loaded.get(i).rgb())) other++;
            }
            if (other > 0) differ.add(film.getFileName() + ": " + other + " of " + alone.size() + " frames");
        }
        assertEquals(List.of(), differ, "frames whose pixels differ under load");
    }

    /**
     * {@code decode} while as many other films as the machine has cores are being decoded by the same decoder (each held
     * at its first frame), so that the decoder decodes a film's parts one after another.
     */
    static <T> T underLoad(FfmpegMediaDecoder decoder, java.util.concurrent.Callable<T> decode) throws Exception {
        Path other = Files.copy(new ArchiveFormatsTest.Case("load.3g2", true, ArchiveFormatsTest.Declares.ISO_BMFF,
                        "-c:v", "mpeg4", "-c:a", "aac", "-f", "3g2").write(), DIR.resolve("load.3g2"),
                StandardCopyOption.REPLACE_EXISTING);
        int others = Runtime.getRuntime().availableProcessors();
        CountDownLatch holding = new CountDownLatch(others), release = new CountDownLatch(1);
        ExecutorService threads = Executors.newFixedThreadPool(others);
        List<Future<Utterance>> load = new ArrayList<>();
        try {
            for (int i = 0; i < others; i++)
                load.add(threads.submit(() -> decoder.decode(other, null, heldAtFirstFrame(holding, release))));
            assertTrue(holding.await(60, TimeUnit.SECONDS), "the other films are being decoded");
            return decode.call();
        } finally {
            release.countDown();
            for (Future<Utterance> f : load) f.get(60, TimeUnit.SECONDS);
            threads.shutdown();
        }
    }

    /** Counts down {@code holding} at its first frame and waits there for {@code release}. */
    private static DecodeListener heldAtFirstFrame(CountDownLatch holding, CountDownLatch release) {
        AtomicBoolean first = new AtomicBoolean(true);
        return new DecodeListener() {
            @Override
            public void frame(int part, VideoFrame frame) {
                if (!first.getAndSet(false)) return;
                holding.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        };
    }
}
