package dev.moodtag.media;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Ogg files whose streams follow one another (chained), as internet radio recordings are written, each programme or
 * song a stream of its own, and as {@code cat} joins Ogg files. Each stream counts its clock from its own start, so
 * FFmpeg's times go back to 0 at every stream after the first: until 2026-12-06 such a file was refused as `corrupt`
 * ("its audio timestamps go back from 3.00 s to 0.00 s"). The streams are now placed one after another, by their
 * samples, on every path: each stretch where the one before it ends, as long as its file decoded alone.
 */
class ChainedOggTest {

    @Test
    void chainedStreamsArePlacedOneAfterAnother() throws Exception {
        String[][] cases = {{"vorbis", "ogg", "44100", "44100"}, {"libopus", "opus", "44100", "48000"},
                {"flac", "oga", "44100", "44100"}};
        for (String[] c : cases) {
            int rate1 = Integer.parseInt(c[2]), rate2 = Integer.parseInt(c[3]);
            Path a = RateChangeTest.tone(rate1, 440, c[0], "ogg", "chain-a-" + c[0] + "." + c[1]);
            Path b = RateChangeTest.tone(rate2, 660, c[0], "ogg", "chain-b-" + c[0] + "." + c[1]);
            Path joined = RateChangeTest.cat("chained-" + c[0] + "." + c[1], a, b);
            String what = joined.getFileName().toString();
            float[] samples = RateChangeTest.everyPath(joined);
            double firstLength = RateChangeTest.seconds(RateChangeTest.decode(a, false));
            double secondLength = RateChangeTest.seconds(RateChangeTest.decode(b, false));
            RateChangeTest.assertStretches(what, samples, a, b, firstLength);
            assertEquals(firstLength + secondLength, RateChangeTest.seconds(samples), 0.02, what + ": as long as the two files");
        }
    }
}
