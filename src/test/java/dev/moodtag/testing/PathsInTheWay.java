package dev.moodtag.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What can stand at a name where a test expects a file or folder, made under one folder: a file, a folder, a loop of
 * two links, a link to nothing and a FIFO. The grids of path failures share them, so that each names the same cases.
 */
public record PathsInTheWay(Path file, Path folder, Path loop, Path dangling, Path fifo) {

    /** Makes them under {@code dir}: {@code file}, {@code folder}, {@code loop-a}/{@code loop-b}, {@code dangling}, {@code fifo}. */
    public static PathsInTheWay under(Path dir) throws IOException, InterruptedException {
        Path file = Files.writeString(dir.resolve("file"), "x");
        Path folder = Files.createDirectories(dir.resolve("folder"));
        Path loop = dir.resolve("loop-a");
        Files.createSymbolicLink(loop, dir.resolve("loop-b"));
        Files.createSymbolicLink(dir.resolve("loop-b"), loop);
        Path dangling = Files.createSymbolicLink(dir.resolve("dangling"), dir.resolve("gone"));
        Path fifo = dir.resolve("fifo");
        if (new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor() != 0) throw new IOException("mkfifo " + fifo);
        return new PathsInTheWay(file, folder, loop, dangling, fifo);
    }
}
