package dev.moodtag.encode.speech;

import dev.moodtag.encode.Encoder;
import dev.moodtag.encode.EncoderContext;
import dev.moodtag.encode.EncoderFactory;
import dev.moodtag.pack.EncoderSpec;
import jakarta.enterprise.context.ApplicationScoped;

@ApplicationScoped
public class MelEmbeddingSpeechEncoderFactory implements EncoderFactory {
    @Override
    public String kind() {
        return MelEmbeddingSpeechEncoder.KIND;
    }

    @Override
    public Encoder create(EncoderSpec spec, EncoderContext context) {
        return new MelEmbeddingSpeechEncoder(spec, context);
    }
}
