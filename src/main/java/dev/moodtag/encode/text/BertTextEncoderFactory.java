package dev.moodtag.encode.text;

import dev.moodtag.encode.Encoder;
import dev.moodtag.encode.EncoderContext;
import dev.moodtag.encode.EncoderFactory;
import dev.moodtag.pack.EncoderSpec;
import jakarta.enterprise.context.ApplicationScoped;

@ApplicationScoped
public class BertTextEncoderFactory implements EncoderFactory {
    @Override
    public String kind() {
        return "bert-text";
    }

    @Override
    public Encoder create(EncoderSpec spec, EncoderContext context) {
        return new BertTextEncoder(spec, context);
    }
}
