package dev.moodtag.encode;

import dev.moodtag.pack.EncoderSpec;

/**
 * Builds the encoder for one {@link #kind()} of the pack manifest. Implementations are CDI beans, found by the
 * engine through {@code Instance<EncoderFactory>}, so a new kind is a new bean and no caller changes.
 */
public interface EncoderFactory {

    /** The manifest's {@code kind} this factory serves, e.g. {@code bert-text}. */
    String kind();

    Encoder create(EncoderSpec spec, EncoderContext context);
}
