package dev.moodtag.encode.video;

import dev.moodtag.encode.Encoder;
import dev.moodtag.encode.EncoderContext;
import dev.moodtag.encode.EncoderFactory;
import dev.moodtag.pack.EncoderSpec;
import jakarta.enterprise.context.ApplicationScoped;

@ApplicationScoped
public class FaceExpressionEncoderFactory implements EncoderFactory {

    @Override
    public String kind() {
        return FaceExpressionEncoder.KIND;
    }

    @Override
    public Encoder create(EncoderSpec spec, EncoderContext context) {
        return new FaceExpressionEncoder(spec, context);
    }
}
