package dev.moodtag.watch;

import dev.moodtag.storage.FileVersion;
import dev.moodtag.storage.LocalFailures;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.FileVisitor;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * One pass over an inbox: its folders (to watch) and the regular files that may be media, with their size,
 * modification time and file version. An entry that cannot be read (a dangling symbolic link, a file removed
 * mid-walk, a folder without permission) is reported and passed over: it never hides the entries after it, so one
 * broken link in a corner of the inbox cannot stop the box from seeing new recordings. Symbolic links to folders are not followed (a link loop
 * would never end); a link to a file is listed with its target's attributes, and the store decides whether it may be
 * read ({@code moodtag.storage.local.follow-links-within-root}).
 */
final class InboxScan {

    /**
     * How a file looked when listed: its size and modification time, and its {@link FileVersion} where the file system
     * gives one, since other bytes of the same size whose time was set back look the same by size and time alone.
     */
    record FileState(long size, long modifiedMillis, Optional<String> version) {
    }

    /**
     * @param folders  every folder reached, the inbox first
     * @param files    candidate files in walk order
     * @param unusable entries passed over, with why
     * @param others   entries that are not folders and whose names may not be media (results among them), when asked
     *                 for; nothing of them is read
     */
    record Listing(List<Path> folders, Map<Path, FileState> files, Map<Path, String> unusable, List<Path> others) {
    }

    private InboxScan() {
    }

    /**
     * @param skip      a folder not to enter (the outbox, when it lies inside the inbox)
     * @param candidate  which file names may be media (not hidden, not a result, not a partial write)
     * @param listOthers whether to list the entries whose names {@code candidate} refuses too
     */
    static Listing list(Path inbox, Optional<Path> skip, Predicate<String> candidate, boolean listOthers) {
        List<Path> folders = new ArrayList<>(), others = new ArrayList<>();
        Map<Path, FileState> files = new LinkedHashMap<>();
        Map<Path, String> unusable = new LinkedHashMap<>();
        try {
            Files.walkFileTree(inbox, EnumSet.noneOf(java.nio.file.FileVisitOption.class), Integer.MAX_VALUE,
                    new FileVisitor<>() {
                        @Override
                        public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes a) {
                            if (skip.isPresent() && dir.startsWith(skip.get())) return FileVisitResult.SKIP_SUBTREE;
                            folders.add(dir);
                            return FileVisitResult.CONTINUE;
                        }

                        @Override
                        public FileVisitResult visitFile(Path file, BasicFileAttributes a) {
                            if (!candidate.test(file.getFileName().toString())) {
                                if (listOthers) others.add(file);
                                return FileVisitResult.CONTINUE;
                            }
                            BasicFileAttributes target = a;
                            LinkOption[] follow = {LinkOption.NOFOLLOW_LINKS};
                            if (a.isSymbolicLink()) {
                                follow = new LinkOption[0];
                                try {
                                    target = Files.readAttributes(file, BasicFileAttributes.class);
                                } catch (IOException e) {
                                    unusable.put(file, "symbolic link to nothing readable (" + e.getMessage() + ")");
                                    return FileVisitResult.CONTINUE;
                                }
                            }
                            if (target.isRegularFile())
                                files.put(file, new FileState(target.size(), target.lastModifiedTime().toMillis(),
                                        FileVersion.of(file, target.fileKey(), follow)));
                            return FileVisitResult.CONTINUE;
                        }

                        @Override
                        public FileVisitResult visitFileFailed(Path file, IOException e) {
                            unusable.put(file, "cannot be read: " + LocalFailures.inWords(e, file));
                            return FileVisitResult.CONTINUE;
                        }

                        @Override
                        public FileVisitResult postVisitDirectory(Path dir, IOException e) {
                            if (e != null) unusable.put(dir, "listing stopped: " + LocalFailures.inWords(e, dir));
                            return FileVisitResult.CONTINUE;
                        }
                    });
        } catch (IOException e) {
            // Only what the visitor rethrows ends a walk, and it rethrows nothing: kept for the signature.
            unusable.put(inbox, "cannot be walked: " + LocalFailures.inWords(e, inbox));
        }
        return new Listing(List.copyOf(folders), files, unusable, List.copyOf(others));
    }
}
