package dev.moodtag.watch;

import dev.moodtag.storage.LocalObjectStorage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The watcher's pass over the inbox: an entry it cannot read never hides the ones after it. */
class InboxScanTest {

    private static InboxScan.Listing scan(Path inbox, Optional<Path> skip) {
        return InboxScan.list(inbox, skip, n -> LocalObjectStorage.isInput(n, ".emotion.json"), false);
    }

    @Test
    void danglingLinksLinkLoopsAndVanishedTargetsNeverHideOtherFiles(@TempDir Path inbox) throws IOException {
        // A grid of folders, each with real files, dangling links (to nothing, to a removed file, to a removed folder)
        // and a link back to the inbox; names shuffled so that walk order puts broken entries everywhere.
        Random random = new Random(16);
        Set<Path> expected = new TreeSet<>();
        Set<Path> broken = new TreeSet<>();
        Path gone = Files.createDirectories(inbox.getParent().resolve(inbox.getFileName() + "-gone"));
        Path goneFile = Files.writeString(gone.resolve("was-here.wav"), "x");
        List<Path> folders = new ArrayList<>(List.of(inbox));
        for (int d = 0; d < 4; d++) folders.add(Files.createDirectories(inbox.resolve("session " + d).resolve("take-" + d)));
        for (Path folder : folders) {
            for (int i = 0; i < 6; i++) {
                String name = Integer.toString(random.nextInt(1_000_000), 36);
                expected.add(Files.writeString(folder.resolve(name + ".wav"), "riff" + i));
                broken.add(Files.createSymbolicLink(folder.resolve(name + "-a.mp4"), folder.resolve("missing-" + i + ".mp4")));
                broken.add(Files.createSymbolicLink(folder.resolve(name + "-b.wav"), goneFile));
                broken.add(Files.createSymbolicLink(folder.resolve(name + "-c.wav"), gone.resolve("sub/x.wav")));
            }
            Files.createSymbolicLink(folder.resolve("loop"), inbox); // a link to a folder is not followed
            Files.writeString(folder.resolve(".hidden.wav"), "");
            Files.writeString(folder.resolve("a.wav.emotion.json"), "{}");
        }
        Path target = Files.writeString(inbox.resolve("real.wav"), "real");
        Path link = Files.createSymbolicLink(inbox.resolve("linked.wav"), target);
        expected.add(target);
        expected.add(link);
        Files.delete(goneFile);
        Files.delete(gone);

        InboxScan.Listing l = scan(inbox, Optional.empty());
        assertEquals(expected, new TreeSet<>(l.files().keySet()));
        assertEquals(broken, new TreeSet<>(l.unusable().keySet()), "each dangling link is reported");
        assertEquals(4L, l.files().get(target).size());
        assertEquals(4L, l.files().get(link).size(), "a link to a file is listed with its target's attributes");
        assertEquals(Set.copyOf(folders.subList(0, folders.size())).size() + 4, l.folders().size(),
                "the inbox, 4 sessions and their takes: " + l.folders());
        assertTrue(l.folders().stream().noneMatch(f -> f.getFileName().toString().equals("loop")));
    }

    @Test
    void theOutboxInsideTheInboxIsNotEntered(@TempDir Path inbox) throws IOException {
        Path outbox = Files.createDirectories(inbox.resolve("out"));
        Files.writeString(outbox.resolve("x.wav"), "");
        Path media = Files.writeString(inbox.resolve("y.wav"), "");
        InboxScan.Listing l = scan(inbox, Optional.of(outbox));
        assertEquals(Set.of(media), l.files().keySet());
        assertEquals(List.of(inbox), l.folders());
    }

    @Test
    void aMissingInboxIsReportedNotThrown(@TempDir Path dir) {
        InboxScan.Listing l = scan(dir.resolve("none"), Optional.empty());
        assertTrue(l.files().isEmpty() && l.folders().isEmpty());
        assertEquals(Set.of(dir.resolve("none")), l.unusable().keySet());
    }
}
