package dev.moodtag.function;

import dev.moodtag.tagging.ObjectAddress;
import dev.moodtag.tagging.ObjectEvent;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each platform's documented payload parses to the bucket and the decoded key. */
class EventParserTest {

    private final EventParser parser = new EventParser();

    @Test
    void awsKeysAreUrlDecodedFormStyle() throws Exception {
        ObjectEvent e = one(FunctionFixtures.event("aws-s3-put.json", "b", "a dir/red flower+1.jpg", 5, false), null);
        assertEquals(new ObjectAddress.Bucket("b", "a dir/red flower+1.jpg"), e.address());
        assertEquals("aws-s3", e.format());
        assertTrue(e.created());
        assertEquals(5, e.size().getAsLong());
    }

    @Test
    void minioEncodesSlashesToo() throws Exception {
        ObjectEvent e = one(FunctionFixtures.event("minio-put.json", "images", "x/y z.wav", 7, true), null);
        assertEquals(new ObjectAddress.Bucket("images", "x/y z.wav"), e.address());
        assertEquals("minio", e.format());
        assertEquals("audio/wav", e.contentType().orElseThrow());
    }

    @Test
    void eventBridgeAndGcs() throws Exception {
        ObjectEvent eb = one(FunctionFixtures.event("eventbridge-object-created.json", "b", "k/a b.wav", 3, false), null);
        assertEquals(new ObjectAddress.Bucket("b", "k/a b.wav"), eb.address());
        // the fixture escapes what it places in the template's JSON: a raw key with a quote or a backslash broke the event
        for (String key : new String[]{"k/say \"hi\".wav", "k/back\\slash.wav", "k/tab\t.wav", "k/\u00e9t\u00e9 \uD83D\uDE00.wav"})
            assertEquals(new ObjectAddress.Bucket("b", key),
                    one(FunctionFixtures.event("eventbridge-object-created.json", "b", key, 3, false), null).address(), key);
        JsonNode ce = FunctionFixtures.JSON.readTree(FunctionFixtures.event("gcs-finalized-cloudevent.json", "g", "o/p.mp4", 11, false));
        ObjectEvent gcs = parser.parse(ce.get("data"), ce.get("type").asText()).get(0);
        assertEquals(new ObjectAddress.Bucket("g", "o/p.mp4"), gcs.address());
        assertEquals(11, gcs.size().getAsLong(), "GCS sizes are strings");
    }

    @Test
    void deletionsAreNotCreations() throws Exception {
        assertFalse(one(FunctionFixtures.event("aws-s3-delete.json", "b", "k.wav", 0, false), null).created());
    }

    @Test
    void plainUris() throws Exception {
        assertEquals(new ObjectAddress.LocalFile(Path.of("/data/in/a b.wav")),
                one("{\"uri\": \"file:///data/in/a%20b.wav\"}", null).address());
        assertEquals(new ObjectAddress.Bucket("bkt", "k/x.wav"), one("{\"uri\": \"s3://bkt/k/x.wav\"}", null).address());
        assertTrue(one("{\"uri\": \"s3://bkt/k/x.wav\", \"force\": true}", null).force());
    }

    @Test
    void badEventsSayWhatWasExpected() {
        for (String bad : List.of("[]", "{\"Records\": []}", "{\"uri\": 3}", "{\"uri\": \"ftp://h/x\"}",
                "{\"uri\": \"s3://bucket-only\"}", "{\"uri\": \"file://otherhost/x.wav\"}", "{\"x\": 1}")) {
            EventException e = assertThrows(EventException.class, () -> parser.parse(FunctionFixtures.JSON.readTree(bad), "t.x"), bad);
            assertFalse(e.getMessage().isBlank());
        }
    }

    /**
     * S3 sends {@code s3:TestEvent} when a bucket's notification is configured: no object, nothing to tag. Refused as
     * an unknown event it was answered 400 and dead-lettered; it is ignored instead, plain or as CloudEvent data,
     * field order and extra fields as they come. Look-alikes stay bad events.
     */
    @Test
    void anS3TestEventIsNothingToTagNotABadEvent() throws Exception {
        String test = "{\"Service\":\"Amazon S3\",\"Event\":\"s3:TestEvent\",\"Time\":\"2026-12-06T07:00:00.000Z\","
                + "\"Bucket\":\"media\",\"RequestId\":\"5582815E1AEA5ADF\",\"HostId\":\"8cLeGAmw098X5cv4Zkwcmo8vvZa3eH3eKxsPzbB9wrR+YstdA6Knx4Ip8EXAMPLE\"}";
        List<String> shapes = List.of(test,
                "{\"Event\":\"s3:TestEvent\",\"Service\":\"Amazon S3\",\"Bucket\":\"a <b>|c\"}",
                "{\"Service\":\"Amazon S3\",\"Event\":\"s3:TestEvent\"}");
        for (String shape : shapes) {
            for (String ceType : java.util.Arrays.asList(null, "com.amazonaws.s3.test", "dev.moodtag.request")) {
                EventParser.NothingToTag n = assertThrows(EventParser.NothingToTag.class,
                        () -> parser.parse(FunctionFixtures.JSON.readTree(shape), ceType), shape + " / " + ceType);
                assertTrue(n.getMessage().contains("s3:TestEvent"), n.getMessage());
            }
        }
        assertTrue(assertThrows(EventParser.NothingToTag.class, () -> parser.parse(FunctionFixtures.JSON.readTree(test), null))
                .getMessage().contains("media"), "names the bucket");
        for (String lookalike : List.of("{\"Service\":\"Amazon S3\",\"Event\":\"s3:ObjectCreated:Put\"}",
                "{\"Service\":\"Other\",\"Event\":\"s3:TestEvent\"}", "{\"Event\":\"s3:TestEvent\"}",
                "{\"Service\":\"Amazon S3\",\"Event\":[\"s3:TestEvent\"]}", "{\"Service\":\"Amazon S3\"}"))
            assertThrows(EventException.class, () -> parser.parse(FunctionFixtures.JSON.readTree(lookalike), null), lookalike);
    }

    /**
     * Addresses no store can hold are refused as events (400), not left to fail as a 500 further on: every hostile
     * escape in an S3 notification key, NULs and over-long names in file: URIs, keys over 1024 bytes, non-string uris.
     */
    @Test
    void addressesThatCannotExistAreBadEvents() {
        for (String key : List.of("%", "a%", "a%2", "%zz", "100%.wav", "%g0.wav", "%%41")) {
            String event = FunctionFixtures.event("aws-s3-put.json", "b", "x", 5, false).replace("\"x\"", "\"" + key + "\"");
            EventException e = assertThrows(EventException.class, () -> parser.parse(FunctionFixtures.JSON.readTree(event), null), key);
            assertTrue(e.getMessage().startsWith("malformed S3 notification"), e.getMessage());
        }
        String withNul = FunctionFixtures.event("aws-s3-put.json", "b", "x", 5, false).replace("\"x\"", "\"a%00.wav\"");
        assertThrows(EventException.class, () -> parser.parse(FunctionFixtures.JSON.readTree(withNul), null), "a NUL in a notification's key");
        for (String uri : List.of("file:///a/b%00.wav", "file:///a/b\\u0000.wav", "file:///a/" + "n".repeat(256) + ".wav",
                "s3://bkt/" + "k".repeat(1025), "s3://bkt/" + "\u00e9".repeat(513), "s3://bkt/a\\u0000.wav")) {
            EventException e = assertThrows(EventException.class,
                    () -> parser.parse(FunctionFixtures.JSON.readTree("{\"uri\": \"" + uri + "\"}"), null), uri);
            assertTrue(e.getMessage().length() < 400, "a reason, not the whole input: " + e.getMessage());
        }
        assertThrows(EventException.class, () -> parser.parse(FunctionFixtures.JSON.readTree("{\"uris\": [\"s3://bkt/k.wav\", null]}"), null));
        // the limits themselves are accepted
        assertEquals(new ObjectAddress.Bucket("bkt", "k".repeat(1024)),
                parser.parse(new com.fasterxml.jackson.databind.node.ObjectNode(com.fasterxml.jackson.databind.node.JsonNodeFactory.instance)
                        .put("uri", "s3://bkt/" + "k".repeat(1024)), null).get(0).address());
    }

    @Test
    void s3UrisThatNameNoObjectOrNoBucketAreRefusedAsMalformed() throws Exception {
        // Before S3Uri, "s3://media/dir/" became the key "dir/" and invalid bucket names reached the store.
        for (String bad : List.of("s3://", "s3:///k.wav", "s3://media", "s3://media/", "s3://media/dir/", "s3:///",
                "s3://Media/x.wav", "s3://ab/x.wav", "s3://under_score/x.wav", "s3://-media/x.wav", "s3://a..b/x.wav",
                "s3://192.168.1.1/x.wav", "s3://" + "m".repeat(64) + "/x.wav", "s3://media/" + "k".repeat(1025))) {
            String json = "{\"uri\": \"" + bad + "\"}";
            EventException e = assertThrows(EventException.class, () -> parser.parse(FunctionFixtures.JSON.readTree(json), "t.x"), bad);
            assertTrue(e.getMessage().startsWith("malformed uri"), e.getMessage());
        }
        assertEquals(new ObjectAddress.Bucket("media", "50%.wav"), one("{\"uri\": \"S3://media/50%.wav\"}", null).address(),
                "s3:// keys are as stored: '%' is itself");
    }

    @Test
    void notificationKeysThatDoNotDecodeAreMalformedEventsNotCrashes() throws Exception {
        // Before S3Uri, URLDecoder threw an IllegalArgumentException (not handled as a bad event) on a lone '%', and turned
        // bytes that are not UTF-8 into U+FFFD, a key that names no object.
        for (String key : List.of("50%.wav", "%", "%4", "a%zz.wav", "%C3%28.wav", "%FF.wav", "%ED%A0%80.wav", "x%G0.wav")) {
            String json = "{\"Records\": [{\"eventSource\": \"aws:s3\", \"eventName\": \"ObjectCreated:Put\", "
                    + "\"s3\": {\"bucket\": {\"name\": \"media\"}, \"object\": {\"key\": \"" + key + "\", \"size\": 1}}}]}";
            EventException e = assertThrows(EventException.class, () -> parser.parse(FunctionFixtures.JSON.readTree(json), null), key);
            assertTrue(e.getMessage().startsWith("malformed S3 notification"), e.getMessage());
        }
        String ok = "{\"Records\": [{\"eventSource\": \"aws:s3\", \"eventName\": \"ObjectCreated:Put\", "
                + "\"s3\": {\"bucket\": {\"name\": \"media\"}, \"object\": {\"key\": \"50%25+%C3%A9%F0%9F%98%80.wav\"}}}]}";
        assertEquals(new ObjectAddress.Bucket("media", "50% \u00e9\uD83D\uDE00.wav"), one(ok, null).address());
    }

    /**
     * A key with half a surrogate pair (a JSON escape such as \\ud800 alone) names no object: UTF-8 cannot hold it, and
     * the S3 client sent it as '?', so the event tagged another object ("a?.wav") and wrote its result there. Refused as
     * a bad event whatever the event's shape, as a notification's encoded key already was.
     */
    @Test
    void keysWithHalfASurrogatePairAreBadEventsWhateverTheShape() throws Exception {
        for (String half : List.of("\\ud800", "\\udfff", "\\ude00\\ud83d")) {
            for (String json : List.of(
                    "{\"uri\": \"s3://media/a" + half + ".wav\"}",
                    "{\"uris\": [\"s3://media/ok.wav\", \"s3://media/a" + half + ".wav\"]}",
                    "{\"Records\": [{\"eventSource\": \"aws:s3\", \"eventName\": \"ObjectCreated:Put\", \"s3\": {\"bucket\": "
                            + "{\"name\": \"media\"}, \"object\": {\"key\": \"a" + half + ".wav\"}}}]}",
                    "{\"detail-type\": \"Object Created\", \"source\": \"aws.s3\", \"detail\": {\"bucket\": {\"name\": \"media\"}, "
                            + "\"object\": {\"key\": \"a" + half + ".wav\"}}}",
                    "{\"kind\": \"storage#object\", \"bucket\": \"media\", \"name\": \"a" + half + ".wav\"}")) {
                EventException e = assertThrows(EventException.class, () -> parser.parse(FunctionFixtures.JSON.readTree(json), null), json);
                assertTrue(e.getMessage().contains("surrogate"), json + ": " + e.getMessage());
            }
        }
        assertEquals(new ObjectAddress.Bucket("media", "a\uD83D\uDE00.wav"),
                one("{\"uri\": \"s3://media/a\\ud83d\\ude00.wav\"}", null).address(), "a whole pair is a character");
    }

    private ObjectEvent one(String json, String type) throws Exception {
        List<ObjectEvent> events = parser.parse(FunctionFixtures.JSON.readTree(json), type);
        assertEquals(1, events.size());
        return events.get(0);
    }
}
