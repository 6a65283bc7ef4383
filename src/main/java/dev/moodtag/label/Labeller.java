package dev.moodtag.label;

import dev.moodtag.encode.UtteranceEmbeddings;

import java.util.List;
import java.util.Optional;

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

    /**
     * The classifier's parts that read blocks standardised over a whole recording (trained with
     * {@code --normalise speaker}); empty when it has none, which is every classifier trained before them.
     */
    default Optional<OverRecording> overRecording() {
        return Optional.empty();
    }

    /** Labelling a recording's segments once the recording's statistics are known. */
    interface OverRecording {
        /** What a segment keeps until the recording ends: the classifier's input, one vector (or null) per block. */
        float[][] sample(UtteranceEmbeddings embeddings);

        /** The block positions to standardise over the recording. */
        int[] blocks();

        /** A segment's labelling with {@code standardised} (its sample, {@link #blocks()} standardised) read by the recording parts. */
        Labelling label(float[][] sample, float[][] standardised);

        /**
         * Why the recording parts cannot be trained again with a batch's clips added (self-training); empty when
         * they can, i.e. each ships the rows it was trained on.
         */
        default Optional<String> whyNotRetrainable() {
            return Optional.of("this classifier cannot be trained again");
        }

        /**
         * The same labelling with each recording part trained again, as {@code moodtag train} trained it, on its
         * shipped rows and {@code added} (samples with {@link #blocks()} standardised over their batch) under
         * {@code labels}.
         *
         * @param progress told of the fits while they run
         * @throws IllegalStateException when {@link #whyNotRetrainable()} is not empty
         */
        default OverRecording retrained(List<float[][]> added, List<String> labels,
                                        dev.moodtag.train.TrainingProgress progress) {
            throw new IllegalStateException(whyNotRetrainable().orElse("not retrainable"));
        }
    }
}
