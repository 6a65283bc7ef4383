package dev.moodtag.function;

import com.fasterxml.jackson.databind.JsonNode;
import dev.moodtag.batch.BatchItem;
import dev.moodtag.batch.BatchSources;
import dev.moodtag.batch.BatchSummary;
import dev.moodtag.batch.BatchTagger;
import dev.moodtag.media.TranscriptLoader;
import dev.moodtag.storage.ObjectInfo;
import dev.moodtag.storage.ObjectRef;
import dev.moodtag.storage.S3ObjectStorage;
import dev.moodtag.testing.Fixtures;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Keys with characters that an encoding step may change (space, {@code +}, {@code %}, {@code %2B}, {@code &}, {@code ?},
 * {@code #}, {@code =}, {@code ;}, quotes, é in NFC and in NFD, CJK, an emoji, deep folders), end to end against the real
 * S3 server: each media and its sidecar uploaded under the key, then tagged from an S3 notification (its key
 * form-encoded as AWS sends it) and from an EventBridge event (its key as stored), then listed as {@code moodtag tag
 * s3://bucket/prefix/} lists it. Keys whose raw form looks like an encoding ({@code a%2Bb}, {@code 100%}, {@code a+b},
 * {@code a b}, {@code a%20b}) stand side by side, each with a sidecar of its own, so that a key that reached its
 * neighbour shows as the neighbour's sidecar (its name, and its count of cues).
 */
@QuarkusTest
@TestProfile(S3FunctionTest.Profile.class)
@Tag("quarkus")
class S3AwkwardKeysTest {

    static final String BUCKET = S3MockResource.BUCKET;
    static final String RESULT_SUFFIX = ".emotion.json";

    /** Media names (below a prefix), each distinct bytes; the sidecar is the name's base with the extension given. */
    static final Map<String, String> MEDIA_AND_SIDECAR_EXTENSION = new LinkedHashMap<>();

    static {
        for (String name : List.of("with space.wav", "a b.wav", "a%20b.wav", "a%2Bb.wav", "100%.wav",
                "amp&eq=semi;colon.wav", "what?.wav", "hash#1.wav", "quote\"apos'.wav", "caf\u00e9.wav",
                "cafe\u0301.wav", "\u65e5\u672c\u8a9e.wav", "emoji\ud83d\ude00.wav", "d1/d2/d3/d4/d5/d6/d7/d8/d9/deep.wav",
                "all %25+ &?#=;\"'\u00e9\u0301\u4e2d\ud83c\udfb5.wav"))
            MEDIA_AND_SIDECAR_EXTENSION.put(name, "txt");
        MEDIA_AND_SIDECAR_EXTENSION.put("a+b.wav", "TXT");
        MEDIA_AND_SIDECAR_EXTENSION.put("a+b+c.wav", "srt");
    }

    @Inject
    S3Client s3;
    @Inject
    S3ObjectStorage store;
    @Inject
    BatchSources batchSources;
    @Inject
    BatchTagger batchTagger;

    @Test
    void eachAwkwardKeyReachesItsOwnMediaSidecarAndResultFromBothEventFormsAndIsListedOnce() throws IOException {
        Map<String, String> s3Notification = upload("awkward/s3-notification/");
        Map<String, String> eventBridge = upload("awkward/eventbridge/");
        List<String> wrong = new ArrayList<>();
        for (Map.Entry<String, String> e : s3Notification.entrySet()) {
            // AWS form-encodes the key: space as '+', '+' as %2B, '%' as %25, '/' as %2F
            String encoded = URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8);
            String event = FunctionFixtures.event("aws-s3-put.json", BUCKET, "KEY", size(e.getKey()), false)
                    .replace("\"KEY\"", FunctionFixtures.JSON.writeValueAsString(encoded));
            check(e.getKey(), e.getValue(), SamplesRequests.binary("com.amazonaws.s3.ObjectCreated", event).then()
                    .statusCode(200).extract().body().asString(), wrong);
        }
        for (Map.Entry<String, String> e : eventBridge.entrySet()) {
            String event = FunctionFixtures.event("eventbridge-object-created.json", BUCKET, "KEY", size(e.getKey()), false)
                    .replace("\"KEY\"", FunctionFixtures.JSON.writeValueAsString(e.getKey()));
            check(e.getKey(), e.getValue(), SamplesRequests.plain("/recognize", event).then().statusCode(200)
                    .extract().body().asString(), wrong);
        }
        assertTrue(wrong.isEmpty(), wrong.size() + " of " + 2 * MEDIA_AND_SIDECAR_EXTENSION.size() + " keys wrong:\n"
                + String.join("\n", wrong));

        // Nothing but the media, their sidecars and one result each, under exactly <key>.emotion.json
        Map<String, Long> expected = new TreeMap<>();
        for (Map<String, String> uploaded : List.of(s3Notification, eventBridge))
            uploaded.forEach((media, sidecar) -> List.of(media, sidecar, media + RESULT_SUFFIX)
                    .forEach(k -> expected.merge(k, 1L, Long::sum)));
        Map<String, Long> stored = s3.listObjectsV2Paginator(b -> b.bucket(BUCKET).prefix("awkward/")).contents()
                .stream().map(S3Object::key).collect(Collectors.groupingBy(Function.identity(), TreeMap::new, Collectors.counting()));
        assertEquals(expected, stored);

        // moodtag tag s3://media/awkward/ names each object but the results once, and a rerun finds each media's own
        // result (skipped) and takes each sidecar for what it is (ignored)
        List<BatchItem> items = batchSources.resolve("s3://" + BUCKET + "/awkward/", RESULT_SUFFIX);
        Map<String, Long> listed = items.stream().map(i -> i.ref().key())
                .collect(Collectors.groupingBy(Function.identity(), TreeMap::new, Collectors.counting()));
        expected.keySet().removeIf(k -> k.endsWith(RESULT_SUFFIX));
        assertEquals(expected, listed);
        BatchSummary again = batchTagger.tag(items, 2, false, (row, n, total) -> { }, new AtomicBoolean());
        long media = 2L * MEDIA_AND_SIDECAR_EXTENSION.size();
        assertEquals(Map.of("skipped", media, "ignored", media), again.outcomes(), again.rows().toString());
        // each skipped for its own result, named as the function wrote it
        assertEquals(List.of(), again.rows().stream().filter(r -> "skipped".equals(r.outcome()))
                .filter(r -> !(r.object() + RESULT_SUFFIX).equals(r.resultUri())).toList());
    }

    /**
     * The sidecar the store finds beside each media, read through the function's own store: its bytes are the ones
     * uploaded beside that media, not a neighbour's.
     */
    @Test
    void theStoreFindsAndReadsEachKeysOwnSidecar() throws IOException {
        Map<String, String> uploaded = upload("awkward-lookup/");
        List<String> wrong = new ArrayList<>();
        for (Map.Entry<String, String> e : uploaded.entrySet()) {
            ObjectRef media = ObjectRef.s3(BUCKET, e.getKey());
            List<ObjectRef> candidates = TranscriptLoader.sidecarNames(media.name()).stream().map(media::sibling).toList();
            ObjectInfo found = store.firstExisting(candidates).orElse(null);
            String text = found == null ? null : store.read(found, (in, n) -> new String(in.readAllBytes(), StandardCharsets.UTF_8));
            if (found == null || !found.ref().key().equals(e.getValue()) || !uploadedSidecar(e.getKey(), e.getValue()).equals(text))
                wrong.add(e.getKey() + ": found " + (found == null ? "none" : found.ref().key() + " reading '" + text + "'"));
        }
        assertTrue(wrong.isEmpty(), String.join("\n", wrong));
    }

    /**
     * Every reason in the function's answer and in the result names the object and its sidecar by their names in the
     * bucket: the decoder reads a scratch copy named after the key's safe local name ({@code a_b.wav} for {@code a b.wav},
     * {@code ___.wav} for {@code 日本語.wav}) in a scratch folder, and a blank or malformed sidecar, one not found and
     * media that does not decode or has no video were each reported under that copy's name.
     */
    @Test
    void everyReasonNamesTheKeyNotTheScratchCopy() throws IOException {
        byte[] wav = Files.readAllBytes(Fixtures.sample("03a05Fc.wav"));
        List<String> wrong = new ArrayList<>();
        int checked = 0, i = 0;
        for (String name : List.of("a b", "a+b", "100%", "a%2Bb", "\u65e5\u672c\u8a9e", "emoji\ud83d\ude00",
                "cafe\u0301", "all %25+ &?#=;\"'\u00e9\u0301\u4e2d\ud83c\udfb5")) {
            for (String c : List.of("blank", "bad-vtt", "none", "undecodable")) {
                String key = "awkward-reasons/" + c + "/" + name + ".wav";
                byte[] media = c.equals("undecodable") ? new byte[]{0x13, 0x37, (byte) 0xfe, 1, 0, 0, 7, 9, 1, 2, 3, 4}
                        : wav.clone();
                if (!c.equals("undecodable")) media[media.length / 2 + 2 * i++] ^= 0x10;
                s3.putObject(b -> b.bucket(BUCKET).key(key), RequestBody.fromBytes(media));
                String sidecar = c.equals("blank") ? name + ".txt" : c.equals("bad-vtt") ? name + ".vtt" : null;
                if (sidecar != null) s3.putObject(b -> b.bucket(BUCKET).key("awkward-reasons/" + c + "/" + sidecar),
                        RequestBody.fromString(c.equals("blank") ? " \n\t" : "not webvtt\n00:01 --> 00:02\nhi\n",
                                StandardCharsets.UTF_8));
                String event = FunctionFixtures.event("eventbridge-object-created.json", BUCKET, "KEY", media.length, false)
                        .replace("\"KEY\"", FunctionFixtures.JSON.writeValueAsString(key));
                JsonNode answer = FunctionFixtures.JSON.readTree(SamplesRequests.plain("/recognize", event).then()
                        .statusCode(200).extract().body().asString());
                JsonNode result = FunctionFixtures.validResult(s3.getObjectAsBytes(b -> b.bucket(BUCKET)
                        .key(key + RESULT_SUFFIX)).asByteArray());
                List<String> texts = new ArrayList<>();
                collectTexts(answer, texts);
                collectTexts(result, texts);
                String all = String.join("\n", texts);
                String expected = switch (c) {
                    case "blank" -> "the " + sidecar + " transcript is blank";
                    case "bad-vtt" -> "transcript not used: " + sidecar + ": ";
                    // with no sidecar the function recognises the speech: the video's reason names the media
                    case "none" -> "no video stream in " + name + ".wav";
                    default -> name + ".wav: FFmpeg cannot read it as media";
                };
                // the copy's name, as ObjectCopier.safeName makes it for names this short
                String safeBase = name.replaceAll("[^A-Za-z0-9._-]", "_");
                checked++;
                if (!all.contains(expected) || all.contains(System.getProperty("java.io.tmpdir") + "/")
                        || (!safeBase.equals(name) && all.contains(safeBase)))
                    wrong.add(key + ": " + texts.stream().filter(t -> t.contains(": ") || t.contains(" ")).toList());
            }
        }
        assertEquals(32, checked);
        assertTrue(wrong.isEmpty(), wrong.size() + " of " + checked + " objects' reasons name the scratch copy:\n"
                + String.join("\n", wrong));
    }

    /** Every text value in {@code node}, the reasons and messages among them. */
    private static void collectTexts(JsonNode node, List<String> texts) {
        if (node.isTextual()) texts.add(node.asText());
        node.forEach(child -> collectTexts(child, texts));
    }

    private final Map<String, Long> sizes = new java.util.concurrent.ConcurrentHashMap<>();

    private long size(String key) {
        return sizes.get(key);
    }

    /** Uploads each media under {@code prefix} with its sidecar: media key to sidecar key. */
    private Map<String, String> upload(String prefix) throws IOException {
        byte[] wav = Files.readAllBytes(Fixtures.sample("03a05Fc.wav"));
        Map<String, String> uploaded = new LinkedHashMap<>();
        int i = 0;
        for (Map.Entry<String, String> e : MEDIA_AND_SIDECAR_EXTENSION.entrySet()) {
            String key = prefix + e.getKey();
            byte[] own = wav.clone();
            own[own.length / 2 + 2 * i++] ^= 0x10; // another version of the clip, its own ETag
            s3.putObject(b -> b.bucket(BUCKET).key(key), RequestBody.fromBytes(own));
            sizes.put(key, (long) own.length);
            String sidecar = TranscriptLoader.baseName(key) + "." + e.getValue();
            s3.putObject(b -> b.bucket(BUCKET).key(sidecar), RequestBody.fromString(uploadedSidecar(key, sidecar),
                    StandardCharsets.UTF_8));
            uploaded.put(key, sidecar);
        }
        return uploaded;
    }

    /** A text of the media's own, its key in it: two cues in a .srt, plain text otherwise. */
    private static String uploadedSidecar(String mediaKey, String sidecarKey) {
        return sidecarKey.endsWith(".srt")
                ? "1\n00:00:00,000 --> 00:00:01,000\nThe dogs are sitting\n\n2\n00:00:01,000 --> 00:00:02,000\nby the door, said "
                + mediaKey + ".\n"
                : "The dogs are sitting by the door, said " + mediaKey + ".";
    }

    /** The function's answer and the result for {@code key}: processed, written at {@code <key>.emotion.json}, its own. */
    private void check(String key, String sidecar, String answer, List<String> wrong) throws IOException {
        JsonNode object = FunctionFixtures.JSON.readTree(answer).path("objects").path(0);
        String resultUri = "s3://" + BUCKET + "/" + key + RESULT_SUFFIX;
        if (!"processed".equals(object.path("outcome").asText()) || !resultUri.equals(object.path("resultUri").asText())) {
            wrong.add(key + ": answered " + object);
            return;
        }
        JsonNode result = FunctionFixtures.validResult(s3.getObjectAsBytes(b -> b.bucket(BUCKET).key(key + RESULT_SUFFIX)).asByteArray());
        String etag = s3.headObject(b -> b.bucket(BUCKET).key(key)).eTag().replace("\"", "");
        String sidecarName = sidecar.substring(sidecar.lastIndexOf('/') + 1);
        Map<String, String> got = new LinkedHashMap<>(), want = new LinkedHashMap<>();
        got.put("source.key", result.at("/source/key").asText());
        want.put("source.key", key);
        got.put("source.uri", result.at("/source/uri").asText());
        want.put("source.uri", "s3://" + BUCKET + "/" + key);
        got.put("source.etag", result.at("/source/etag").asText());
        want.put("source.etag", etag);
        got.put("transcript.source", result.at("/transcript/source").asText());
        want.put("transcript.source", "sidecar");
        got.put("transcript.origin", result.at("/transcript/origin").asText());
        want.put("transcript.origin", sidecarName);
        got.put("transcript.cues", result.at("/transcript/cues").asText());
        want.put("transcript.cues", sidecarName.endsWith(".srt") ? "2" : "0");
        got.put("text.present", result.at("/modalities/text/present").asText());
        want.put("text.present", "true");
        if (!got.equals(want)) wrong.add(key + ": " + got + " where " + want);
    }
}
