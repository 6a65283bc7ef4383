package dev.moodtag.media;

import java.util.function.Consumer;

/**
 * A recogniser for decoding tests: it hears every chunk of audio on the thread that decodes it (through
 * {@code onChunk}, which may slow that thread), recognises nothing, and says when a listening is closed.
 */
class HearingStub implements HeardTranscripts {
    private final Consumer<float[]> onChunk;
    private final Runnable onClose;

    HearingStub(Consumer<float[]> onChunk, Runnable onClose) {
        this.onChunk = onChunk;
        this.onClose = onClose;
    }

    @Override
    public boolean listens() {
        return true;
    }

    @Override
    public Listening listen(double offsetSeconds) {
        return new Listening() {
            @Override
            public void accept(float[] samples) {
                onChunk.accept(samples);
            }

            @Override
            public TranscriptResolution finish() {
                return TranscriptResolution.missing("not recognised in this test");
            }

            @Override
            public void close() {
                onClose.run();
            }
        };
    }
}
