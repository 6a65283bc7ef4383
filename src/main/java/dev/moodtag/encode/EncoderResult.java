package dev.moodtag.encode;

import dev.moodtag.media.Modality;

import java.util.Optional;

/**
 * One encoder's contribution to an utterance: its vector, or why it has none, and how long it took.
 *
 * @param vector        null when the modality is missing
 * @param missingReason null when the vector is present
 * @param note          how the input was read when that is worth recording (e.g. "3 windows: ..."); null if not
 */
public record EncoderResult(EncoderInfo encoder, float[] vector, String missingReason, double millis, String note) {

    public EncoderResult(EncoderInfo encoder, float[] vector, String missingReason, double millis) {
        this(encoder, vector, missingReason, millis, null);
    }

    public EncoderResult {
        if ((vector == null) == (missingReason == null))
            throw new IllegalArgumentException("exactly one of vector and missingReason must be given");
    }

    public boolean present() {
        return vector != null;
    }

    public Modality modality() {
        return encoder.modality();
    }

    public Optional<float[]> vectorIfPresent() {
        return Optional.ofNullable(vector);
    }
}
