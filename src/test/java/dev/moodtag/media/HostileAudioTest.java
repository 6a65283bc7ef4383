package dev.moodtag.media;

import dev.moodtag.media.MediaException.Kind;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_AAC;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Audio whose format makes decoding lie or explode: what the header or the stream says about the samples is taken
 * at its word by the resampler, so a clear refusal is better than what it makes of them.
 */
class HostileAudioTest {
    private final FfmpegMediaDecoder decoder = new FfmpegMediaDecoder(TestMediaConfig.defaults());

    /**
     * A 4 kB WAV declaring 1 sample per second is 4,096 s of audio once brought to 16 kHz: 65 million samples from 4 kB,
     * which the function streamed as a long recording (a 64 kB one took a tag worker 207 s). No recording of speech is
     * sampled that slowly; it is refused before anything is decoded, on both paths.
     */
    @Test
    void audioSampledFarBelowSpeechIsRefusedBeforeItIsStretchedTo16k() throws Exception {
        byte[] samples = new byte[4096];
        new Random(3).nextBytes(samples);
        Path wav = Files.write(Files.createDirectories(TestMediaWriter.DIR).resolve("one-hertz.wav"),
                BadInputTest.concat(BadInputTest.wavHeader(1, 1, 1, 8, samples.length), samples));
        for (Runnable decode : new Runnable[]{() -> decoder.decode(wav),
                () -> decoder.stream(wav, new StreamingTest.CountingSink(Double.MAX_VALUE))}) {
            MediaException e = BadInputTest.assertKind(Kind.UNSUPPORTED, "one-hertz.wav", decode);
            assertTrue(e.getMessage().contains("sampled at 1 Hz"), e.getMessage());
        }
    }

    /**
     * Audio declaring a rate far above any recording's costs the resampler a filter bank that grows with the ratio to
     * 16 kHz, from a file of any size. Found by the fuzz campaign (MediaFuzz): an ALAC CAF of 251 kB whose codec
     * configuration says 29,472,011 Hz (the container says 48 kHz) took 393-558 MB of peak memory and 4.5 s to decode
     * as "ok". Rates above 768 kHz are refused before anything is resampled, on both paths, in the header (float WAV,
     * up to 2^31 - 1 Hz) and in the codec's configuration (ALAC), and 768 kHz itself still decodes.
     */
    @Test
    void audioSampledFarAboveAnyRecordingIsRefusedBeforeItIsResampled() throws Exception {
        Path dir = Files.createDirectories(TestMediaWriter.DIR.resolve("high-rates"));
        byte[] seed = Files.readAllBytes(new ArchiveFormatsTest.Case("tone-alac.caf", false,
                ArchiveFormatsTest.Declares.CAF, "-c:a", "alac", "-f", "caf").write());
        // the ALAC configuration in the magic cookie ("kuki"), after the format's own ID in the description: its sample
        // rate is its last four bytes, big-endian
        int alac = ArchiveFormatsTest.lastIndexOf(seed, "alac\0\0\0\0".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        assertTrue(alac > 0, "an ALAC configuration in the cookie");
        java.util.List<Path> refused = new java.util.ArrayList<>();
        for (int rate : new int[]{768_001, 1_000_000, 29_472_011, 200_000_000, Integer.MAX_VALUE}) {
            byte[] b = seed.clone();
            java.nio.ByteBuffer.wrap(b, alac + 4 + 24, 4).putInt(rate);
            refused.add(Files.write(dir.resolve("alac-" + rate + ".caf"), b));
            byte[] samples = new byte[4 * 48_000];
            refused.add(Files.write(dir.resolve("float-" + rate + ".wav"),
                    BadInputTest.concat(BadInputTest.wavHeader(3, rate, 1, 32, samples.length), samples)));
        }
        for (Path file : refused) {
            String name = file.getFileName().toString();
            for (Runnable decode : new Runnable[]{() -> decoder.decode(file),
                    () -> decoder.stream(file, new StreamingTest.CountingSink(Double.MAX_VALUE))}) {
                MediaException e = BadInputTest.assertKind(Kind.UNSUPPORTED, name, decode);
                assertTrue(e.getMessage().contains("above the 768000 Hz"), e.getMessage());
            }
        }
        byte[] samples = new byte[4 * 76_800];
        Path highest = Files.write(dir.resolve("float-768000.wav"),
                BadInputTest.concat(BadInputTest.wavHeader(3, 768_000, 1, 32, samples.length), samples));
        assertEquals(0.1, decoder.decode(highest).audioTrack().orElseThrow().durationSeconds(), 0.01, "768 kHz decodes");
    }

    /**
     * Two AAC streams joined end to end (ADTS, as a recorder appending to a file or a broadcast switching rates writes
     * them), 3 s at 44.1 kHz then 3 s at 8 kHz. The resampler kept the rate of the first frame, so the second part came
     * out 5.5 times too fast: 3.62 s of audio instead of 6, its speech high-pitched, silently; then the change was
     * refused, as the demuxer times the second part at the first rate (19.9 s in the other order). Each part is now
     * resampled from its own rate and placed by its samples, in both orders and on both paths ({@link RateChangeTest}
     * measures where each stretch sits).
     */
    @Test
    void audioThatChangesItsSampleRateMidStreamIsDecodedAtItsOwnSpeed() throws Exception {
        Path at44 = TestMediaWriter.format("adts").audio(AV_CODEC_ID_AAC, 44_100, 1).seconds(3).write("rate-44k.aac");
        Path at8 = TestMediaWriter.format("adts").audio(AV_CODEC_ID_AAC, 8_000, 1).seconds(3).write("rate-8k.aac");
        double alone = decoder.decode(at44).audioTrack().orElseThrow().durationSeconds()
                + decoder.decode(at8).audioTrack().orElseThrow().durationSeconds();
        for (Path joined : new Path[]{joined("rate-44k-then-8k.aac", at44, at8), joined("rate-8k-then-44k.aac", at8, at44)}) {
            AudioTrack audio = decoder.decode(joined).audioTrack().orElseThrow();
            assertEquals(alone, audio.durationSeconds(), 0.02, joined.getFileName().toString());
            // each part's pitch away from the junction, where the encoders' padding is near silence
            float[] s = audio.samples();
            for (float[] part : new float[][]{java.util.Arrays.copyOfRange(s, 0, 44_800),
                    java.util.Arrays.copyOfRange(s, s.length - 44_800, s.length)})
                assertEquals(440, AudioChecks.frequency(new AudioTrack(part)), 5, joined.getFileName().toString());
            StreamingTest.CountingSink streamed = new StreamingTest.CountingSink(Double.MAX_VALUE);
            decoder.stream(joined, streamed);
            assertEquals(audio.samples().length, streamed.samples, joined.getFileName() + ": streamed");
        }
    }

    /**
     * FFmpeg's resampler takes at most 64 channels. A 65-channel WAV (a valid file: a microphone array) failed part-way
     * as CORRUPT, "decoding failed part-way (Invalid argument)", telling the user the file was damaged. It is what this
     * FFmpeg cannot do, said before decoding; 64 channels still decode.
     */
    @Test
    void moreChannelsThanTheResamplerTakesIsUnsupportedNotCorrupt() throws Exception {
        for (int channels : new int[]{64, 65, 255}) {
            byte[] samples = new byte[channels * 2 * 1600];
            Path wav = Files.write(TestMediaWriter.DIR.resolve("channels-" + channels + "-silent.wav"),
                    BadInputTest.concat(BadInputTest.wavHeader(1, 16_000, channels, 16, samples.length), samples));
            if (channels <= 64) {
                assertEquals(0.1, decoder.decode(wav).audioTrack().orElseThrow().durationSeconds(), 0.01);
                continue;
            }
            MediaException e = BadInputTest.assertKind(Kind.UNSUPPORTED, wav.getFileName().toString(), () -> decoder.decode(wav));
            assertTrue(e.getMessage().contains("its audio has " + channels + " channels, more than the 64"), e.getMessage());
        }
    }

    /**
     * 5.1 joined to mono (ADTS). Surround was folded to stereo by a resampler set up for the first frame's six channels
     * and never rebuilt for the input, so the mono part was read as six channels: the 440 Hz tone came out at 568 Hz, with
     * no error; then it was refused. Each part is now resampled from its own layout, in both orders
     * ({@link LayoutChangeTest} compares their levels).
     */
    @Test
    void surroundThatChangesItsChannelCountMidStreamIsDecodedNotMisread() throws Exception {
        Path surround = TestMediaWriter.format("adts").audio(AV_CODEC_ID_AAC, 16_000, 6).seconds(3).write("channels-6.aac");
        Path mono = TestMediaWriter.format("adts").audio(AV_CODEC_ID_AAC, 16_000, 1).seconds(3).write("channels-1.aac");
        for (Path joined : new Path[]{joined("channels-6-then-1.aac", surround, mono), joined("channels-1-then-6.aac", mono, surround)}) {
            AudioTrack audio = decoder.decode(joined).audioTrack().orElseThrow();
            assertEquals(6.1, audio.durationSeconds(), 0.1, joined.getFileName().toString());
            // each part's pitch away from the junction, where the encoders' padding is near silence
            float[] s = audio.samples();
            for (float[] part : new float[][]{java.util.Arrays.copyOfRange(s, 0, 44_800),
                    java.util.Arrays.copyOfRange(s, s.length - 44_800, s.length)})
                assertEquals(440, AudioChecks.frequency(new AudioTrack(part)), 5, joined.getFileName().toString());
        }
    }

    private static Path joined(String name, Path first, Path second) throws Exception {
        return Files.write(TestMediaWriter.DIR.resolve(name), BadInputTest.concat(Files.readAllBytes(first), Files.readAllBytes(second)));
    }
}
