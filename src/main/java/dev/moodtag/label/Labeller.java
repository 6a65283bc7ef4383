package dev.moodtag.label;

import dev.moodtag.encode.UtteranceEmbeddings;

import java.util.List;

/**
 * The one seam between the function and classification: embeddings in, label out. The function never invents a
 * label; without a trained classifier it says so in every result.
 */
public interface Labeller {

    /** Whether a trained classifier is loaded; false means every {@link Labelling} has a null label and a reason. */
    boolean present();

    /** Identifies the classifier in results (e.g. its file's sha256), or why there is none. */
    String description();

    /** The classes it predicts; empty without a classifier. */
    List<String> classes();

    Labelling label(UtteranceEmbeddings embeddings);
}
