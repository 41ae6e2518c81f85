package dev.agentlake.ingest;

import dev.agentlake.lake.model.Signal;
import dev.agentlake.lake.parquet.TableSchema;

/**
 * How one OTLP signal is decoded into rows of its lake table. One implementation per signal; the
 * {@link IngestPipeline} does the rest (inflate, store, answer) the same way for all.
 */
interface SignalIngest<R> {

    Signal signal();

    /** Parses and maps a request body; malformed input is an {@link InvalidOtlpException} (400). */
    MappedRows<R> decode(OtlpEncoding encoding, byte[] body);

    /**
     * How much of {@code body} reads as this signal's request, for {@code POST /}: 0 = nothing,
     * {@link ProtobufChecks#EXACT} = all of it; the highest score names the signal.
     */
    int resemblance(OtlpEncoding encoding, byte[] body);

    TableSchema<R> schema();

    long eventTimeNanos(R row);

    /** The OTLP Export*ServiceResponse, with {@code partial_success} when records were rejected. */
    byte[] response(OtlpEncoding encoding, long rejected, String message);
}
