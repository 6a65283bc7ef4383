package dev.moodtag.classify;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.runtime.annotations.RegisterForReflection;

import java.util.List;

/**
 * {@code classifier.json} as records, bound by Jackson with unknown fields refused: what {@link ClassifierStore}
 * writes and reads. Format 1; {@code type} per part was added without a format change (absent = {@code libsvm}, the
 * only type written before), so every classifier already shipped still loads.
 */
@RegisterForReflection(targets = {ClassifierJson.File.class, ClassifierJson.Block.class, ClassifierJson.Part.class,
        ClassifierJson.Scaler.class, ClassifierJson.Rows.class})
final class ClassifierJson {
    private ClassifierJson() {
    }

    /**
     * @param mode     {@code early} or {@code late}
     * @param layout   the blocks a sample is made of, in order
     * @param training free-form record of how it was trained (manifest hash, label map, CV figures)
     */
    record File(int format, String mode, List<String> classes, List<Block> layout, List<Part> parts, JsonNode training) {
    }

    record Block(String id, String modality, int dim, String fingerprint) {
    }

    /**
     * @param model        the part's model file, a regular file in {@code classifier.json}'s folder
     * @param sha256       the model file's sha256, checked when the classifier loads; absent in files written before
     *                     it was recorded, which load unchecked (with a warning)
     * @param type         its {@link ClassifierType}; null in files written before types were recorded (LIBSVM)
     * @param weight       its weight in late fusion (default 1)
     * @param blocks       the layout block ids it reads
     * @param blockWeights per block (default all 1)
     * @param standardisedOver {@code recording} for a part that reads its blocks standardised over a recording
     *                     ({@link StandardisedOver}); absent for one that reads an utterance's vectors as they are,
     *                     so files written before it existed load, and are written, unchanged
     * @param rows         the rows it was trained on ({@link TrainingRows}), shipped for a part a batch may train
     *                     again; absent for every other part, and in files written before rows were shipped
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Part(String model, String sha256, String type, Double weight, SvmParams params, List<String> blocks, double[] blockWeights,
                List<Scaler> scalers, String standardisedOver, Rows rows) {
    }

    /**
     * @param file     the rows file, a regular file in {@code classifier.json}'s folder
     * @param sha256   its sha256, checked when the classifier loads (always recorded)
     * @param count    how many rows it holds
     * @param settings how {@code moodtag train} trained the part, so that it is trained again the same way
     */
    record Rows(String file, String sha256, int count, JsonNode settings) {
    }

    record Scaler(double[] mean, double[] scale) {
    }
}
