package dev.moodtag.function;

import io.restassured.response.Response;

import static io.restassured.RestAssured.given;

/** The two ways events arrive over HTTP: a binary-mode CloudEvent on {@code /}, or plain JSON. */
final class SamplesRequests {
    private SamplesRequests() {
    }

    static Response binary(String type, String data) {
        return given().contentType("application/json").header("ce-id", "evt-" + System.nanoTime())
                .header("ce-specversion", "1.0").header("ce-type", type).header("ce-source", "test")
                .body(data).post("/");
    }

    static Response plain(String path, String body) {
        return given().contentType("application/json").body(body).post(path);
    }
}
