package dev.moodtag.media;

import dev.moodtag.media.MediaException.Kind;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.function.UnaryOperator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Hostile chained Ogg files, and raw ADTS and FLAC joins whose rate changes, decoded on every path (one pass, in parts,
 * streamed) under a short time budget: each variant decodes to the same samples on every path or fails with the same
 * typed {@link MediaException} on every path, never another exception, never past its budget and a margin, and the
 * decoder leaves no file open behind it. The variants start from real chained files and are mutated deterministically
 * (one seed): page headers (granule positions, serial numbers, the beginning-of-stream flag, segment tables claiming
 * more than the file holds, each with its checksum made right again so the demuxer reads it), the codecs'
 * identification headers (rates of 0, 1, 2^31-1 and negative, channel counts of 0 and 255), the file cut at page
 * boundaries and mid-page. The grid is sized to run in well under a minute on 2 cores.
 */
class OggChainFuzzTest {
    private static final long SEED = 20261206;
    private static final Duration BUDGET = Duration.ofSeconds(4);
    /** What a decode may take past its budget: one frame, the grabber's open and release, a loaded machine. */
    private static final long MARGIN_MILLIS = 3_000;

    /** What one path made of a file: its samples, or the kind of its typed error, or another throwable. */
    record Outcome(float[] samples, Kind kind, Throwable other, long millis) {
        String describe() {
            if (kind != null) return kind + " (" + other.getMessage() + ")";
            if (other != null) return "threw " + other;
            return samples.length + " samples";
        }

        boolean sameAs(Outcome o) {
            if (kind != null || o.kind != null) return kind == o.kind;
            if (other != null || o.other != null) return false;
            return Arrays.equals(samples, o.samples);
        }
    }

    static Outcome decodeOn(int path, Path file, Duration budget) {
        long t0 = System.nanoTime();
        // a cap of 1: stopped at the budget on the wall clock, however starved, as what is checked is the bound
        TimeBudget time = TimeBudget.start(budget, 0, 1);
        try {
            float[] samples;
            if (path < 2) {
                AudioTrack samples0 = new FfmpegMediaDecoder(TestMediaConfig.defaults().withParallelDecoding(path == 1))
                        .decode(file, null, DecodeListener.NONE, new DecodeBounds(Double.POSITIVE_INFINITY, time))
                        .audio();
                samples = samples0 == null ? new float[0] : samples0.samples();
            } else {
                samples = StreamedAudio.of(file, time);
            }
            return new Outcome(samples, null, null, (System.nanoTime() - t0) / 1_000_000);
        } catch (MediaException e) {
            return new Outcome(null, e.kind(), e, (System.nanoTime() - t0) / 1_000_000);
        } catch (Throwable e) {
            return new Outcome(null, null, e, (System.nanoTime() - t0) / 1_000_000);
        }
    }

    /** What is wrong with the variant's outcomes on the three paths, or null. */
    static String check(String what, Path file, Duration budget) {
        Outcome[] o = new Outcome[3];
        for (int path = 0; path < 3; path++) o[path] = decodeOn(path, file, budget);
        // Where the paths disagree, one the machine's load kept waiting is retried, as the product retries a starved
        // object: what each would give on an idle core is what they are compared on.
        for (int again = 0; again < 3 && disagreement(o) != null; again++)
            for (int path = 0; path < 3; path++)
                if (TimeBudget.Starved.explains(o[path].other)) o[path] = decodeOn(path, file, budget);
        StringBuilder wrong = new StringBuilder();
        for (int path = 0; path < 3; path++) {
            if (o[path].other != null && !(o[path].other instanceof MediaException))
                wrong.append(" path ").append(path).append(" threw ").append(o[path].other);
            if (o[path].millis > budget.toMillis() + MARGIN_MILLIS)
                wrong.append(" path ").append(path).append(" took ").append(o[path].millis).append(" ms");
        }
        String disagreement = disagreement(o);
        if (disagreement != null) wrong.append(disagreement);
        return wrong.isEmpty() ? null : what + ":" + wrong;
    }

    /** How the three paths' outcomes differ, or null where they agree. */
    private static String disagreement(Outcome[] o) {
        // the limit on one utterance's length is the decode paths' own: streaming has none
        boolean utteranceLimit = o[0].kind == Kind.LIMIT_EXCEEDED && o[0].other.getMessage().contains("for one utterance");
        if (o[0].sameAs(o[1]) && (utteranceLimit || o[0].sameAs(o[2]))) return null;
        return " paths disagree: " + o[0].describe() + " / " + o[1].describe() + " / " + o[2].describe();
    }

    // ---- the files

    /** A chained Ogg: {@code seconds} of sweep in {@code codec} at each rate, the files joined with cat. */
    static byte[] chained(String codec, String ext, double seconds, int... rates) throws Exception {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (int i = 0; i < rates.length; i++) {
            String name = "fuzz-" + codec + "-" + rates[i] + "-" + seconds + "-" + i + "." + ext;
            List<String> args = new ArrayList<>(List.of("-f", "lavfi", "-i",
                    "aevalsrc=0.5*sin(2*PI*(" + (440 + 220 * i) + "+100*t)*t):s=" + rates[i] + ":d=" + seconds));
            if (codec.equals("vorbis")) args.addAll(List.of("-ac", "2", "-c:a", "vorbis", "-strict", "-2"));
            else args.addAll(List.of("-c:a", codec));
            args.addAll(List.of("-f", "ogg", name));
            TestMediaWriter.ffmpeg(args.toArray(String[]::new));
            all.write(Files.readAllBytes(TestMediaWriter.DIR.resolve(name)));
        }
        return all.toByteArray();
    }

    static byte[] film(int... rates) throws Exception {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (int i = 0; i < rates.length; i++) {
            String name = "fuzz-film-" + rates[i] + "-" + i + ".ogv";
            TestMediaWriter.ffmpeg("-f", "lavfi", "-i", "testsrc=size=64x48:rate=10:duration=1", "-f", "lavfi", "-i",
                    "aevalsrc=0.5*sin(2*PI*440*t):s=" + rates[i] + ":d=1", "-c:v", "libvpx", "-ac", "2", "-c:a", "vorbis",
                    "-strict", "-2", name);
            all.write(Files.readAllBytes(TestMediaWriter.DIR.resolve(name)));
        }
        return all.toByteArray();
    }

    static Path write(String name, byte[] bytes) throws Exception {
        Files.createDirectories(TestMediaWriter.DIR);
        return Files.write(TestMediaWriter.DIR.resolve(name), bytes);
    }

    // ---- Ogg pages

    /** Where each page starts, walked by the pages' own lengths. */
    static List<Integer> pages(byte[] ogg) {
        List<Integer> at = new ArrayList<>();
        for (int p = 0; p + 27 <= ogg.length && ogg[p] == 'O' && ogg[p + 1] == 'g' && ogg[p + 2] == 'g' && ogg[p + 3] == 'S'; ) {
            at.add(p);
            int segments = ogg[p + 26] & 0xff, length = 27 + segments;
            if (p + length > ogg.length) break;
            for (int i = 0; i < segments; i++) length += ogg[p + 27 + i] & 0xff;
            p += length;
        }
        return at;
    }

    /** The page at {@code p} given its right checksum again, so that the demuxer reads what was changed in it. */
    static void recrc(byte[] ogg, int p) {
        int segments = ogg[p + 26] & 0xff, length = 27 + segments;
        if (p + length > ogg.length) return;
        for (int i = 0; i < segments; i++) length += ogg[p + 27 + i] & 0xff;
        length = Math.min(length, ogg.length - p);
        ByteBuffer.wrap(ogg, p + 22, 4).order(ByteOrder.LITTLE_ENDIAN).putInt(OggPages.checksum(ogg, p, length));
    }

    /** {@code n} pages of no segments, each with its right checksum (the walk checks them as it goes). */
    static byte[] emptyPages(int n) {
        byte[] page = new byte[27];
        System.arraycopy("OggS".getBytes(java.nio.charset.StandardCharsets.US_ASCII), 0, page, 0, 4);
        recrc(page, 0);
        byte[] all = new byte[page.length * n];
        for (int p = 0; p < all.length; p += page.length) System.arraycopy(page, 0, all, p, page.length);
        return all;
    }

    static byte[] onPage(byte[] ogg, int p, java.util.function.Consumer<ByteBuffer> change) {
        byte[] b = ogg.clone();
        change.accept(ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN));
        recrc(b, p);
        return b;
    }

    /** The variants of one chained file. */
    static Map<String, byte[]> variants(byte[] ogg, Random random) {
        Map<String, byte[]> v = new LinkedHashMap<>();
        List<Integer> pages = pages(ogg);
        // the pages that begin a stream (where the identification headers are) and a few others, chosen by the seed
        List<Integer> chosen = new ArrayList<>();
        for (int p : pages) if ((ogg[p + 5] & 0x02) != 0) chosen.add(p);
        for (int i = 0; i < 4 && pages.size() > 1; i++) chosen.add(pages.get(1 + random.nextInt(pages.size() - 1)));
        for (int p : chosen) {
            long granule = ByteBuffer.wrap(ogg, p + 6, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
            v.put("granule -1 @" + p, onPage(ogg, p, b -> b.putLong(p + 6, -1)));
            v.put("granule 0 @" + p, onPage(ogg, p, b -> b.putLong(p + 6, 0)));
            v.put("granule huge @" + p, onPage(ogg, p, b -> b.putLong(p + 6, Long.MAX_VALUE / 3)));
            v.put("granule going back @" + p, onPage(ogg, p, b -> b.putLong(p + 6, granule / 2 - 100_000)));
            v.put("serial @" + p, onPage(ogg, p, b -> b.putInt(p + 14, b.getInt(p + 14) ^ 0x5a5a)));
            v.put("bos flipped @" + p, onPage(ogg, p, b -> b.put(p + 5, (byte) (b.get(p + 5) ^ 0x02))));
            v.put("segments claim more @" + p, onPage(ogg, p, b -> b.put(p + 26, (byte) 255)));
            int segments = ogg[p + 26] & 0xff, body = p + 27 + segments;
            if ((ogg[p + 5] & 0x02) == 0 || body + 40 > ogg.length) continue;
            // the identification header of the stream this page begins
            if (ogg[body] == 1 && ogg[body + 1] == 'v') {
                for (long rate : new long[]{0, 1, Integer.MAX_VALUE, -44_100, 8_000})
                    v.put("vorbis rate " + rate + " @" + p, onPage(ogg, p, b -> b.putInt(body + 12, (int) rate)));
                for (int channels : new int[]{0, 1, 255})
                    v.put("vorbis channels " + channels + " @" + p, onPage(ogg, p, b -> b.put(body + 11, (byte) channels)));
            } else if (ogg[body] == 'O' && ogg[body + 1] == 'p') {
                for (int channels : new int[]{0, 1, 255})
                    v.put("opus channels " + channels + " @" + p, onPage(ogg, p, b -> b.put(body + 9, (byte) channels)));
                v.put("opus pre-skip huge @" + p, onPage(ogg, p, b -> b.putShort(body + 10, (short) 0xffff)));
                v.put("opus rate 0 @" + p, onPage(ogg, p, b -> b.putInt(body + 12, 0)));
            } else if (ogg[body] == 0x7f && ogg[body + 1] == 'F') {
                // STREAMINFO's 20-bit rate from body + 27, then 3 bits of channels less one
                for (int rate : new int[]{0, 1, 0xfffff, 7_350, 96_000})
                    v.put("flac rate " + rate + " @" + p, onPage(ogg, p, b -> {
                        b.put(body + 27, (byte) (rate >> 12));
                        b.put(body + 28, (byte) (rate >> 4));
                        b.put(body + 29, (byte) ((rate & 0xf) << 4 | (b.get(body + 29) & 0x0f)));
                    }));
            }
        }
        // cut at page boundaries (at most 12, chosen by the seed) and mid-page
        for (int i = 0; i < Math.min(12, pages.size()); i++) {
            int p = pages.get(pages.size() <= 12 ? i : random.nextInt(pages.size()));
            if (p > 0) v.put("cut at page @" + p, Arrays.copyOf(ogg, p));
            int mid = p + 13 + random.nextInt(200);
            if (mid < ogg.length) v.put("cut mid-page @" + mid, Arrays.copyOf(ogg, mid));
        }
        return v;
    }

    @Test
    void hostileChainedOggIsDecodedOrRefusedAlikeOnEveryPath() throws Exception {
        Map<String, byte[]> bases = new LinkedHashMap<>();
        bases.put("vorbis-44100-48000", chained("vorbis", "ogg", 1, 44_100, 48_000));
        bases.put("vorbis-48000-22050", chained("vorbis", "ogg", 1, 48_000, 22_050));
        bases.put("opus", chained("libopus", "opus", 1, 48_000, 16_000));
        bases.put("flac-44100-48000", chained("flac", "oga", 1, 44_100, 48_000));
        bases.put("film-44100-48000", film(44_100, 48_000));
        Random random = new Random(SEED);
        List<String> wrong = new ArrayList<>();
        int n = 0;
        long t0 = System.nanoTime();
        for (Map.Entry<String, byte[]> base : bases.entrySet()) {
            for (Map.Entry<String, byte[]> variant : variants(base.getValue(), random).entrySet()) {
                String what = base.getKey() + ", " + variant.getKey();
                Path file = write("fuzz-variant.ogg", variant.getValue());
                String w = check(what, file, BUDGET);
                n++;
                if (w != null) wrong.add(w);
            }
        }
        System.out.printf(Locale.ROOT, "ogg fuzz grid: %d variants x 3 paths in %.1f s%n", n, (System.nanoTime() - t0) / 1e9);
        assertTrue(wrong.isEmpty(), wrong.size() + " of " + n + " variants:\n" + String.join("\n", wrong.subList(0, Math.min(40, wrong.size()))));
    }

    /**
     * Chains FFmpeg's Ogg demuxer stops at though their rate is the same ({@link OggChains#notFollowedAfter}): another
     * codec (Vorbis then Opus, Opus then Vorbis, FLAC then Vorbis, Vorbis then FLAC), Opus whose channels change, and a
     * film. Until 2026-12-06 each decoded as its first stream alone, 1 s of 2, without a word; now the audio is all
     * there on every path, and the film is refused, as one whose rate changes is.
     */
    @Test
    void chainsTheDemuxerStopsAtAreDecodedOrRefusedNotCut() throws Exception {
        byte[] vorbis = chained("vorbis", "ogg", 1, 44_100), opus = chained("libopus", "opus", 1, 48_000);
        byte[] flac = chained("flac", "oga", 1, 44_100), mono = opus(1, 48_000, 1), stereo = opus(1, 48_000, 2);
        Object[][] cases = {{"vorbis-opus", vorbis, opus}, {"opus-vorbis", opus, vorbis}, {"flac-vorbis", flac, vorbis},
                {"vorbis-flac", vorbis, flac}, {"opus-mono-stereo", mono, stereo}, {"opus-stereo-mono", stereo, mono}};
        for (Object[] c : cases) {
            Path a = write("fuzz-first-" + c[0] + ".ogg", (byte[]) c[1]), b = write("fuzz-second-" + c[0] + ".ogg", (byte[]) c[2]);
            Path joined = write("fuzz-" + c[0] + ".ogg", concat((byte[]) c[1], (byte[]) c[2]));
            String wrong = check(c[0].toString(), joined, Duration.ofSeconds(20));
            assertNull(wrong, wrong);
            double whole = decodeOn(0, joined, Duration.ofSeconds(20)).samples.length / 16_000.0;
            double parts = (decodeOn(0, a, Duration.ofSeconds(20)).samples.length + decodeOn(0, b, Duration.ofSeconds(20)).samples.length) / 16_000.0;
            assertEquals(parts, whole, 0.05, c[0] + ": as long as its two streams");
        }
        Path film = write("fuzz-film-same-rate.ogv", film(44_100, 44_100));
        for (int path = 0; path < 3; path++) {
            Outcome o = decodeOn(path, film, Duration.ofSeconds(20));
            assertEquals(Kind.UNSUPPORTED, o.kind, "the chained film on path " + path + ": " + o.describe());
            assertTrue(o.other.getMessage().contains("its audio goes on in another stream (vorbis) at 1.0"), o.other.getMessage());
        }
    }

    /**
     * Chains of Vorbis and Opus streams of any length, down to one packet, as an internet radio dump holds them (a
     * jingle, a station ID, a stream cut after a second): 2 to 20 links of 1 ms, 10 ms, 100 ms, 1 s and 5 s, at 8, 22.05,
     * 44.1 and 48 kHz, Opus mono and stereo, chosen by the seed. Each decodes on every path to its links decoded one by
     * one, in order: as many samples, each link's where the ones before it end. A link whose audio fits in one page has
     * no start time of its own in FFmpeg's Ogg demuxer, which times it on from the stream before; its frames were taken
     * for the next stream's priming and dropped by their times: until 2026-12-06 a 10 ms link between two 1 s ones was
     * lost whole (32,027 samples of 32,367), 200 ms lost 339 samples and kept 23 ms of noise, and four 10 ms links at
     * alternating rates decoded to nothing at all.
     */
    @Test
    void shortLinksOfAChainDecodeWholeAndInOrder() throws Exception {
        double[] lengths = {0.001, 0.01, 0.1, 1, 5};
        int[] rates = {8_000, 22_050, 44_100, 48_000};
        Map<String, byte[]> pool = new LinkedHashMap<>();
        Map<String, float[]> alone = new LinkedHashMap<>();
        for (double seconds : lengths) {
            for (int rate : rates) pool.put("vorbis " + rate + " " + seconds + " s", link("vorbis", seconds, rate, 2, pool.size()));
            for (int channels : new int[]{1, 2})
                pool.put("opus " + channels + "ch " + seconds + " s", link("libopus", seconds, 48_000, channels, pool.size()));
        }
        for (Map.Entry<String, byte[]> link : pool.entrySet()) {
            Outcome o = decodeOn(0, write("fuzz-link.ogg", link.getValue()), Duration.ofSeconds(20));
            // an Opus link of 1 ms decodes to nothing alone (its pre-skip is longer): it adds nothing to a chain either
            assertTrue(o.samples != null || o.kind == Kind.NO_USABLE_STREAM && link.getKey().endsWith(" 0.001 s"),
                    link.getKey() + " alone: " + o.describe());
            alone.put(link.getKey(), o.samples == null ? new float[0] : o.samples);
        }
        List<String> names = new ArrayList<>(pool.keySet());
        Random random = new Random(SEED);
        List<String> wrong = new ArrayList<>();
        int[] sizes = {2, 3, 4, 5, 8, 13, 20};
        for (int n = 0; n < 28; n++) {
            int links = sizes[n % sizes.length];
            // a third Vorbis alone, a third Opus alone, a third both; 5 s links rarer than the short ones
            String only = n % 3 == 0 ? "vorbis" : n % 3 == 1 ? "opus" : "";
            List<String> chain = new ArrayList<>();
            while (chain.size() < links) {
                String name = names.get(random.nextInt(names.size()));
                if (name.startsWith(only) && (!name.endsWith(" 5.0 s") || random.nextInt(4) == 0)) chain.add(name);
            }
            byte[][] bytes = new byte[links][];
            List<float[]> expected = new ArrayList<>();
            for (int i = 0; i < links; i++) {
                bytes[i] = pool.get(chain.get(i));
                expected.add(alone.get(chain.get(i)));
            }
            Path file = write("fuzz-short-links.ogg", concat(bytes));
            String what = "chain " + n + " " + chain;
            String w = check(what, file, Duration.ofSeconds(20));
            if (w != null) {
                wrong.add(w);
                continue;
            }
            String differs = linksInOrder(decodeOn(0, file, Duration.ofSeconds(20)).samples, expected);
            if (differs != null) wrong.add(what + ": " + differs);
        }
        assertTrue(wrong.isEmpty(), wrong.size() + " of 28 chains:\n" + String.join("\n", wrong));
    }

    /**
     * What differs between {@code samples} and the links decoded alone, one after another, or null. Two things a link
     * alone has that it has not in a chain are left out: the silence in front of it where FFmpeg times its first frame
     * after 0 (a stream of one page, timed from its priming packet, 128 ms at 8 kHz: a chain's streams follow one
     * another by their samples), and the last 1-3 ms the resampler holds back at a file's end, which in a chain comes
     * out once the next link's samples push it. So the length is within 48 samples a link, and each link is found (away
     * from its first and last 2 ms, where the resampler meets the neighbours, {@link #correlation}), within 48 samples a link of where the links before it end.
     */
    static String linksInOrder(float[] samples, List<float[]> alone) {
        if (samples == null) return "no samples";
        List<float[]> links = alone.stream().map(OggChainFuzzTest::withoutLeadingSilence).toList();
        int total = links.stream().mapToInt(l -> l.length).sum(), slack = 48 * links.size();
        if (Math.abs(samples.length - total) > slack) return samples.length + " samples, the links alone " + total;
        int at = 0, drift = 0;
        for (int k = 0; k < links.size(); k++) {
            float[] link = links.get(k);
            // the best place near where the links before end (a short sweep is nearly periodic: the first good one may
            // be a few samples early, and those few would add up)
            int found = Integer.MIN_VALUE;
            double best = 0.9;
            for (int shift = drift - 8; shift <= drift + 48; shift++) {
                double score = correlation(samples, at + shift, link);
                if (score > best) {
                    best = score;
                    found = shift;
                }
            }
            if (found == Integer.MIN_VALUE)
                return String.format(Locale.ROOT, "link %d (%d samples) is not where the links before it end (sample %d)",
                        k, link.length, at + drift);
            drift = found;
            at += link.length;
        }
        return null;
    }

    /**
     * How well {@code link} matches {@code samples} from {@code from}: their normalised correlation away from its first
     * and last 2 ms (1 for a link shorter than that; for a link silent there, whether the samples are near silent too). Not sample for sample: where a link follows one at its rate the
     * resampler goes on at its phase, a fraction of a sample off the link's alone.
     */
    private static double correlation(float[] samples, int from, float[] link) {
        if (from < 0 || from + link.length > samples.length) return 0;
        if (link.length <= 64) return 1;
        double dot = 0, aa = 0, bb = 0;
        for (int i = 32; i < link.length - 32; i++) {
            dot += samples[from + i] * (double) link[i];
            aa += samples[from + i] * (double) samples[from + i];
            bb += link[i] * (double) link[i];
        }
        int n = link.length - 64;
        // a link of 1 ms is 1 ms of sound and then near silence: silence is found where silence is
        if (bb / n < 1e-4) return aa / n < 4e-4 ? 1 : 0;
        return dot / Math.sqrt(aa * bb + 1e-12);
    }

    /** {@code seconds} of sweep from a frequency of its own ({@code n} of a pool), in one Ogg stream. */
    static byte[] link(String codec, double seconds, int rate, int channels, int n) throws Exception {
        String name = "fuzz-link-" + n + ".ogg";
        TestMediaWriter.ffmpeg("-f", "lavfi", "-i", "aevalsrc=0.5*sin(2*PI*(" + (300 + 20 * n) + "+100*t)*t):s=" + rate
                + ":d=" + seconds, "-ac", String.valueOf(channels), "-c:a", codec, "-strict", "-2", "-f", "ogg", name);
        return Files.readAllBytes(TestMediaWriter.DIR.resolve(name));
    }

    /** A link decoded alone without the silence given in front of it (exact zeros: decoded sound is never that long 0). */
    private static float[] withoutLeadingSilence(float[] link) {
        int first = 0;
        while (first < link.length && link[first] == 0f) first++;
        return first < 16 ? link : Arrays.copyOfRange(link, first, link.length);
    }

    /**
     * Audio at 2^31-1 Hz cannot be resampled: the message names FFmpeg's reason and nothing after it. Until 2026-12-06
     * it went on with the rest of the 64-byte buffer FFmpeg wrote the reason into, whatever native memory held (other
     * files' paths among it), so the same file gave a different message on each path and each run. A file declaring
     * such a rate (a Vorbis stream here) is refused before it is resampled since (AudioFormatLimit), with the same
     * message on every path; the resampler's own failure is met by a frame at that rate handed to it directly.
     */
    @Test
    void aResamplerFailureNamesFfmpegsReasonAlone() throws Exception {
        byte[] ogg = chained("vorbis", "ogg", 1, 44_100);
        int body = 27 + (ogg[26] & 0xff);
        Path file = write("fuzz-vorbis-huge-rate.ogg", onPage(ogg, 0, b -> b.putInt(body + 12, Integer.MAX_VALUE)));
        List<String> said = new ArrayList<>();
        for (int path = 0; path < 3; path++) {
            Outcome o = decodeOn(path, file, Duration.ofSeconds(20));
            assertEquals(Kind.UNSUPPORTED, o.kind, o.describe());
            said.add(o.other.getMessage());
        }
        assertEquals(1, said.stream().distinct().count(), "one message on every path: " + said);
        assertTrue(said.get(0).contains("sampled at 2147483647 Hz, above the 768000 Hz"), said.get(0));

        org.bytedeco.ffmpeg.avutil.AVFrame frame = org.bytedeco.ffmpeg.global.avutil.av_frame_alloc();
        try (Mixdown mixdown = new Mixdown("huge-rate")) {
            frame.format(org.bytedeco.ffmpeg.global.avutil.AV_SAMPLE_FMT_FLT).sample_rate(Integer.MAX_VALUE).nb_samples(1024);
            org.bytedeco.ffmpeg.global.avutil.av_channel_layout_default(frame.ch_layout(), 1);
            assertTrue(org.bytedeco.ffmpeg.global.avutil.av_frame_get_buffer(frame, 0) >= 0, "a frame to resample");
            MediaException e = org.junit.jupiter.api.Assertions.assertThrows(MediaException.class, () -> mixdown.mono(frame, 0));
            assertEquals(Kind.UNSUPPORTED, e.kind(), e.getMessage());
            assertTrue(e.getMessage().contains("cannot be resampled here (Cannot allocate memory) "), e.getMessage());
        } finally {
            org.bytedeco.ffmpeg.global.avutil.av_frame_free(frame);
        }
    }

    /** {@code seconds} of sweep at each rate in {@code codec} and {@code format}, joined byte for byte. */
    static byte[] joined(String codec, String format, double seconds, int... rates) throws Exception {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (int i = 0; i < rates.length; i++) {
            String name = "fuzz-raw-" + codec + "-" + rates[i] + "-" + i + "." + format;
            TestMediaWriter.ffmpeg("-f", "lavfi", "-i", "aevalsrc=0.5*sin(2*PI*(" + (440 + 110 * i) + "+100*t)*t):s="
                    + rates[i] + ":d=" + seconds, "-c:a", codec, "-f", format, name);
            all.write(Files.readAllBytes(TestMediaWriter.DIR.resolve(name)));
        }
        return all.toByteArray();
    }

    /** The seconds the files {@link #joined} wrote decode to, each alone. */
    static double partsSeconds(String codec, String format, int... rates) {
        double sum = 0;
        for (int i = 0; i < rates.length; i++)
            sum += decodeOn(0, TestMediaWriter.DIR.resolve("fuzz-raw-" + codec + "-" + rates[i] + "-" + i + "." + format), BUDGET)
                    .samples.length / 16_000.0;
        return sum;
    }

    /** MPEG-TS recordings at alternating rates, each {@code seconds} long, the n-th from {@code offsets[n]} s on the clock. */
    static byte[] capture(double seconds, int[] rates, double[] offsets) throws Exception {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (int i = 0; i < rates.length; i++) {
            String name = "fuzz-ts-" + rates[i] + "-" + offsets[i] + ".ts";
            TestMediaWriter.ffmpeg("-f", "lavfi", "-i", "aevalsrc=0.5*sin(2*PI*(440+100*t)*t):s=" + rates[i] + ":d=" + seconds,
                    "-c:a", "aac", "-output_ts_offset", String.valueOf(offsets[i]), name);
            all.write(Files.readAllBytes(TestMediaWriter.DIR.resolve(name)));
        }
        return all.toByteArray();
    }

    /** ADTS headers (sync 0xFFF): each frame's start. */
    static List<Integer> adtsFrames(byte[] aac) {
        List<Integer> at = new ArrayList<>();
        for (int p = 0; p + 7 <= aac.length && (aac[p] & 0xff) == 0xff && (aac[p + 1] & 0xf0) == 0xf0; ) {
            at.add(p);
            int length = (aac[p + 3] & 0x03) << 11 | (aac[p + 4] & 0xff) << 3 | (aac[p + 5] & 0xe0) >> 5;
            if (length < 7) break;
            p += length;
        }
        return at;
    }

    /** FLAC frame headers (sync 0xFFF8), found by their sync and a right CRC-8, with their length. */
    static List<int[]> flacFrames(byte[] flac) {
        List<int[]> at = new ArrayList<>();
        for (int p = 0; p + 16 < flac.length; p++) {
            if ((flac[p] & 0xff) != 0xff || (flac[p + 1] & 0xfe) != 0xf8) continue;
            int n = 1, lead = flac[p + 4] & 0xff;
            while (n < 7 && (lead << n & 0x80) != 0) n++;
            int length = 4 + (lead < 0x80 ? 1 : n), block = (flac[p + 2] & 0xf0) >> 4, rate = flac[p + 2] & 0x0f;
            length += block == 6 ? 1 : block == 7 ? 2 : 0;
            length += rate == 12 ? 1 : rate == 13 || rate == 14 ? 2 : 0;
            if (p + length < flac.length && crc8(flac, p, length) == (flac[p + length] & 0xff)) at.add(new int[]{p, length});
        }
        return at;
    }

    static int crc8(byte[] b, int from, int length) {
        int crc = 0;
        for (int i = from; i < from + length; i++) {
            crc ^= b[i] & 0xff;
            for (int j = 0; j < 8; j++) crc = (crc & 0x80) != 0 ? (crc << 1 ^ 0x07) & 0xff : crc << 1 & 0xff;
        }
        return crc;
    }

    /**
     * Raw ADTS and FLAC joined at alternating rates (8 kHz, 48 kHz, 7350 Hz, 96 kHz), their frames' rate fields
     * changed (ADTS's reserved indexes, FLAC's 0, "as STREAMINFO", and 15, invalid, with the header's CRC made right),
     * cut at random places; MPEG-TS captures switching rates, one whose clock jumps two hours and one with five
     * minutes of silence between its recordings. Each decodes alike on every path or fails alike, typed, in its
     * budget; those unchanged decode whole.
     */
    @Test
    void hostileRateChangesInRawStreamsAndCapturesAreDecodedOrRefusedAlike() throws Exception {
        Random random = new Random(SEED);
        Map<String, byte[]> v = new LinkedHashMap<>();
        Map<String, Double> whole = new LinkedHashMap<>();
        byte[] adts = joined("aac", "adts", 0.3, 8_000, 48_000, 7_350, 96_000, 8_000, 48_000);
        v.put("adts", adts);
        whole.put("adts", partsSeconds("aac", "adts", 8_000, 48_000, 7_350, 96_000, 8_000, 48_000));
        List<Integer> frames = adtsFrames(adts);
        for (int index : new int[]{0, 12, 13, 15}) {
            byte[] b = adts.clone();
            for (int k = 0; k < 4; k++) {
                int p = frames.get(random.nextInt(frames.size()));
                b[p + 2] = (byte) (b[p + 2] & 0xc3 | index << 2);
            }
            v.put("adts rate index " + index, b);
        }
        byte[] flac = joined("flac", "flac", 0.3, 44_100, 48_000, 8_000, 96_000);
        v.put("flac", flac);
        whole.put("flac", partsSeconds("flac", "flac", 44_100, 48_000, 8_000, 96_000));
        List<int[]> headers = flacFrames(flac);
        for (int code : new int[]{0, 15, 11, 3}) {
            byte[] b = flac.clone();
            for (int k = 0; k < 4; k++) {
                int[] h = headers.get(random.nextInt(headers.size()));
                if ((b[h[0] + 2] & 0x0f) >= 12) continue; // a rate in bytes of its own: the header's length would change
                b[h[0] + 2] = (byte) (b[h[0] + 2] & 0xf0 | code);
                b[h[0] + h[1]] = (byte) crc8(b, h[0], h[1]);
            }
            v.put("flac rate code " + code, b);
        }
        byte[] ts = capture(0.4, new int[]{8_000, 48_000, 8_000, 48_000}, new double[]{0, 0.5, 1, 1.5});
        v.put("ts", ts);
        whole.put("ts", 1.9);
        v.put("ts two hours on", capture(0.4, new int[]{8_000, 48_000}, new double[]{0, 7_200}));
        v.put("ts five minutes on", capture(0.4, new int[]{48_000, 8_000}, new double[]{0, 300}));
        for (String base : List.of("adts", "flac", "ts"))
            for (int k = 0; k < 3; k++) {
                int cut = 1 + random.nextInt(v.get(base).length - 1);
                v.put(base + " cut at " + cut, Arrays.copyOf(v.get(base), cut));
            }
        List<String> wrong = new ArrayList<>();
        for (Map.Entry<String, byte[]> e : v.entrySet()) {
            String ext = e.getKey().startsWith("adts") ? "aac" : e.getKey().startsWith("flac") ? "flac" : "ts";
            Path file = write("fuzz-raw-variant." + ext, e.getValue());
            String w = check(e.getKey(), file, BUDGET);
            if (w != null) wrong.add(w);
            Outcome o = decodeOn(0, file, BUDGET);
            if (whole.containsKey(e.getKey()) && (o.samples == null || Math.abs(o.samples.length / 16_000.0 - whole.get(e.getKey())) > 0.1))
                wrong.add(e.getKey() + ": not whole, " + o.describe());
        }
        assertTrue(wrong.isEmpty(), String.join("\n", wrong));
    }

    /**
     * FLAC files joined end to end at different rates decode whole, on every path. FFmpeg's FLAC parser drops the
     * frames after a join that do not look like those before it: until 2026-12-06, 8 kHz then 96 kHz, and 8 kHz then
     * 44.1 kHz, decoded as the first file alone, 44.1 kHz then 96 kHz lost most of the second, 44.1 kHz then 48 kHz 96
     * ms of it, all without a word.
     */
    @Test
    void flacFilesJoinedAtAnyRatesDecodeWhole() throws Exception {
        for (int[] rates : new int[][]{{8_000, 96_000}, {8_000, 44_100}, {44_100, 96_000}, {96_000, 44_100}, {44_100, 48_000}}) {
            String what = "flac " + rates[0] + " then " + rates[1];
            Path file = write("fuzz-flac-" + rates[0] + "-" + rates[1] + ".flac", joined("flac", "flac", 0.3, rates));
            String wrong = check(what, file, Duration.ofSeconds(20));
            assertNull(wrong, wrong);
            assertEquals(partsSeconds("flac", "flac", rates), decodeOn(0, file, BUDGET).samples.length / 16_000.0, 0.02, what);
        }
    }

    /**
     * A FLAC whose metadata holds the bytes that begin a FLAC file (an application block quoting one) is one file,
     * not two: it decodes as it does without them, on every path. Counted as a join, its metadata was cut short there
     * and the file refused as corrupt.
     */
    @Test
    void aFlacQuotingAFlacHeaderInItsMetadataIsOneFile() throws Exception {
        byte[] flac = joined("flac", "flac", 0.3, 44_100);
        boolean last = (flac[4] & 0x80) != 0;
        byte[] block = {(byte) (last ? 0x82 : 0x02), 0, 0, 12, 'm', 't', 'a', 'g', 'f', 'L', 'a', 'C', 0, 0, 0, 34};
        byte[] quoting = concat(Arrays.copyOf(flac, 42), block, Arrays.copyOfRange(flac, 42, flac.length));
        quoting[4] &= 0x7f;
        Path file = write("fuzz-flac-quoting.flac", quoting);
        String wrong = check("a FLAC quoting a FLAC header", file, Duration.ofSeconds(20));
        assertNull(wrong, wrong);
        Outcome o = decodeOn(0, file, BUDGET);
        assertNull(o.kind, o::describe);
        assertEquals(partsSeconds("flac", "flac", 44_100), o.samples.length / 16_000.0, 0.001);
    }

    /**
     * A decoding thread that is interrupted (a request cancelled, a pool shutting down) decodes a chained Ogg or joined
     * FLAC as it does any other file, whose reads FFmpeg makes itself and no interrupt stops. The tails of the file were
     * read through an interruptible channel, which an interrupt closes: the rest of the file read as its end, its audio
     * cut without a word (or refused as corrupt where a stream after it could not be opened).
     */
    @Test
    void anInterruptedThreadDecodesTheRestOfTheFileToo() throws Exception {
        Path ogg = write("fuzz-interrupted.ogg", chained("vorbis", "ogg", 1, 44_100, 48_000));
        Path flac = write("fuzz-interrupted.flac", joined("flac", "flac", 0.3, 8_000, 96_000));
        for (Path file : List.of(ogg, flac)) {
            for (int path = 0; path < 3; path++) {
                Outcome quiet = decodeOn(path, file, BUDGET);
                Thread.currentThread().interrupt();
                Outcome interrupted;
                try {
                    interrupted = decodeOn(path, file, BUDGET);
                } finally {
                    Thread.interrupted();
                }
                assertTrue(quiet.sameAs(interrupted), file.getFileName() + " on path " + path + ": " + quiet.describe()
                        + " uninterrupted, " + interrupted.describe() + " interrupted");
            }
        }
    }

    /**
     * The pages of an Ogg file are walked at every open, before its first packet, twice (its chains, and how it
     * ends): 2,000,000 empty pages (54 MB, the most walked) took 2.3 s read one by one, and take 50 ms read a window at
     * a time ({@link OggPages}). Under a second each, for a loaded machine.
     */
    @Test
    void theWalkOverTheMostPagesIsQuick() throws Exception {
        Path file = write("fuzz-empty-pages.ogg", emptyPages(2_000_000));
        try {
            long t0 = System.nanoTime();
            assertEquals(List.of(), OggChains.of(file, TimeBudget.UNLIMITED).chains());
            long millis = (System.nanoTime() - t0) / 1_000_000;
            assertTrue(millis < 1_000, "walked in " + millis + " ms");
            // the check of how the file ends (MediaFileCheck, before the decoder opens it) walks the same pages
            t0 = System.nanoTime();
            assertEquals(OggEnding.UNKNOWN, OggEnding.of(file), "no verdict past the most pages walked");
            millis = (System.nanoTime() - t0) / 1_000_000;
            assertTrue(millis < 1_000, "its ending read in " + millis + " ms");
        } finally {
            Files.delete(file);
        }
    }

    /** Bytes this process has read from files so far (Linux's count over all its threads). */
    private static long bytesRead() throws Exception {
        return processIo("rchar:");
    }

    /** One of Linux's counts of this process's reads and writes so far, over all its threads: rchar, syscr. */
    private static long processIo(String key) throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/self/io")))
            if (line.startsWith(key)) return Long.parseLong(line.substring(key.length()).trim());
        throw new IllegalStateException("no " + key + " in /proc/self/io");
    }

    /**
     * FLAC files joined end to end, each with 100,000 empty metadata blocks (4 bytes each, the most walked per file): the
     * blocks of each join are skipped by their lengths, and were read 4 bytes at a time, one read call each, so 50 such
     * joins (20 MB) took 5,000,355 read calls and 6.4-7.3 s before any budget (a 2 GB file about a hundred times that);
     * read a window at a time ({@link FileWindow}), about 650 calls and 0.1-0.2 s. Counted in read calls.
     */
    @Test
    void metadataBlocksOfManyJoinsAreReadAWindowAtATime(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        int joins = 50, blocks = 99_998;
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (int j = 0; j < joins; j++) {
            ByteBuffer b = ByteBuffer.allocate(8 + 34 + 4 * blocks + 4 + 16);
            b.put("fLaC".getBytes()).putInt(34); // STREAMINFO, not the last block
            b.put(new byte[34]);
            for (int k = 0; k < blocks; k++) b.putInt(1 << 24); // PADDING of 0 bytes, not the last
            b.putInt(0x81 << 24); // the last, PADDING of 0 bytes
            b.put(new byte[16]); // where the frames would be
            all.writeBytes(b.array());
        }
        Path file = Files.write(dir.resolve("fuzz-metadata-blocks.flac"), all.toByteArray());
        long before = processIo("syscr:");
        assertEquals(joins - 1, FlacJoins.of(file, TimeBudget.UNLIMITED).at().length, "every join after the first");
        long calls = processIo("syscr:") - before;
        assertTrue(calls < 50_000, calls + " read calls for " + all.size() / 1_000_000 + " MB");
    }

    /**
     * A FLAC is looked through from end to end for joins when it is opened, before its first packet: that walk answers to
     * the object's time budget as decoding does, a window at a time. Before, a 2 s FLAC followed by 200 MB (a file
     * FFmpeg opens as a 2 s FLAC) was read whole, 210 MB, whether or not the budget was already spent; now a spent budget
     * stops it at its first window. A probe, which reads the header and decodes a chunk at most before any budget
     * starts, read all 210 MB too; it walks nothing now. Counted in bytes the process read, not in time.
     */
    @Test
    void theJoinScanAtOpenStopsOnceTheBudgetIsSpent(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path flac = GeneratedContainersTest.audioOnly("flac", org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_FLAC, 16_000, 1)
                .seconds(2).write("scan-budget.flac");
        Path big = Files.copy(flac, dir.resolve("scan-budget-200mb.flac"));
        try (java.io.RandomAccessFile f = new java.io.RandomAccessFile(big.toFile(), "rw")) {
            f.setLength(200L << 20); // sparse: zeros that cost no disk
        }
        FfmpegMediaDecoder decoder = new FfmpegMediaDecoder(TestMediaConfig.defaults());
        TimeBudget spent = TimeBudget.start(Duration.ZERO, 0);
        long before = bytesRead();
        MediaException e = BadInputTest.assertKind(Kind.LIMIT_EXCEEDED, "scan-budget-200mb.flac",
                () -> decoder.stream(big, new StreamingTest.CountingSink(Double.MAX_VALUE), spent));
        long read = bytesRead() - before;
        assertTrue(e.getMessage().contains("time budget"), e.getMessage());
        assertTrue(read < 20_000_000, "read " + read / 1_000_000 + " MB of 210 before stopping");
        // a probe reads the header and decodes a chunk at most, before the object's budget starts: it walks nothing
        before = bytesRead();
        assertEquals(2.0, decoder.probe(big).declaredSeconds(), 0.05);
        read = bytesRead() - before;
        assertTrue(read < 20_000_000, "probed with " + read / 1_000_000 + " MB of 210 read");

        // the walk over an Ogg file's pages alike: 2,000,000 empty pages, stopped at the first window
        Path ogg = Files.write(dir.resolve("scan-budget-pages.ogg"), emptyPages(2_000_000));
        before = bytesRead();
        BadInputTest.assertKind(Kind.LIMIT_EXCEEDED, "scan-budget-pages.ogg", () -> OggChains.of(ogg, spent));
        read = bytesRead() - before;
        assertTrue(read < 20_000_000, "read " + read / 1_000_000 + " MB of 54 before stopping");
        assertEquals(List.of(), OggChains.of(ogg, TimeBudget.UNLIMITED).chains(), "unbudgeted, walked to the most pages");
    }

    static byte[] opus(double seconds, int rate, int channels) throws Exception {
        String name = "fuzz-opus-" + channels + ".opus";
        TestMediaWriter.ffmpeg("-f", "lavfi", "-i", "aevalsrc=0.5*sin(2*PI*(440+100*t)*t):s=" + rate + ":d=" + seconds,
                "-ac", String.valueOf(channels), "-c:a", "libopus", "-f", "ogg", name);
        return Files.readAllBytes(TestMediaWriter.DIR.resolve(name));
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (byte[] p : parts) all.writeBytes(p);
        return all.toByteArray();
    }

    /**
     * Two tiny Vorbis chains, 8 kHz and 48 kHz, repeated: a grabber is started anew at every chain, on a stream of the
     * file's tail. Each was released but its file left open (JavaCV closes a stream it was given only when released a
     * second time): 297 descriptors for 50 pairs decoded on the three paths, 1853 more for 2000 pairs stopped by the
     * budget, until the process could open no more. The budget stops the 2000 (3999 grabbers) on every path.
     */
    @Test
    void theGrabbersStartedAtEachChainAreReleasedWithTheirFiles() throws Exception {
        // chained Ogg streams, and FLAC files joined: a grabber for each
        Map<String, byte[]> pairs = new LinkedHashMap<>();
        pairs.put("ogg", chained("vorbis", "ogg", 0.05, 8_000, 48_000));
        pairs.put("flac", joined("flac", "flac", 0.05, 8_000, 48_000));
        for (Map.Entry<String, byte[]> pair : pairs.entrySet()) {
            for (int times : new int[]{50, 2000}) {
                byte[][] all = new byte[times][];
                Arrays.fill(all, pair.getValue());
                Path file = write("fuzz-alternating-" + times + "." + pair.getKey(), concat(all));
                long before = openFiles();
                // What is checked here is the files left open, whether the budget stops the decoding or not; the budget
                // is set far from where any path ends: 50 joins decode whole (1 s was too little under CI's load: 1.0 s
                // on the wall clock with 0.2 s of CPU time, four times running), 2,000 are always stopped.
                String wrong = check(file.getFileName().toString(), file, times == 50 ? Duration.ofSeconds(20) : Duration.ofMillis(200));
                assertNull(wrong, wrong);
                long after = openFiles();
                assertTrue(after <= before + 2, times + " " + pair.getKey() + " pairs: " + before + " files open before, "
                        + after + " after");
            }
        }
    }

    static long openFiles() throws Exception {
        try (var s = Files.list(Path.of("/proc/self/fd"))) {
            return s.count();
        }
    }
}
