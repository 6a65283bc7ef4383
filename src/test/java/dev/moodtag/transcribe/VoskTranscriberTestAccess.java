package dev.moodtag.transcribe;

import dev.moodtag.media.AudioTrack;

import java.nio.file.Path;

/** Generated audio for tests outside this package. */
public final class VoskTranscriberTestAccess {
    private VoskTranscriberTestAccess() {
    }

    /** A 16 kHz mono wav of digital silence. */
    public static Path silentWav(Path file, int seconds) throws Exception {
        return VoskTranscriberTest.writeWav(file, new float[seconds * AudioTrack.RATE]);
    }
}
