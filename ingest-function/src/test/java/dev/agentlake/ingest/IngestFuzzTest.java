package dev.agentlake.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ContainerNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.CodedInputStream;
import dev.agentlake.lake.model.Signal;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import java.util.zip.Inflater;
import java.util.zip.InflaterInputStream;
import org.junit.jupiter.api.Test;

/**
 * Hostile input at volume: 10,000 generated malformed requests (mutated protobuf and JSON from the
 * fixture captures, bad gzip, wrong content types, oversize bodies) against the real ingest function
 * over a real S3-compatible server. Seeded, so a failure names the request number that reproduces it.
 * Every answer must be a 4xx with a one-line reason (and nothing written) or a 200 (a mutation can
 * still be valid OTLP); never a 5xx, a dropped connection or a hang; the heap stays bounded.
 */
class IngestFuzzTest {
    private static final long SEED = 20261122L;
    /**
     * 2,000 in the default build (about a minute on 2 shared cores); the full suite is
     * {@code -Dfuzz.requests=10000} (see docs/reliability.md).
     */
    private static final int REQUESTS = Integer.getInteger("fuzz.requests", 2_000);
    private static final String PROTOBUF = "application/x-protobuf";
    private static final String JSON = "application/json";
    private static final List<String> PATHS = List.of("/v1/logs", "/v1/metrics", "/v1/traces");
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    /** Above the 16 MiB default of agentlake.ingest.max-body-bytes. */
    private static final int OVERSIZE = 17 * 1024 * 1024;

    /** One generated request; {@code kind} names the generator in failure messages. */
    record FuzzRequest(String kind, String path, String contentType, String contentEncoding, byte[] body) {
    }

    private final Random random = new Random(SEED);
    private final List<CapturedRequest> protobufFixtures = new ArrayList<>();
    private final List<CapturedRequest> jsonFixtures = new ArrayList<>();
    private final Map<String, byte[]> bodies = new TreeMap<>();

    @Test
    void givenThousandsOfMalformedRequests_whenPosted_thenEachIsA4xxWithOneLineReasonOrA200_andOnly200sWrite()
            throws Exception {
        for (String run : new TreeMap<>(CapturedRequest.RUNS).keySet()) {
            for (CapturedRequest request : CapturedRequest.of(run)) {
                bodies.put(request.toString(), request.body());
                (request.encoding() == OtlpEncoding.PROTOBUF ? protobufFixtures : jsonFixtures).add(request);
            }
        }
        long heapBefore = usedHeapAfterGc();
        var statuses = new TreeMap<Integer, Integer>();
        var kindsAccepted = new TreeMap<String, Integer>();
        int objects = 0;
        var nanosByKind = new TreeMap<String, Long>();
        // A landing key ends in the content hash of the stored body, so every object can be traced back
        // to the request that wrote it: each one must belong to a request answered 200.
        Set<String> acceptedHashes = new HashSet<>();
        Set<String> distinctAcceptedBodies = new HashSet<>();
        try (RunningIngest ingest = RunningIngest.start()) {
            assertThat(ingest.s3.keys()).isEmpty();
            for (int i = 0; i < REQUESTS; i++) {
                FuzzRequest request = next(i);
                String where = "request #" + i + " (seed " + SEED + ", " + request.kind() + ")";
                HttpResponse<byte[]> response;
                try {
                    long t0 = System.nanoTime();
                    response = send(ingest, request);
                    nanosByKind.merge(request.kind().replaceAll(" [^ ]*/.*", ""), System.nanoTime() - t0, Long::sum);
                } catch (IOException e) {
                    throw new AssertionError(where + ": connection failed: " + e, e);
                }
                int status = response.statusCode();
                statuses.merge(status, 1, Integer::sum);
                assertThat(status).as(where + " status").isIn(200, 400, 401, 404, 405, 411, 413, 415);
                if (status == 200) {
                    kindsAccepted.merge(request.kind(), 1, Integer::sum);
                    byte[] stored = inflated(request);
                    distinctAcceptedBodies.add(sha256(stored));
                    for (Signal signal : Signal.values()) {
                        acceptedHashes.add(RecordIds.contentHash(signal.folder(), stored));
                    }
                } else {
                    assertThat(reason(response)).as(where + " reason").isNotBlank().doesNotContain("\n")
                            .hasSizeLessThan(500);
                }
                if (i % 500 == 499 || i == REQUESTS - 1) {
                    List<String> keys = ingest.s3.keys();
                    for (String key : keys) {
                        String hash = key.substring(key.lastIndexOf('/') + 1, key.length() - ".parquet".length());
                        assertThat(acceptedHashes).as("up to " + where + ": " + key + " belongs to a 200").contains(hash);
                    }
                    // Equal bodies are stored once; a valid body without a single record writes nothing.
                    assertThat(keys.size()).as("objects after " + where).isLessThanOrEqualTo(distinctAcceptedBodies.size());
                    objects = keys.size();
                }
            }
        }
        long heapAfter = usedHeapAfterGc();
        System.out.printf("fuzz: %d requests, statuses %s, %d objects from %d distinct accepted bodies, heap after GC %d MiB -> %d MiB, accepted by kind %s%n",
                REQUESTS, statuses, objects, distinctAcceptedBodies.size(), heapBefore >> 20, heapAfter >> 20, kindsAccepted);
        nanosByKind.replaceAll((k, v) -> v / 1_000_000);
        System.out.println("fuzz: milliseconds by kind " + nanosByKind);
        assertThat(statuses.keySet()).as("statuses seen").contains(200, 400, 413, 415);
        assertThat(statuses.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(REQUESTS);
        // Generous: the server is stopped, so anything it kept beyond this is a leak.
        assertThat(heapAfter).as("used heap after GC (bytes)").isLessThan(heapBefore + 128L * 1024 * 1024);
    }

    private static HttpResponse<byte[]> send(RunningIngest ingest, FuzzRequest request) throws Exception {
        var builder = HttpRequest.newBuilder(URI.create(ingest.url(request.path())))
                .timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofByteArray(request.body()));
        if (request.contentType() != null) {
            builder.header("Content-Type", request.contentType());
        }
        if (request.contentEncoding() != null) {
            builder.header("Content-Encoding", request.contentEncoding());
        }
        return HTTP.send(builder.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    /** The one-line reason of an error body: google.rpc.Status (protobuf), JSON message, or the text. */
    private static String reason(HttpResponse<byte[]> response) throws IOException {
        String type = response.headers().firstValue("Content-Type").orElse("");
        byte[] body = response.body();
        if (type.startsWith(PROTOBUF)) {
            CodedInputStream in = CodedInputStream.newInstance(body);
            String message = null;
            int tag;
            while ((tag = in.readTag()) != 0) {
                if (tag == 18) {
                    message = in.readStringRequireUtf8();
                } else {
                    in.skipField(tag);
                }
            }
            return message;
        }
        if (type.startsWith(JSON)) {
            JsonNode node = MAPPER.readTree(body);
            return node.path("message").asText(null);
        }
        return new String(body, StandardCharsets.UTF_8).stripTrailing();
    }

    // ---------------------------------------------------------------------------------------------
    // Generators. Each draws from the one seeded Random, so request #i is the same on every run.

    private FuzzRequest next(int i) throws IOException {
        // A handful of the expensive ones, spread over the run.
        if (i % 2000 == 100) {
            return oversize(i / 2000);
        }
        if (i % 2500 == 150) {
            return deepJson();
        }
        if (i % 1000 == 200) {
            return hugeJsonString();
        }
        int pick = random.nextInt(100);
        if (pick < 40) {
            return mutatedProtobuf();
        }
        if (pick < 70) {
            return brokenJson();
        }
        if (pick < 85) {
            return badCompression();
        }
        return wrongContentType();
    }

    private FuzzRequest mutatedProtobuf() {
        CapturedRequest fixture = pick(protobufFixtures);
        byte[] body = bodies.get(fixture.toString()).clone();
        String path = random.nextInt(10) == 0 ? pick(PATHS) : fixture.path();
        switch (random.nextInt(6)) {
            case 0: {
                int flips = 1 + random.nextInt(8);
                for (int f = 0; f < flips; f++) {
                    int at = random.nextInt(body.length);
                    body[at] ^= (byte) (1 << random.nextInt(8));
                }
                return new FuzzRequest("protobuf bit flips", path, PROTOBUF, null, body);
            }
            case 1:
                return new FuzzRequest("protobuf truncated", path, PROTOBUF, null,
                        Arrays.copyOf(body, 1 + random.nextInt(body.length - 1)));
            case 2: {
                byte[] other = bodies.get(pick(protobufFixtures).toString());
                int cut = random.nextInt(body.length);
                int from = random.nextInt(other.length);
                var out = new ByteArrayOutputStream();
                out.write(body, 0, cut);
                out.write(other, from, other.length - from);
                return new FuzzRequest("protobuf splice", path, PROTOBUF, null, out.toByteArray());
            }
            case 3: {
                // Length-delimited fields: a tag byte with wire type 2 followed by a varint length.
                List<Integer> lengths = new ArrayList<>();
                for (int at = 0; at + 1 < body.length; at++) {
                    if ((body[at] & 0x07) == 2 && (body[at] & 0x80) == 0) {
                        lengths.add(at + 1);
                    }
                }
                int at = lengths.get(random.nextInt(lengths.size()));
                byte[] corrupted = {(byte) 0xFF, (byte) 0x7F, 0, (byte) random.nextInt(256)};
                body[at] = corrupted[random.nextInt(corrupted.length)];
                return new FuzzRequest("protobuf length field", path, PROTOBUF, null, body);
            }
            case 4: {
                // A huge declared length: 5-byte varint saying ~2 GiB.
                int at = random.nextInt(body.length);
                var out = new ByteArrayOutputStream();
                out.write(body, 0, at);
                out.write(new byte[] {0x0A, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x07}, 0, 6);
                out.write(body, at, body.length - at);
                return new FuzzRequest("protobuf huge length", path, PROTOBUF, null, out.toByteArray());
            }
            default: {
                byte[] noise = new byte[1 + random.nextInt(64)];
                random.nextBytes(noise);
                int at = random.nextInt(body.length);
                var out = new ByteArrayOutputStream();
                out.write(body, 0, at);
                out.write(noise, 0, noise.length);
                out.write(body, at, body.length - at);
                return new FuzzRequest("protobuf random insert", path, PROTOBUF, null, out.toByteArray());
            }
        }
    }

    private FuzzRequest brokenJson() throws IOException {
        CapturedRequest fixture = pick(jsonFixtures);
        byte[] body = bodies.get(fixture.toString());
        String path = fixture.path();
        switch (random.nextInt(4)) {
            case 0:
                return new FuzzRequest("json truncated", path, JSON, null,
                        Arrays.copyOf(body, random.nextInt(body.length)));
            case 1: {
                JsonNode tree = MAPPER.readTree(body);
                int changes = 1 + random.nextInt(3);
                for (int c = 0; c < changes; c++) {
                    replaceRandomValue(tree);
                }
                return new FuzzRequest("json wrong types", path, JSON, null, MAPPER.writeValueAsBytes(tree));
            }
            case 2: {
                // Invalid UTF-8 inside the text: a lone continuation byte, an overlong form, a bare lead.
                byte[][] invalid = {{(byte) 0x80}, {(byte) 0xC0, (byte) 0xAF}, {(byte) 0xE2, 0x28}, {(byte) 0xFF}};
                String text = new String(body, StandardCharsets.UTF_8);
                int quote = text.indexOf('"', random.nextInt(text.length()));
                int at = quote < 0 ? body.length / 2 : text.substring(0, quote + 1).getBytes(StandardCharsets.UTF_8).length;
                var out = new ByteArrayOutputStream();
                out.write(body, 0, at);
                out.writeBytes(invalid[random.nextInt(invalid.length)]);
                out.write(body, at, body.length - at);
                return new FuzzRequest("json invalid utf-8", path, JSON, null, out.toByteArray());
            }
            default: {
                String[] garbage = {"", "{", "}", "[]", "null", "0", "\"x\"", "{\"resourceLogs\":", "{\"resourceLogs\":{}}",
                    "{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{\"traceId\":12}]}]}]}",
                    "{\"resourceMetrics\":[{\"scopeMetrics\":[{\"metrics\":[{\"sum\":{\"dataPoints\":[{\"asInt\":\"x\"}]}}]}]}]}",
                    "{\"resourceLogs\":[{\"scopeLogs\":[{\"logRecords\":[{\"timeUnixNano\":\"-1\"}]}]}]}",
                    "\uFEFF{}", "{\"a\":1e999999}", "{\"resourceLogs\":[null]}", "[[[[[[[["};
                return new FuzzRequest("json garbage", pick(PATHS), JSON, null,
                        garbage[random.nextInt(garbage.length)].getBytes(StandardCharsets.UTF_8));
            }
        }
    }

    /** Replaces one random value somewhere in the tree by one of another JSON type. */
    private void replaceRandomValue(JsonNode root) {
        JsonNode node = root;
        ContainerNode<?> parent = null;
        String field = null;
        int index = -1;
        int depth = 0;
        while (node.isContainerNode() && node.size() > 0 && depth < 12 && (depth < 2 || random.nextInt(4) != 0)) {
            parent = (ContainerNode<?>) node;
            if (node.isObject()) {
                List<String> names = new ArrayList<>();
                Iterator<String> it = node.fieldNames();
                it.forEachRemaining(names::add);
                field = names.get(random.nextInt(names.size()));
                index = -1;
                node = node.get(field);
            } else {
                index = random.nextInt(node.size());
                field = null;
                node = node.get(index);
            }
            depth++;
        }
        if (parent == null) {
            return;
        }
        JsonNodeFactory f = JsonNodeFactory.instance;
        JsonNode replacement;
        switch (random.nextInt(7)) {
            case 0: replacement = f.numberNode(random.nextLong()); break;
            case 1: replacement = f.textNode("not-" + random.nextInt(1000)); break;
            case 2: replacement = f.booleanNode(random.nextBoolean()); break;
            case 3: replacement = f.nullNode(); break;
            case 4: replacement = f.arrayNode().add(1).add("two"); break;
            case 5: replacement = f.objectNode().put("unexpected", true); break;
            default: replacement = f.numberNode(-1.5e300); break;
        }
        if (parent instanceof ObjectNode) {
            ((ObjectNode) parent).set(field, replacement);
        } else {
            ((ArrayNode) parent).set(index, replacement);
        }
    }

    private FuzzRequest deepJson() {
        // 10,000 levels of nesting inside a log body (an AnyValue may legally nest).
        String open = "{\"kvlistValue\":{\"values\":[{\"key\":\"k\",\"value\":";
        String close = "}]}}";
        var text = new StringBuilder("{\"resourceLogs\":[{\"scopeLogs\":[{\"logRecords\":[{\"body\":");
        text.append(open.repeat(10_000)).append("{\"stringValue\":\"deep\"}").append(close.repeat(10_000));
        text.append("}]}]}]}");
        if (random.nextBoolean()) {
            return new FuzzRequest("json 10000-deep AnyValue", "/v1/logs", JSON, null,
                    text.toString().getBytes(StandardCharsets.UTF_8));
        }
        return new FuzzRequest("json 10000-deep arrays", pick(PATHS), JSON, null,
                ("[".repeat(10_000) + "]".repeat(10_000)).getBytes(StandardCharsets.UTF_8));
    }

    private FuzzRequest hugeJsonString() {
        // A 4 MiB string value in a well-formed log: under the body limit, so it may be accepted.
        String huge = "x".repeat(4 * 1024 * 1024);
        String body = "{\"resourceLogs\":[{\"scopeLogs\":[{\"logRecords\":[{\"timeUnixNano\":\"1700000000000000000\","
                + "\"body\":{\"stringValue\":\"" + huge + random.nextInt() + "\"}}]}]}]}";
        return new FuzzRequest("json 4 MiB string", "/v1/logs", JSON, null, body.getBytes(StandardCharsets.UTF_8));
    }

    private FuzzRequest oversize(int n) throws IOException {
        byte[] big = new byte[OVERSIZE];
        switch (n % 3) {
            case 0:
                return new FuzzRequest("oversize protobuf 17 MiB", "/v1/logs", PROTOBUF, null, big);
            case 1:
                // A gzip bomb: 17 MiB of zeros inflate from ~17 KiB.
                return new FuzzRequest("gzip bomb 17 MiB inflated", "/v1/logs", PROTOBUF, "gzip", gzip(big));
            default:
                Arrays.fill(big, (byte) ' ');
                big[0] = '{';
                big[big.length - 1] = '}';
                return new FuzzRequest("oversize json 17 MiB", "/v1/logs", JSON, null, big);
        }
    }

    private FuzzRequest badCompression() throws IOException {
        boolean protobuf = random.nextBoolean();
        CapturedRequest fixture = pick(protobuf ? protobufFixtures : jsonFixtures);
        byte[] body = bodies.get(fixture.toString());
        String type = protobuf ? PROTOBUF : JSON;
        switch (random.nextInt(6)) {
            case 0:
                return new FuzzRequest("gzip header, plain body", fixture.path(), type, "gzip", body);
            case 1: {
                byte[] gz = gzip(body);
                return new FuzzRequest("gzip truncated", fixture.path(), type, "gzip",
                        Arrays.copyOf(gz, 1 + random.nextInt(gz.length - 1)));
            }
            case 2: {
                byte[] gz = gzip(body);
                // Past the 10-byte header: corrupt the deflate stream or the CRC/length trailer.
                int at = 10 + random.nextInt(gz.length - 10);
                gz[at] ^= (byte) (1 + random.nextInt(255));
                return new FuzzRequest("gzip corrupted", fixture.path(), type, "gzip", gz);
            }
            case 3: {
                byte[] noise = new byte[1 + random.nextInt(512)];
                random.nextBytes(noise);
                noise[0] = 0x1f;
                if (noise.length > 1) {
                    noise[1] = (byte) 0x8b;
                }
                return new FuzzRequest("gzip magic then noise", fixture.path(), type, "gzip", noise);
            }
            case 4: {
                var out = new ByteArrayOutputStream();
                try (var deflate = new DeflaterOutputStream(out, new Deflater(Deflater.BEST_SPEED, true))) {
                    deflate.write(body);
                }
                // Raw deflate declared as zlib "deflate": the header is missing.
                return new FuzzRequest("raw deflate as deflate", fixture.path(), type, "deflate", out.toByteArray());
            }
            default: {
                String[] encodings = {"br", "zstd", "compress", "gzip, br", "identity;q=0", "x-unknown"};
                return new FuzzRequest("unknown encoding", fixture.path(), type,
                        encodings[random.nextInt(encodings.length)], body);
            }
        }
    }

    private FuzzRequest wrongContentType() {
        boolean protobuf = random.nextBoolean();
        CapturedRequest fixture = pick(protobuf ? protobufFixtures : jsonFixtures);
        byte[] body = bodies.get(fixture.toString());
        String[] types = {null, "text/plain", "application/xml", "multipart/form-data; boundary=x",
            "application/octet-stream", "application/x-www-form-urlencoded", "image/png", ";;;", "application/",
            protobuf ? JSON : PROTOBUF};
        String type = types[random.nextInt(types.length)];
        return new FuzzRequest("content type " + type, fixture.path(), type, null, body);
    }

    // ---------------------------------------------------------------------------------------------

    private <T> T pick(List<T> from) {
        return from.get(random.nextInt(from.size()));
    }

    private static byte[] gzip(byte[] body) throws IOException {
        var out = new ByteArrayOutputStream();
        try (var gz = new GZIPOutputStream(out)) {
            gz.write(body);
        }
        return out.toByteArray();
    }

    /** The body as the server stores it: inflated as BodyInflater does (200s carry a valid stream only). */
    private static byte[] inflated(FuzzRequest request) {
        String encoding = request.contentEncoding() == null ? "" : request.contentEncoding().trim().toLowerCase();
        byte[] body = request.body();
        try {
            switch (encoding) {
                case "gzip":
                case "x-gzip":
                    return new GZIPInputStream(new ByteArrayInputStream(body)).readAllBytes();
                case "deflate":
                    try {
                        return new InflaterInputStream(new ByteArrayInputStream(body)).readAllBytes();
                    } catch (IOException zlib) {
                        return new InflaterInputStream(new ByteArrayInputStream(body), new Inflater(true)).readAllBytes();
                    }
                default:
                    return body;
            }
        } catch (IOException e) {
            throw new AssertionError("a request answered 200 has a body that does not inflate: " + e, e);
        }
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static long usedHeapAfterGc() {
        Runtime runtime = Runtime.getRuntime();
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return runtime.totalMemory() - runtime.freeMemory();
    }
}
