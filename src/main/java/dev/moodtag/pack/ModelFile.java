package dev.moodtag.pack;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One verified file of the pack: either a path on disk or a classpath resource (models that ship inside a
 * Maven artifact, such as the bge-small text encoder).
 *
 * @param location  as written in the manifest ({@code speech/melspectrogram.onnx}, {@code classpath:x.onnx})
 * @param path      the resolved file, or null for a classpath resource
 * @param precision {@code int8}, {@code fp32} or {@code n/a} (tokenizers, configuration)
 */
public record ModelFile(String role, String location, Path path, String sha256, String precision) {

    public static final String CLASSPATH = "classpath:";

    public boolean onClasspath() {
        return path == null;
    }

    public InputStream open() throws IOException {
        if (path != null) return Files.newInputStream(path);
        String resource = location.substring(CLASSPATH.length());
        InputStream in = Thread.currentThread().getContextClassLoader().getResourceAsStream(resource);
        if (in == null) in = ModelFile.class.getClassLoader().getResourceAsStream(resource);
        if (in == null) throw new IOException("classpath resource " + resource + " not found");
        return in;
    }

    public byte[] readAllBytes() {
        try (InputStream in = open()) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("reading model file " + location, e);
        }
    }
}
