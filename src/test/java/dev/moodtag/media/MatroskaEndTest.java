package dev.moodtag.media;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The length {@link MatroskaEnd} reads from a Matroska or WebM file's clusters, against what the file holds: files
 * written by the ffmpeg here, their Duration element made to declare 1 ms so that only the clusters tell.
 */
class MatroskaEndTest {

    private final FfmpegMediaDecoder decoder = new FfmpegMediaDecoder(TestMediaConfig.defaults());

    /**
     * The clusters end where the last block ends, not where it starts: its duration is its BlockGroup's BlockDuration
     * (Opus's trimmed last packet), else its track's DefaultDuration (video at a known frame rate), else the time to it
     * nothing where the track declares neither (PCM and AAC: up to a block short, never long), less its track's
     * CodecDelay (Opus's and AAC's priming). Before, a 20 s film at 1 fps was read as 19 s long, at 0.5 fps as 18 s:
     * a frame short. Checked over frame rates and lengths, against the film's frames and
     * against the audio's decoded samples, and what a stream is told it holds.
     */
    @Test
    void theClustersEndWhereTheirLastBlockEnds() throws Exception {
        List<String> wrong = new ArrayList<>();
        for (double seconds : new double[]{3.3, 20, 61}) {
            for (String[] video : new String[][]{{"mpeg4", "mkv", "1"}, {"mpeg4", "mkv", "0.5"}, {"libvpx", "webm", "2"},
                    {"libvpx", "webm", "25"}}) {
                double fps = Double.parseDouble(video[2]);
                String name = String.format(Locale.ROOT, "end-%s-%sfps-%.1fs.%s", video[0], video[2], seconds, video[1]);
                TestMediaWriter.ffmpeg("-f", "lavfi", "-i", String.format(Locale.ROOT,
                        "testsrc=size=160x120:rate=%s:duration=%s", video[2], seconds), "-c:v", video[0], name);
                // the frames' times are whole multiples of 1/fps from 0: the film lasts to the end of its last one
                double expected = Math.ceil(seconds * fps - 1e-9) / fps;
                check(name, expected, 0.001, 0.001, wrong);
            }
            for (String[] audio : new String[][]{{"libopus", "webm", "48000", "0.003", "0.003"},
                    {"pcm_s16le", "mka", "16000", "0.064", "0.001"}, {"aac", "mka", "44100", "0.025", "0.001"}}) {
                String name = String.format(Locale.ROOT, "end-%s-%.1fs.%s", audio[0], seconds, audio[1]);
                TestMediaWriter.ffmpeg("-f", "lavfi", "-i", String.format(Locale.ROOT,
                        "sine=f=440:duration=%s:sample_rate=%s", seconds, audio[2]), "-c:a", audio[0], name);
                // up to a block short where the track declares no block's length (PCM, AAC); Opus's times are whole ms
                double decoded = decoder.decode(TestMediaWriter.DIR.resolve(name)).audio().durationSeconds();
                check(name, decoded, Double.parseDouble(audio[3]), Double.parseDouble(audio[4]), wrong);
            }
        }
        assertTrue(wrong.isEmpty(), String.join("\n", wrong));
    }

    /**
     * Adds to {@code wrong} where the clusters of {@code name}, made to declare 1 ms, are not read as {@code expected} s,
     * within {@code under} below and {@code over} above.
     */
    private void check(String name, double expected, double under, double over, List<String> wrong) throws Exception {
        Path film = Files.copy(TestMediaWriter.DIR.resolve(name), TestMediaWriter.DIR.resolve("declares-1ms-" + name),
                StandardCopyOption.REPLACE_EXISTING);
        HostileMedia.lieAboutDuration(film, 0.001);
        double walked = MatroskaEnd.micros(film, TimeBudget.UNLIMITED) / 1e6;
        if (walked < expected - under || walked > expected + over) wrong.add(name + ": walked to " + walked + " s of " + expected + " s");
        ProbeSink streamed = new ProbeSink();
        decoder.stream(film, streamed);
        double told = streamed.info().declaredSeconds();
        if (told < expected - under || told > expected + over) wrong.add(name + ": streamed as " + told + " s of " + expected + " s");
    }
}
