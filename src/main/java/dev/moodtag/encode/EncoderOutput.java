package dev.moodtag.encode;

/** What an encoder made of one utterance: a vector, or the reason there is none. */
public sealed interface EncoderOutput {

    record Vector(float[] values) implements EncoderOutput {
    }

    record Missing(String reason) implements EncoderOutput {
    }

    static EncoderOutput of(float[] values) {
        return new Vector(values);
    }

    static EncoderOutput missing(String reason) {
        return new Missing(reason);
    }
}
