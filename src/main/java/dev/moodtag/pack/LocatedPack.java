package dev.moodtag.pack;

import java.util.List;

/**
 * A model pack whose manifest was read and bound and whose files were looked up and sized ({@link
 * ModelPackLoader#located}), with the files not hashed yet. One per process ({@link ModelPackProducer}): the pack's
 * identity (what results record and skip-if-done compares) and the verified pack the models load from are the same
 * reading of the manifest, so a manifest replaced between the two cannot give a run one pack's name and another's models.
 */
public final class LocatedPack {

    private final ModelPack pack;
    private final List<ModelPackLoader.Check> unhashed;

    LocatedPack(ModelPack pack, List<ModelPackLoader.Check> unhashed) {
        this.pack = pack;
        this.unhashed = List.copyOf(unhashed);
    }

    /** The pack as the manifest describes it, not verified: for its identity and layout, never to run its models. */
    public ModelPack pack() {
        return pack;
    }

    List<ModelPackLoader.Check> unhashed() {
        return unhashed;
    }
}
