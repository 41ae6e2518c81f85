package dev.agentlake.bench;

import dev.agentlake.cli.local.LocalLake;
import dev.agentlake.cli.local.LocalServer;
import dev.agentlake.lake.snapshot.Snapshot;
import dev.agentlake.lake.snapshot.SnapshotStore;
import dev.agentlake.lake.snapshot.TableFile;
import dev.agentlake.lake.store.S3ObjectStore;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The dashboard's overview calls against a large lake, warm, compared with the same SQL run
 * directly in DuckDB on the same files (the reference, measured in the same run).
 *
 * <p>{@code bench/run QueryBench [usageRows] [logRows] [days] [repetitions]}; defaults 10M, 10M, 90, 15.
 * Data: compacted {@code usage} and {@code logs} tables over {@code days} days ending now, committed
 * with a snapshot into an embedded S3-compatible server, read by the query function as in production.
 */
public final class QueryBench {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    public static void main(String[] args) throws Exception {
        long usageRows = args.length > 0 ? Long.parseLong(args[0]) : 10_000_000L;
        long logRows = args.length > 1 ? Long.parseLong(args[1]) : 10_000_000L;
        int days = args.length > 2 ? Integer.parseInt(args[2]) : 90;
        int repetitions = args.length > 3 ? Integer.parseInt(args[3]) : 15;
        Path work = Files.createTempDirectory("agentlake-query-bench");
        // Generating 20M rows takes minutes: AGENTLAKE_QUERY_BENCH_DATA names a folder that keeps the
        // generated tables (and the instant they end at) for the next run with the same sizes.
        String kept = System.getenv("AGENTLAKE_QUERY_BENCH_DATA");
        Path staging = kept != null
                ? Path.of(kept).resolve(usageRows + "-" + logRows + "-" + days)
                : work.resolve("staging");
        Path endFile = staging.resolve("end.txt");
        Instant end;
        if (Files.exists(endFile)) {
            end = Instant.parse(Files.readString(endFile).strip());
            System.out.printf("reusing the generated tables in %s (ending %s)%n", staging, end);
        } else {
            end = Instant.now().truncatedTo(ChronoUnit.SECONDS);
            System.out.printf("generating %,d usage and %,d log rows over %d days in %s%n", usageRows, logRows, days, staging);
            generate(staging, usageRows, logRows, days, end);
            Files.writeString(endFile, end.toString());
        }

        try (LocalLake lake = LocalLake.embedded(work.resolve("s3"), "agentlake");
             S3ObjectStore store = S3ObjectStore.create(lake.settings())) {
            var files = new ArrayList<TableFile>();
            for (String table : List.of("usage", "logs")) {
                files.addAll(upload(store, staging.resolve(table), table));
            }
            new SnapshotStore(store).commit(new Snapshot(Snapshot.FORMAT, 1, 0, Instant.now(), files, Set.of(), "bench", "bench"));
            System.out.printf("committed %d table files%n", files.size());
            try (LocalServer server = LocalServer.start(lake, "127.0.0.1", 0, 0, work.resolve("cache").toString())) {
                run(server.httpPort(), work.resolve("cache"), repetitions, end);
            }
        }
    }

    /** Writes both tables with DuckDB, partitioned by dt=, in the lake's column layout. */
    static void generate(Path staging, long usageRows, long logRows, int days, Instant end) throws Exception {
        Files.createDirectories(staging);
        long endUs = end.toEpochMilli() * 1000L;
        long spanUs = days * 86_400_000_000L;
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement st = c.createStatement()) {
            st.execute("SET TimeZone = 'UTC'");
            st.execute("COPY (SELECT ts AS timestamp, 'call-' || i AS call_id,"
                    + " ['claude-code', 'codex', 'gemini-cli'][1 + i % 3] AS tool, 'session-' || (i // 40) AS session_id,"
                    + " 'prompt-' || (i // 4) AS prompt_id,"
                    + " ['claude-opus-5-5', 'claude-sonnet-4-5', 'gpt-5-codex', 'gemini-3.8-flash', 'gemini-3.5-flash-lite'][1 + i % 5] AS model,"
                    + " 'host-' || (i % 4) AS host_name, 'project-' || (i % 12) AS project, 'user-1' AS user_id,"
                    + " (100 + i % 5000)::BIGINT AS input_tokens, (10 + i % 800)::BIGINT AS output_tokens,"
                    + " (i % 20000)::BIGINT AS cache_read_tokens, (i % 700)::BIGINT AS cache_write_tokens,"
                    + " 0::BIGINT AS cache_write_1h_tokens, (i % 7)::BIGINT AS reasoning_tokens, 0::BIGINT AS tool_tokens,"
                    + " (i % 1000) / 100000.0 AS cost_usd, 'calculated' AS cost_source, NULL::DOUBLE AS reported_cost_usd,"
                    + " (500 + i % 9000)::DOUBLE AS duration_ms, true AS success, false AS routing, 'otlp' AS source,"
                    + " strftime(ts, '%Y-%m-%d') AS dt"
                    + " FROM (SELECT i, make_timestamptz(" + endUs + " - " + spanUs + " + CAST(i::HUGEINT * " + spanUs + " // " + usageRows + " AS BIGINT)"
                    + ") AS ts FROM range(" + usageRows + ") t(i)) ORDER BY timestamp)"
                    + " TO '" + staging.resolve("usage") + "' (FORMAT parquet, COMPRESSION zstd, PARTITION_BY (dt), ROW_GROUP_SIZE 122880)");
            st.execute("COPY (SELECT ts AS timestamp, NULL::TIMESTAMPTZ AS observed_timestamp, md5(i::VARCHAR)[1:32] AS record_id,"
                    + " ['claude-code', 'codex', 'gemini-cli'][1 + i % 3] AS tool, 'svc' AS service_name, '1.0' AS service_version,"
                    + " 'host-' || (i % 4) AS host_name, 'scope' AS scope_name, NULL AS scope_version,"
                    + " ['INFO', 'DEBUG', 'WARN', 'ERROR'][1 + i % 4] AS severity_text, 9 AS severity_number,"
                    + " ['user_prompt', 'api_request', 'tool_decision', 'tool_result', 'assistant_response'][1 + i % 5] AS event_name,"
                    + " 'event body number ' || i AS body, 'session-' || (i // 40) AS session_id, 'prompt-' || (i // 10) AS prompt_id,"
                    + " NULL AS user_id, 'project-' || (i % 12) AS project, NULL AS model, NULL::BIGINT AS input_tokens,"
                    + " NULL::BIGINT AS output_tokens, NULL::BIGINT AS cache_read_tokens, NULL::BIGINT AS cache_write_tokens,"
                    + " NULL::BIGINT AS cache_write_5m_tokens, NULL::BIGINT AS cache_write_1h_tokens, NULL::BIGINT AS reasoning_tokens,"
                    + " NULL::BIGINT AS tool_tokens, NULL::DOUBLE AS cost_usd, NULL::DOUBLE AS duration_ms, (i % 17 <> 0) AS success,"
                    + " NULL AS tool_name, NULL AS decision, NULL AS request_id, NULL AS trace_id, NULL AS span_id, 0 AS trace_flags,"
                    + " '{\"n\":' || i || '}' AS log_attributes, '{\"service.name\":\"svc\"}' AS resource_attributes,"
                    + " 'otlp' AS source, strftime(ts, '%Y-%m-%d') AS dt"
                    + " FROM (SELECT i, make_timestamptz(" + endUs + " - " + spanUs + " + CAST(i::HUGEINT * " + spanUs + " // " + logRows + " AS BIGINT)"
                    + ") AS ts FROM range(" + logRows + ") t(i)) ORDER BY timestamp)"
                    + " TO '" + staging.resolve("logs") + "' (FORMAT parquet, COMPRESSION zstd, PARTITION_BY (dt), ROW_GROUP_SIZE 122880)");
        }
    }

    static List<TableFile> upload(S3ObjectStore store, Path dir, String table) throws Exception {
        var files = new ArrayList<TableFile>();
        try (Stream<Path> walk = Files.walk(dir); Connection c = DriverManager.getConnection("jdbc:duckdb:")) {
            for (Path p : walk.filter(f -> f.toString().endsWith(".parquet")).sorted().toList()) {
                LocalDate dt = LocalDate.parse(p.getParent().getFileName().toString().substring(3));
                String key = "tables/" + table + "/dt=" + dt + "/bench-" + p.getFileName();
                store.put(key, Files.readAllBytes(p));
                long rows;
                try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(
                        "SELECT count(*) FROM read_parquet('" + p + "')")) {
                    rs.next();
                    rows = rs.getLong(1);
                }
                files.add(new TableFile(table, key, dt, rows, Files.size(p)));
            }
        }
        return files;
    }

    record Call(String name, String path, String sql) {
    }

    static void run(int port, Path cache, int repetitions, Instant end) throws Exception {
        String from30 = end.minus(30, ChronoUnit.DAYS).toString();
        String from1 = end.minus(1, ChronoUnit.DAYS).toString();
        String to = end.plusSeconds(1).toString();
        String usageCounters = "count(*), sum(input_tokens), sum(output_tokens), sum(cache_read_tokens),"
                + " sum(cache_write_tokens), sum(reasoning_tokens), sum(cost_usd), sum(reported_cost_usd)";
        String range30 = " WHERE timestamp >= '" + from30 + "'::TIMESTAMPTZ AND timestamp < '" + to + "'::TIMESTAMPTZ";
        List<Call> calls = List.of(
                new Call("usage by day, 30 d", "/api/usage?from=" + from30 + "&to=" + to + "&groupBy=day",
                        "SELECT CAST(make_timestamp(epoch_us(timestamp)) AS DATE) AS day, " + usageCounters
                                + " FROM usage" + range30 + " GROUP BY ALL ORDER BY ALL"),
                new Call("usage by model, 30 d", "/api/usage?from=" + from30 + "&to=" + to + "&groupBy=model",
                        "SELECT model, " + usageCounters + " FROM usage" + range30 + " GROUP BY ALL ORDER BY ALL"),
                new Call("usage by tool, 30 d", "/api/usage?from=" + from30 + "&to=" + to + "&groupBy=tool",
                        "SELECT tool, " + usageCounters + " FROM usage" + range30 + " GROUP BY ALL ORDER BY ALL"),
                new Call("latest 100 logs, 1 d", "/api/logs?from=" + from1 + "&to=" + to + "&limit=100",
                        "SELECT * FROM logs WHERE timestamp >= '" + from1 + "'::TIMESTAMPTZ AND timestamp < '" + to
                                + "'::TIMESTAMPTZ ORDER BY timestamp DESC, record_id LIMIT 100"));
        // Warm: the query function fetches its copies and DuckDB its metadata on first use.
        for (Call call : calls) {
            get(port, call.path());
            get(port, call.path());
        }
        var rows = new ArrayList<String>();
        rows.add("| call | API median ms | DuckDB median ms | ratio |");
        rows.add("|---|---|---|---|");
        try (Connection raw = DriverManager.getConnection("jdbc:duckdb:"); Statement st = raw.createStatement()) {
            st.execute("SET TimeZone = 'UTC'");
            for (String table : List.of("usage", "logs")) {
                List<String> files;
                try (Stream<Path> w = Files.walk(cache.resolve("tables/" + table))) {
                    files = w.filter(f -> f.toString().endsWith(".parquet")).map(f -> "'" + f + "'").sorted().toList();
                }
                st.execute("CREATE VIEW " + table + " AS SELECT * FROM read_parquet([" + String.join(",", files) + "])");
            }
            for (Call call : calls) {
                long[] api = new long[repetitions];
                long[] duck = new long[repetitions];
                for (int i = 0; i < repetitions; i++) {
                    long t0 = System.nanoTime();
                    get(port, call.path());
                    api[i] = System.nanoTime() - t0;
                    t0 = System.nanoTime();
                    try (ResultSet rs = st.executeQuery(call.sql())) {
                        while (rs.next()) {
                            rs.getObject(1);
                        }
                    }
                    duck[i] = System.nanoTime() - t0;
                }
                double a = median(api) / 1e6;
                double d = median(duck) / 1e6;
                rows.add(String.format("| %s | %.1f | %.1f | %.2f |", call.name(), a, d, a / d));
            }
        }
        System.out.println(rows.stream().collect(Collectors.joining("\n")));
    }

    static double median(long[] v) {
        long[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2.0;
    }

    static String get(int port, String path) throws Exception {
        var r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException(path + " answered " + r.statusCode() + ": " + r.body());
        }
        return r.body();
    }
}
