package dev.moodtag.testing;

import dev.moodtag.media.AudioTrack;
import dev.moodtag.media.FfmpegMediaDecoder;
import dev.moodtag.media.TestMediaConfig;

import javax.sound.sampled.AudioFileFormat;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * Writes one recording per speaker from a dataset manifest ({@code id,audio,label,group}): the speaker's clips with
 * the given labels, in a seeded random order, separated by 1.5–3.5 s of silence, as a 16 kHz mono WAV, and beside it
 * {@code <speaker>.clips.csv} (start, end, clip id, label), so that a timeline's segments can be scored against the
 * clip each one overlaps. For {@code bench/recording-eval.sh}: what the timeline's second pass gives across corpora,
 * measured on the product's own path.
 *
 * <p>With a dominant share {@code s}, each recording is one emotion's clips (the emotions taking turns over the
 * speakers in name order, in the order of {@code LABEL}s after mapping to 4 classes) plus as many clips of the other
 * emotions, drawn at random, as make that emotion {@code s} of the recording: a recording held in one mood.
 *
 * <p>Usage: {@code SpeakerRecordingWriter MANIFEST OUTDIR LABEL[,LABEL...] [GROUP-PREFIX [DOMINANT-SHARE]]}
 */
public final class SpeakerRecordingWriter {
    private SpeakerRecordingWriter() {
    }

    public static void main(String[] args) throws Exception {
        Path manifest = Path.of(args[0]), out = Path.of(args[1]);
        List<String> labels = List.of(args[2].split(","));
        String prefix = args.length > 3 ? args[3] : "";
        double dominantShare = args.length > 4 ? Double.parseDouble(args[4]) : 0;
        Map<String, List<String[]>> bySpeaker = new LinkedHashMap<>();
        List<String> lines = Files.readAllLines(manifest);
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split(",");
            if (f.length < 4 || !labels.contains(f[2]) || !f[3].startsWith(prefix)) continue;
            bySpeaker.computeIfAbsent(f[3], k -> new ArrayList<>()).add(f);
        }
        Files.createDirectories(out);
        FfmpegMediaDecoder decoder = new FfmpegMediaDecoder(TestMediaConfig.defaults());
        List<String> classes = List.of("neutral", "happy", "sad", "angry");
        int turn = 0;
        for (Map.Entry<String, List<String[]>> e : new java.util.TreeMap<>(bySpeaker).entrySet()) {
            String name = e.getKey().replaceAll("[^A-Za-z0-9_-]", "_");
            List<String[]> clips = new ArrayList<>(e.getValue());
            Random random = new Random(name.hashCode());
            Collections.shuffle(clips, random);
            if (dominantShare > 0) {
                String dominant = classes.get(turn++ % classes.size());
                List<String[]> mine = clips.stream().filter(c -> dominant.equals(canonical(c[2]))).toList();
                List<String[]> others = clips.stream().filter(c -> !dominant.equals(canonical(c[2]))).toList();
                int n = (int) Math.round(mine.size() * (1 - dominantShare) / dominantShare);
                clips = new ArrayList<>(mine);
                clips.addAll(others.subList(0, Math.min(n, others.size())));
                Collections.shuffle(clips, random);
            }
            List<float[]> pcm = new ArrayList<>();
            StringBuilder placed = new StringBuilder("start,end,id,label\n");
            double t = 1;
            List<double[]> at = new ArrayList<>();
            for (String[] c : clips) {
                float[] s = decoder.decode(manifest.toAbsolutePath().getParent().resolve(c[1]).normalize()).audio().samples();
                double end = t + s.length / (double) AudioTrack.RATE;
                at.add(new double[]{t, end});
                pcm.add(s);
                placed.append(String.format(Locale.ROOT, "%.3f,%.3f,%s,%s%n", t, end, c[0], c[2]));
                t = end + 1.5 + 2 * random.nextDouble();
            }
            int total = (int) Math.ceil((t + 1) * AudioTrack.RATE);
            byte[] bytes = new byte[total * 2];
            for (int i = 0; i < pcm.size(); i++) {
                int s0 = (int) Math.round(at.get(i)[0] * AudioTrack.RATE);
                float[] s = pcm.get(i);
                for (int k = 0; k < s.length; k++) {
                    int v = Math.round(Math.max(-1f, Math.min(1f, s[k])) * 32767f);
                    bytes[2 * (s0 + k)] = (byte) v;
                    bytes[2 * (s0 + k) + 1] = (byte) (v >> 8);
                }
            }
            AudioFormat format = new AudioFormat(AudioTrack.RATE, 16, 1, true, false);
            try (AudioInputStream in = new AudioInputStream(new ByteArrayInputStream(bytes), format, total)) {
                AudioSystem.write(in, AudioFileFormat.Type.WAVE, out.resolve(name + ".wav").toFile());
            }
            Files.writeString(out.resolve(name + ".clips.csv"), placed);
            System.out.printf(Locale.ROOT, "%s: %d clips, %.0f s%n", name, clips.size(), t + 1);
        }
    }

    private static String canonical(String label) {
        return switch (label) {
            case "happiness" -> "happy";
            case "sadness" -> "sad";
            case "anger" -> "angry";
            default -> label;
        };
    }
}
