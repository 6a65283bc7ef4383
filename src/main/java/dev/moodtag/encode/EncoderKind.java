package dev.moodtag.encode;

import dev.moodtag.pack.EncoderSpec;

/**
 * One {@code kind} of the pack manifest's encoders: its name, the record its {@code params} bind to (unknown keys
 * refuse the pack) and how an encoder of that kind is built. Registered once, in {@link EncoderKinds}.
 */
public record EncoderKind(String name, Class<? extends Record> parameters, Build build) {

    @FunctionalInterface
    public interface Build {
        /** Binds its own parameters ({@code EncoderParameters.bind}) and releases what it opened if it throws. */
        Encoder create(EncoderSpec spec, EncoderContext context);
    }

    public Encoder create(EncoderSpec spec, EncoderContext context) {
        return build.create(spec, context);
    }
}
