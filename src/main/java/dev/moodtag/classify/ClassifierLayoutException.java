package dev.moodtag.classify;

import dev.moodtag.pack.ModelPackException;

/**
 * A stored classifier does not fit the model pack it is loaded with: it was trained on blocks that the pack's
 * encoders do not produce (another encoder, dimension, model file or preprocessing). Serving it would feed it
 * vectors from a different space, so loading refuses.
 */
public class ClassifierLayoutException extends ModelPackException {
    public ClassifierLayoutException(String message) {
        super(message);
    }
}
