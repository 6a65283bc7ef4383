package dev.moodtag.classify;

/** How the blocks of a feature vector reach the classifier. */
public enum FusionMode {
    /** The paper's method: standardise each block, concatenate, one SVM. */
    EARLY,
    /**
     * One probability SVM per modality, combined by a weighted mean of log-probabilities over the modalities an
     * utterance has; serves utterances with a missing modality.
     */
    LATE
}
