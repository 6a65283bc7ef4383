package dev.moodtag.transcribe;

import dev.moodtag.support.Sha256;
import dev.moodtag.pack.ModelFile;

import java.util.Collection;
import java.util.Comparator;
import java.util.stream.Collectors;

/**
 * One sha256 for a model made of many files (a Vosk model is a folder): the sha256 of the lines
 * {@code "<location> <sha256>\n"}, sorted by location. It changes when any file, or the set of files, changes, and
 * is computed from the manifest's verified checksums without reading the files again.
 */
public final class ModelFingerprint {
    private ModelFingerprint() {
    }

    public static String of(Collection<ModelFile> files) {
        return Sha256.of(files.stream().sorted(Comparator.comparing(ModelFile::location))
                .map(f -> f.location() + " " + f.sha256() + "\n").collect(Collectors.joining()));
    }
}
