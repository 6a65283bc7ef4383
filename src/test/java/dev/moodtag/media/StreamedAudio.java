package dev.moodtag.media;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** A file's audio as the streaming path gives it (silence filled for missing audio included: a sink's default), in one array. */
final class StreamedAudio {
    private StreamedAudio() {
    }

    static float[] of(Path file, TimeBudget time) {
        List<float[]> chunks = new ArrayList<>();
        new FfmpegMediaDecoder(TestMediaConfig.defaults()).stream(file, new MediaSink() {
            @Override
            public boolean audio(AudioTrack chunk) {
                return chunks.add(chunk.samples());
            }

            @Override
            public boolean frame(VideoFrame frame) {
                return true;
            }
        }, time);
        int n = chunks.stream().mapToInt(c -> c.length).sum(), at = 0;
        float[] all = new float[n];
        for (float[] c : chunks) {
            System.arraycopy(c, 0, all, at, c.length);
            at += c.length;
        }
        return all;
    }
}
