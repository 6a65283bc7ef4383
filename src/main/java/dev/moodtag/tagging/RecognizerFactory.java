package dev.moodtag.tagging;

import dev.moodtag.storage.LocalObjectStorage;
import dev.moodtag.storage.S3ObjectStorage;
import dev.moodtag.storage.StorageRouter;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;

/**
 * Recognizers over a storage other than the configured one (the watch mode's inbox and outbox), sharing the
 * application's steps (filters, copies, decoder, engine, labeller, result documents), so nothing wires one by hand.
 */
@ApplicationScoped
public class RecognizerFactory {

    private final S3ObjectStorage s3;
    private final RecognizerSteps steps;

    public RecognizerFactory(S3ObjectStorage s3, RecognizerSteps steps) {
        this.s3 = s3;
        this.steps = steps;
    }

    /** A recognizer that reaches only {@code local}: {@code file://} events outside its roots are refused. */
    public Recognizer forStorage(LocalObjectStorage local) {
        return new Recognizer(new StorageRouter(List.of(local)), local, s3, steps);
    }
}
