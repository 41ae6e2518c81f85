package dev.agentlake.ingest;

import dev.agentlake.lake.model.Signal;
import jakarta.inject.Singleton;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One OTLP/HTTP request from body to stored Parquet: content type → inflate (bounded) → decode →
 * rows → landing object. Returns only once the object is stored; every refusal is an
 * {@link InvalidOtlpException} thrown before anything is written.
 */
@Singleton
public final class IngestPipeline {
    private final IngestSettings settings;
    private final LandingWriter landing;
    private final Map<Signal, SignalIngest<?>> signals = new EnumMap<>(Signal.class);

    IngestPipeline(IngestSettings settings, LandingWriter landing, List<SignalIngest<?>> handlers) {
        this.settings = settings;
        this.landing = landing;
        for (SignalIngest<?> h : handlers) {
            signals.put(h.signal(), h);
        }
    }

    /**
     * Ingests one request body.
     *
     * @param signal the signal the path names, or null for {@code POST /} (detected from the body)
     */
    public Accepted ingest(Signal signal, String contentType, String contentEncoding, byte[] rawBody) {
        OtlpEncoding encoding = OtlpEncoding.fromContentType(contentType);
        if (rawBody == null || rawBody.length == 0) {
            throw new InvalidOtlpException(400, "empty body: send an OTLP export request");
        }
        byte[] body = BodyInflater.inflate(rawBody, contentEncoding, settings.maxBodyBytes());
        SignalIngest<?> handler = signal != null ? handlerFor(signal) : detect(encoding, body);
        return ingest(handler, encoding, body);
    }

    private <R> Accepted ingest(SignalIngest<R> handler, OtlpEncoding encoding, byte[] body) {
        MappedRows<R> mapped;
        try {
            mapped = handler.decode(encoding, body);
        } catch (InvalidOtlpException e) {
            // Say so when the body is valid OTLP of another signal: the likelier mistake is the path.
            refuseIfAnotherSignal(handler, encoding, body);
            throw e;
        }
        if (mapped.rows().isEmpty()) {
            refuseIfAnotherSignal(handler, encoding, body);
        }
        String key = null;
        if (!mapped.rows().isEmpty()) {
            key = landing.write(handler.signal(), RecordIds.contentHash(handler.signal().folder(), body),
                    handler.schema(), mapped.rows(), handler::eventTimeNanos);
        }
        return new Accepted(handler.signal(), encoding, key, mapped.rows().size(), mapped.rejected(),
                handler.response(encoding, mapped.rejected(), mapped.rejectionMessage()));
    }

    /**
     * A body of another signal posted to this signal's path either fails to parse or parses without
     * error (the three request types share their top-level field numbers, and OTLP/JSON receivers ignore
     * unknown keys) and yields nothing. Only then is it worth the check, so valid traffic never pays for it.
     */
    private void refuseIfAnotherSignal(SignalIngest<?> handler, OtlpEncoding encoding, byte[] body) {
        if (handler.resemblance(encoding, body) == ProtobufChecks.EXACT) {
            return;
        }
        for (SignalIngest<?> other : signals.values()) {
            if (other != handler && other.resemblance(encoding, body) == ProtobufChecks.EXACT) {
                String path = other.signal() == Signal.SPANS ? "traces" : other.signal().folder();
                throw new InvalidOtlpException(400, "the body is an OTLP " + path + " export request: post it to /v1/"
                        + path);
            }
        }
    }

    private SignalIngest<?> handlerFor(Signal signal) {
        SignalIngest<?> h = signals.get(signal);
        if (h == null) {
            throw new InvalidOtlpException(404, "signal " + signal.folder() + " is not accepted here");
        }
        return h;
    }

    private SignalIngest<?> detect(OtlpEncoding encoding, byte[] body) {
        SignalIngest<?> best = null;
        int bestScore = 0;
        boolean tied = false;
        for (SignalIngest<?> h : signals.values()) {
            int score = h.resemblance(encoding, body);
            if (score > bestScore) {
                best = h;
                bestScore = score;
                tied = false;
            } else if (score == bestScore && score > 0) {
                tied = true;
            }
        }
        if (best == null || tied) {
            throw new InvalidOtlpException(400, "cannot tell which OTLP signal the body holds: post to /v1/logs,"
                    + " /v1/metrics or /v1/traces");
        }
        return best;
    }

    /**
     * What an accepted request produced.
     *
     * @param key the landing object written, or null when every record was rejected or dropped
     * @param response the OTLP response body, in the request's encoding
     */
    public record Accepted(Signal signal, OtlpEncoding encoding, String key, int rows, long rejected, byte[] response) {
        public Accepted {
            Objects.requireNonNull(signal, "signal is null");
            Objects.requireNonNull(encoding, "encoding is null");
            Objects.requireNonNull(response, "response is null");
        }

        public String contentType() {
            return encoding.contentType();
        }
    }
}
