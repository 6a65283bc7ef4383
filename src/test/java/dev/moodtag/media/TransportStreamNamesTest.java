package dev.moodtag.media;

import dev.moodtag.media.MediaException.Kind;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.*;

/**
 * {@code .ts} (and {@code .mts}) names an MPEG transport stream and TypeScript source alike: a folder walk keeps such a
 * file only when its bytes are transport stream packets, and a file named explicitly is still tried, refused with a
 * reason that says what it is.
 */
public class TransportStreamNamesTest {
    private static final Path DIR = TestMediaWriter.DIR.resolve("ts-names");
    public static final String TYPESCRIPT = """
            import { Emotion } from "./emotion";

            export interface Tagged { file: string; label: Emotion; score: number }

            export function best(results: Tagged[]): Tagged | undefined {
              return results.reduce<Tagged | undefined>((a, b) => (a === undefined || b.score > a.score ? b : a), undefined);
            }
            """;

    @BeforeAll
    static void writeFolder() throws Exception {
        dev.moodtag.function.FileTrees.deleteQuietly(DIR);
        Files.createDirectories(DIR.resolve("web/src"));
        Files.writeString(DIR.resolve("web/src/app.ts"), TYPESCRIPT);
        Files.writeString(DIR.resolve("web/src/module.mts"), TYPESCRIPT);
        Files.writeString(DIR.resolve("web/src/types.d.ts"), "export type Emotion = \"happy\" | \"sad\";\n");
        tone(DIR, "clip.ts", "-f", "mpegts");
        tone(DIR, "camera.mts", "-f", "mpegts", "-mpegts_m2ts_mode", "1");
        byte[] ts = Files.readAllBytes(DIR.resolve("clip.ts"));
        // a copy whose first packet was overwritten, and a capture that starts in the middle of a packet
        byte[] damaged = ts.clone();
        Arrays.fill(damaged, 0, 188, (byte) 0);
        Files.write(DIR.resolve("damaged-first-packet.ts"), damaged);
        Files.write(DIR.resolve("starts-mid-packet.ts"), Arrays.copyOfRange(ts, 100, ts.length));
    }

    /** A 2 s tone with a picture, written by the ffmpeg here. */
    public static void tone(Path dir, String file, String... format) throws Exception {
        List<String> args = new java.util.ArrayList<>(List.of("-f", "lavfi", "-i", "sine=frequency=440:duration=2",
                "-f", "lavfi", "-i", "color=red:s=160x120:r=25:d=2", "-c:v", "mpeg2video", "-c:a", "mp2"));
        args.addAll(List.of(format));
        args.add(file);
        TestMediaWriter.ffmpegAt(dir, args.toArray(String[]::new));
    }

    @Test
    void aFolderWalkKeepsTransportStreamsAndPassesOverTypeScript() {
        List<String> walked = MediaFiles.expand(List.of(DIR)).stream().map(p -> DIR.relativize(p).toString()).toList();
        assertEquals(List.of("camera.mts", "clip.ts", "damaged-first-packet.ts", "starts-mid-packet.ts"), walked);
    }

    @Test
    void aTypeScriptFileNamedExplicitlyIsTriedAndRefusedForWhatItIs() {
        Path app = DIR.resolve("web/src/app.ts");
        assertEquals(List.of(app), MediaFiles.expand(List.of(app)), "a file named is tried, whatever its bytes");
        MediaException e = assertThrows(MediaException.class, () -> new FfmpegMediaDecoder(TestMediaConfig.defaults()).decode(app));
        assertEquals(Kind.UNSUPPORTED, e.kind(), e.getMessage());
        assertTrue(e.getMessage().contains("TypeScript") && e.getMessage().contains("not an MPEG transport stream"),
                e.getMessage());
    }

    @Test
    void theTransportStreamsKeptDecodeToTheirTone() {
        FfmpegMediaDecoder decoder = new FfmpegMediaDecoder(TestMediaConfig.defaults().withMaxFrameSide(160));
        for (String name : List.of("clip.ts", "camera.mts", "damaged-first-packet.ts", "starts-mid-packet.ts")) {
            AudioTrack audio = decoder.decode(DIR.resolve(name)).audioTrack().orElseThrow();
            assertEquals(440, AudioChecks.frequency(audio), 440 * 0.02, name);
            assertTrue(audio.durationSeconds() > 1.5, name + ": " + audio.durationSeconds());
        }
    }

    /**
     * A grid over damage and phase: the first 0 to 59 packets of the 64 looked at overwritten (with zeros, or with
     * bytes that are not the sync byte), or the file starting at any byte of its first packet, is still a transport
     * stream, in 188- and 192-byte packets; so is a stream of two packets. A file too short to tell (one packet, none)
     * is left to the decoder; five packets whose sync bytes stand a byte off one another are not a stream.
     */
    @Test
    void damagedAndShiftedTransportStreamsStillLookLikeOne() throws Exception {
        for (String name : List.of("clip.ts", "camera.mts")) {
            byte[] whole = Files.readAllBytes(DIR.resolve(name));
            int step = name.equals("clip.ts") ? 188 : 192;
            for (int damaged : new int[]{0, 1, 2, 3, 8, 31, 59}) {
                for (byte fill : new byte[]{0, (byte) 0xff, 0x46}) {
                    byte[] b = head(whole);
                    Arrays.fill(b, 0, damaged * step, fill);
                    assertEquals(Optional.empty(), MediaFiles.notMedia(name, b), name + " with " + damaged + " packets damaged");
                }
            }
            for (int skip = 0; skip <= step; skip++)
                assertEquals(Optional.empty(), MediaFiles.notMedia(name, head(Arrays.copyOfRange(whole, skip, whole.length))),
                        name + " from byte " + skip);
            assertEquals(Optional.empty(), MediaFiles.notMedia(name, Arrays.copyOf(whole, 2 * step)), "two packets");
            // too short to tell: left to the decoder, which says it is cut or empty
            assertEquals(Optional.empty(), MediaFiles.notMedia(name, Arrays.copyOf(whole, step)), "one packet");
            assertEquals(Optional.empty(), MediaFiles.notMedia(name, new byte[0]), "empty");
        }
        byte[] offByOne = new byte[5 * 188];
        for (int i = 0; i < 5; i++) offByOne[i * 188 + (i % 2)] = 0x47;
        assertTrue(MediaFiles.notMedia("x.ts", offByOne).isPresent());
        byte[] reedSolomon = new byte[10 * 204];
        for (int i = 0; i < 10; i++) reedSolomon[i * 204] = 0x47;
        assertEquals(Optional.empty(), MediaFiles.notMedia("x.ts", reedSolomon), "204-byte packets");
    }

    /**
     * What is not a transport stream is never taken for one: TypeScript, text whose every character is the sync byte's
     * G, 3,000 files of random bytes of 376 (two packets) to 20,000 bytes, named .TS, .mts or .d.ts. Other names are
     * not looked at: an .m2ts or .mp4 of random bytes is left to the decoder.
     */
    @Test
    void textAndRandomBytesNamedTsAreNotMedia() {
        for (String text : List.of(TYPESCRIPT, "G".repeat(20_000), ("G" + "x".repeat(187)).repeat(60), "G"))
            for (String name : List.of("a.ts", "B.TS", "c.mts", "types.d.ts"))
                assertTrue(MediaFiles.notMedia(name, head(ascii(text))).orElseThrow().contains("not an MPEG transport stream"));
        java.util.Random random = new java.util.Random(7);
        for (int i = 0; i < 3000; i++) {
            byte[] b = new byte[376 + random.nextInt(20_000 - 375)];
            random.nextBytes(b);
            assertTrue(MediaFiles.notMedia("r.ts", head(b)).isPresent(), "random bytes " + i);
        }
        byte[] random2k = new byte[2048];
        random.nextBytes(random2k);
        for (String name : List.of("r.m2ts", "r.mp4", "ts", ".ts", "r.ts.txt"))
            assertEquals(Optional.empty(), MediaFiles.notMedia(name, random2k), name);
    }

    /** What a walk reads of a file. */
    private static byte[] head(byte[] file) {
        return Arrays.copyOf(file, Math.min(file.length, MediaFiles.HEAD_BYTES));
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
