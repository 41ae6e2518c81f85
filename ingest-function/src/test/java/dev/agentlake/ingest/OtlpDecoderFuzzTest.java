package dev.agentlake.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.agentlake.lake.model.Signal;
import dev.agentlake.lake.parquet.ParquetRowWriter;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;

/**
 * Coverage-guided fuzzing (Jazzer) of everything ingest does to a body before the landing PUT: inflate,
 * parse (protobuf or OTLP/JSON), map to rows, encode as Parquet. Whatever the bytes, the outcome is rows
 * that encode, or an {@link InvalidOtlpException} with a 4xx status and a one-line reason; any other
 * exception, a hang or a crash is a finding.
 *
 * <p>In a normal build each target runs its seeds, the fixture captures in
 * {@code OtlpDecoderFuzzTestInputs/<target>/} (protobuf and JSON as the real CLIs sent them), and asserts
 * the above on them. To fuzz: {@code JAZZER_FUZZ=1 mvn -B verify -pl ingest-function -am
 * -Dtest=OtlpDecoderFuzzTest -Dsurefire.failIfNoSpecifiedTests=false} (each target for its
 * {@code maxDuration}; findings are written next to the seeds and then run in every build).
 * {@code IngestFuzzTest} complements this with 10,000 seeded malformed requests over HTTP.
 */
class OtlpDecoderFuzzTest {
    private static final long LIMIT = 16L * 1024 * 1024;
    private static final AtomicLong ENCODED = new AtomicLong();
    private static final AtomicLong REFUSED = new AtomicLong();

    @AfterAll
    static void report() {
        System.out.printf("fuzz: %d inputs encoded as Parquet, %d refused with a 4xx%n", ENCODED.get(), REFUSED.get());
    }

    @FuzzTest(maxDuration = "60s")
    void logsProtobuf(byte[] body) {
        decodeAndEncode(Signal.LOGS, OtlpEncoding.PROTOBUF, body);
    }

    @FuzzTest(maxDuration = "60s")
    void logsJson(byte[] body) {
        decodeAndEncode(Signal.LOGS, OtlpEncoding.JSON, body);
    }

    @FuzzTest(maxDuration = "60s")
    void spansProtobuf(byte[] body) {
        decodeAndEncode(Signal.SPANS, OtlpEncoding.PROTOBUF, body);
    }

    @FuzzTest(maxDuration = "60s")
    void spansJson(byte[] body) {
        decodeAndEncode(Signal.SPANS, OtlpEncoding.JSON, body);
    }

    @FuzzTest(maxDuration = "60s")
    void metricsProtobuf(byte[] body) {
        decodeAndEncode(Signal.METRICS, OtlpEncoding.PROTOBUF, body);
    }

    @FuzzTest(maxDuration = "60s")
    void metricsJson(byte[] body) {
        decodeAndEncode(Signal.METRICS, OtlpEncoding.JSON, body);
    }

    /** A body declared gzip, then decoded as protobuf logs: the inflater's bound and its errors. */
    @FuzzTest(maxDuration = "60s")
    void gzipBodies(byte[] body) {
        try {
            byte[] inflated = BodyInflater.inflate(body, "gzip", 1024 * 1024);
            assertThat(inflated.length).as("inflated within the limit").isLessThanOrEqualTo(1024 * 1024);
            decodeAndEncode(Signal.LOGS, OtlpEncoding.PROTOBUF, inflated);
        } catch (InvalidOtlpException e) {
            assertClientError(e);
            REFUSED.incrementAndGet();
        }
    }

    private static void decodeAndEncode(Signal signal, OtlpEncoding encoding, byte[] body) {
        if (body.length > LIMIT) {
            return; // the pipeline refuses it before decoding (413)
        }
        try {
            encode(EncodingIdentityTest.handler(signal), encoding, body);
            ENCODED.incrementAndGet();
        } catch (InvalidOtlpException e) {
            assertClientError(e);
            REFUSED.incrementAndGet();
        }
    }

    private static <R> void encode(SignalIngest<R> handler, OtlpEncoding encoding, byte[] body) {
        MappedRows<R> mapped = handler.decode(encoding, body);
        ParquetRowWriter.write(handler.schema(), mapped.rows()); // what the landing PUT would carry
    }

    private static void assertClientError(InvalidOtlpException e) {
        assertThat(e.status()).as(e.getMessage()).isBetween(400, 499);
        assertThat(e.getMessage()).as("a one-line reason").isNotBlank().doesNotContain("\n");
    }
}
