package dev.moodtag.encode;

/** What an encoder made of one utterance: a vector, or the reason there is none. */
public sealed interface EncoderOutput {

    /** @param note how the input was read when that is worth recording (e.g. a text in several windows); null if not */
    record Vector(float[] values, String note) implements EncoderOutput {
    }

    record Missing(String reason) implements EncoderOutput {
    }

    static EncoderOutput of(float[] values) {
        return new Vector(values, null);
    }

    static EncoderOutput of(float[] values, String note) {
        return new Vector(values, note);
    }

    static EncoderOutput missing(String reason) {
        return new Missing(reason);
    }
}
