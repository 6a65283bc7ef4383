package dev.moodtag.tagging;

import dev.moodtag.storage.StorageConfig;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import java.nio.file.Path;

/** One {@link ScratchSpace} per process, swept once when it is first used, whatever number of recognizers share it. */
public class ScratchSpaces {

    @Produces
    @Singleton
    ScratchSpace scratchSpace(StorageConfig storageConfig) {
        ScratchSpace scratch = new ScratchSpace(Path.of(storageConfig.tempDir().orElse(System.getProperty("java.io.tmpdir"))));
        scratch.sweep();
        return scratch;
    }
}
