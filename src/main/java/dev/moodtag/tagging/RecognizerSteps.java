package dev.moodtag.tagging;

import dev.moodtag.encode.EmbeddingEngine;
import dev.moodtag.label.Labeller;
import dev.moodtag.transcribe.TranscribeConfig;
import dev.moodtag.transcribe.TranscriptGate;
import jakarta.inject.Singleton;

/**
 * The steps of tagging one object, in the order {@link Recognizer} runs them; none of them depends on the storage,
 * so every recognizer of the process shares them. A singleton, not a proxied bean: its fields are read directly.
 */
@Singleton
public class RecognizerSteps {

    final ObjectFilter filter;
    final ResultLocator results;
    final ScratchSpace scratch;
    final ObjectCopier copier;
    final UtteranceTagger tagger;
    final ResultWriter writer;
    final FunctionMetrics metrics;
    final FunctionConfig config;
    final EmbeddingEngine engine;
    final Labeller labeller;
    final ResultAssembler assembler;

    RecognizerSteps(ObjectFilter filter, ResultLocator results, ScratchSpace scratch, ObjectCopier copier,
                    UtteranceTagger tagger, ResultWriter writer, FunctionMetrics metrics, FunctionConfig config,
                    EmbeddingEngine engine, Labeller labeller, ResultAssembler assembler, TranscribeConfig transcribe) {
        // The recogniser, and the gate that judges its transcripts, load at the first object that needs them: a gate
        // threshold out of range failed each such object as internal, where it is refused here, at start.
        TranscriptGate.fromConfig(transcribe);
        this.filter = filter;
        this.results = results;
        this.scratch = scratch;
        this.copier = copier;
        this.tagger = tagger;
        this.writer = writer;
        this.metrics = metrics;
        this.config = config;
        this.engine = engine;
        this.labeller = labeller;
        this.assembler = assembler;
    }
}
