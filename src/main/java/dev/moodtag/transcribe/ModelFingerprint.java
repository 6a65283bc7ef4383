package dev.moodtag.transcribe;

import dev.moodtag.pack.ModelFile;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collection;
import java.util.Comparator;
import java.util.HexFormat;

/**
 * One sha256 for a model made of many files (a Vosk model is a folder): the sha256 of the lines
 * {@code "<location> <sha256>\n"}, sorted by location. It changes when any file, or the set of files, changes, and
 * is computed from the manifest's verified checksums without reading the files again.
 */
public final class ModelFingerprint {
    private ModelFingerprint() {
    }

    public static String of(Collection<ModelFile> files) {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        files.stream().sorted(Comparator.comparing(ModelFile::location))
                .forEach(f -> md.update((f.location() + " " + f.sha256() + "\n").getBytes(StandardCharsets.UTF_8)));
        return HexFormat.of().formatHex(md.digest());
    }
}
