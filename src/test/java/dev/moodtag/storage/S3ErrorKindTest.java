package dev.moodtag.storage;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.services.s3.model.S3Exception;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * S3 says "try again" with a 4xx status too: RequestTimeout (400) when an upload stalls, SlowDown (503) or
 * Throttling (400) when busy. By status alone a timed-out result upload was a permanent failure, answered 200
 * `failed`, and the object never got its result (found by a review).
 */
class S3ErrorKindTest {

    private static StorageException.Kind kind(int status, String code) {
        S3Exception e = (S3Exception) S3Exception.builder().statusCode(status)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode(code).build()).message(code).build();
        return S3ObjectStorage.translate(e, "write", ObjectRef.s3("media", "a.wav")).kind();
    }

    @Test
    void transientCodesAreRetriedWhateverTheirStatus() {
        for (String code : new String[]{"RequestTimeout", "Throttling", "ThrottlingException", "SlowDown",
                "RequestLimitExceeded", "PriorRequestNotComplete", "InternalError", "OperationAborted"})
            assertEquals(StorageException.Kind.UNAVAILABLE, kind(400, code), code);
        assertEquals(StorageException.Kind.UNAVAILABLE, kind(503, "SlowDown"));
        assertEquals(StorageException.Kind.UNAVAILABLE, kind(500, "Whatever"));
    }

    @Test
    void permanentCodesStayPermanent() {
        assertEquals(StorageException.Kind.FAILED, kind(400, "InvalidArgument"));
        assertEquals(StorageException.Kind.FAILED, kind(403, "AccessDenied"));
        assertEquals(StorageException.Kind.FAILED, kind(400, "RequestTimeTooSkewed"));
        assertEquals(StorageException.Kind.NOT_FOUND, kind(404, "NoSuchKey"));
    }
}
