package dev.moodtag.label;

import dev.moodtag.encode.UtteranceEmbeddings;

import java.util.List;

/** The labeller of a model pack without a trained classifier: embeddings are computed, no label is claimed. */
public record NoClassifierLabeller(String why) implements Labeller {

    @Override
    public boolean present() {
        return false;
    }

    @Override
    public String description() {
        return why;
    }

    @Override
    public List<String> classes() {
        return List.of();
    }

    @Override
    public Labelling label(UtteranceEmbeddings embeddings) {
        return Labelling.none(why);
    }
}
