package dev.agentlake.query.api;

import dev.agentlake.lake.model.Signal;
import dev.agentlake.lake.snapshot.LakeFiles;
import dev.agentlake.lake.snapshot.Snapshot;
import dev.agentlake.lake.snapshot.TableFile;
import dev.agentlake.lake.store.StoredObject;
import dev.agentlake.query.duckdb.LakeDatabase;
import dev.agentlake.query.duckdb.LakeScope;
import io.micronaut.context.annotation.Requires;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What is in the lake: {@code GET /api/stats} (row and file counts), {@code GET /api/services}
 * (who reports), {@code GET /api/connect} (where to send telemetry), and {@code GET /api/live?since=} (has anything arrived since, so the page refreshes
 * within seconds of ingest).
 */
@Controller("/api")
@Requires(property = "agentlake.query.enabled", notEquals = "false")
@ExecuteOn(TaskExecutors.BLOCKING)
final class LakeController {
    /** How far a {@code /api/live} cursor trails the clock beyond the refresh interval (see {@link #live}). */
    static final Duration LIVE_MARGIN = Duration.ofSeconds(2);

    private final LakeDatabase lake;
    private final dev.agentlake.query.QuerySettings settings;

    LakeController(LakeDatabase lake, dev.agentlake.query.QuerySettings settings) {
        this.lake = lake;
        this.settings = settings;
    }

    @Get(uri = "/stats", produces = MediaType.APPLICATION_JSON)
    String stats(HttpRequest<?> request) throws SQLException {
        Params.of(request.getParameters());
        LakeFiles files = lake.current();
        var out = new LinkedHashMap<String, Object>();
        out.put("snapshot_version", files.snapshot().map(Snapshot::version).orElse(0L));
        out.put("snapshot_committed_at", files.snapshot().map(s -> s.committedAt().toString()).orElse(null));
        var landing = new LinkedHashMap<String, Object>();
        for (Signal s : Signal.values()) {
            List<StoredObject> objects = files.landing(s);
            landing.put(s.folder(), Map.of("files", objects.size(),
                    "bytes", objects.stream().mapToLong(StoredObject::size).sum()));
        }
        out.put("landing", landing);
        var tables = new LinkedHashMap<String, Object>();
        files.snapshot().ifPresent(snap -> snap.files().stream().map(TableFile::table).distinct().sorted().forEach(t ->
                tables.put(t, Map.of("files", snap.files(t).size(),
                        "rows", snap.files(t).stream().mapToLong(TableFile::rows).sum(),
                        "bytes", snap.files(t).stream().mapToLong(TableFile::bytes).sum()))));
        out.put("tables", tables);
        var rows = new LinkedHashMap<String, Object>();
        try (Connection c = lake.open(LakeScope.ALL, "logs", "usage"); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT (SELECT count(*) FROM logs), (SELECT count(*) FROM usage)")) {
            rs.next();
            rows.put("logs", rs.getLong(1));
            rows.put("usage", rs.getLong(2));
        }
        out.put("rows", rows);
        return ApiJson.write(out);
    }

    /**
     * Where the assistants send telemetry, for the page's connect snippets: a URL where ingest has a host of
     * its own, else a port on the page's host.
     */
    @Get(uri = "/connect", produces = MediaType.APPLICATION_JSON)
    String connect(HttpRequest<?> request) {
        Params.of(request.getParameters());
        var out = new LinkedHashMap<String, Object>();
        out.put("ingest_port", settings.ingestPort());
        out.put("ingest_url", settings.ingestUrl());
        return ApiJson.write(out);
    }

    @Get(uri = "/services", produces = MediaType.APPLICATION_JSON)
    String services(HttpRequest<?> request) throws SQLException {
        TimeRange range = Params.of(request.getParameters(), "from", "to").range();
        String sql = "SELECT tool, service_name, service_version, host_name, count(*) AS records,"
                + " epoch_us(min(timestamp)) AS first, epoch_us(max(timestamp)) AS last FROM logs"
                + " WHERE timestamp >= CAST(? AS TIMESTAMPTZ) AND timestamp < CAST(? AS TIMESTAMPTZ)"
                + " GROUP BY ALL ORDER BY records DESC, tool, service_name";
        var rows = new ArrayList<Map<String, Object>>();
        try (Connection c = lake.open(LakeScope.of(range.from(), range.to()), "logs"); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, range.from().toString());
            ps.setString(2, range.to().toString());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    var row = new LinkedHashMap<String, Object>();
                    row.put("tool", rs.getString("tool"));
                    row.put("service_name", rs.getString("service_name"));
                    row.put("service_version", rs.getString("service_version"));
                    row.put("host_name", rs.getString("host_name"));
                    row.put("records", rs.getLong("records"));
                    row.put("first", Times.micros(rs.getLong("first")));
                    row.put("last", Times.micros(rs.getLong("last")));
                    rows.add(row);
                }
            }
        }
        return ApiJson.write(Map.of("rows", rows));
    }

    @Get(uri = "/live", produces = MediaType.APPLICATION_JSON)
    String live(HttpRequest<?> request) {
        Params p = Params.of(request.getParameters(), "since");
        Instant since = p.text("since") == null ? Instant.EPOCH : TimeRange.instant("since", p.text("since"), Instant.now());
        LakeFiles files = lake.current();
        long arrived = 0;
        Instant latest = Instant.EPOCH;
        for (Signal s : Signal.values()) {
            for (StoredObject o : files.landing(s)) {
                if (o.lastModified().isAfter(since)) {
                    arrived++;
                }
                if (o.lastModified().isAfter(latest)) {
                    latest = o.lastModified();
                }
            }
        }
        Instant committed = files.snapshot().map(Snapshot::committedAt).orElse(Instant.EPOCH);
        var out = new LinkedHashMap<String, Object>();
        // The next cursor trails the clock: the listing may be a refresh interval old, and object times are
        // whole seconds (S3 truncates, so one put at x.95 s reads x), so an object that landed just before
        // this answer would otherwise never count. Truncation alone can take almost a second; the second
        // second covers the answer's own latency and an upload still in flight. One in that margin is
        // reported twice instead (one reload more).
        out.put("now", Instant.now().minus(settings.refreshInterval()).minus(LIVE_MARGIN).toString());
        out.put("changed", arrived > 0 || committed.isAfter(since));
        out.put("new_landing_files", arrived);
        out.put("latest_landing", latest.equals(Instant.EPOCH) ? null : latest.toString());
        out.put("snapshot_version", files.snapshot().map(Snapshot::version).orElse(0L));
        return ApiJson.write(out);
    }
}
