package dev.moodtag.encode;

import dev.moodtag.pack.EncoderSpec;

/**
 * One {@code kind} of the pack manifest: its name, the record its {@code params} bind to (unknown keys refuse the
 * pack) and how it is built. Registered once, in {@link EncoderKinds}.
 *
 * @param <T> what it builds: an {@link Encoder}, or the pack's {@link SpeechActivityDetector}
 */
public record EncoderKind<T extends AutoCloseable>(String name, Class<? extends Record> parameters, Build<T> build) {

    @FunctionalInterface
    public interface Build<T> {
        /** Binds its own parameters ({@code EncoderParameters.bind}) and releases what it opened if it throws. */
        T create(EncoderSpec spec, EncoderContext context);
    }

    public T create(EncoderSpec spec, EncoderContext context) {
        return build.create(spec, context);
    }
}
