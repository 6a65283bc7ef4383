package dev.moodtag.media;

import dev.moodtag.media.MediaException.Kind;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

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
}
