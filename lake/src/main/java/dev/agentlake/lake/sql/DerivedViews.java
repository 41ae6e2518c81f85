package dev.agentlake.lake.sql;

import dev.agentlake.lake.pricing.ModelPrice;
import dev.agentlake.lake.pricing.PriceMode;
import dev.agentlake.lake.pricing.PriceTable;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;

/**
 * The gold tables as SQL views, in one place for their two users: the compactor writes them to
 * {@code tables/usage} and {@code tables/sessions}, and the query function evaluates the same views
 * over landing data that is not compacted yet. The SQL lives in
 * {@code dev/agentlake/lake/sql/*.sql}; this class only names the relations, loads the prices of
 * the models present, and runs the files in order (DuckDB dialect, on any JDBC connection to DuckDB).
 *
 * <p>Inputs (tables or views the caller has created): {@code logs} (the {@code logs} table's columns),
 * {@code imported_usage} (the {@code usage} columns, rows from imports) and optionally {@code metrics}.
 * Outputs: the views {@code usage} and {@code sessions} (and {@code metric_deltas} when there are metrics).
 */
public final class DerivedViews {
    private static final List<String> FILES = List.of("usage_calls.sql", "usage.sql", "metric_deltas.sql", "sessions.sql");
    private static final Map<String, String> SQL = load();

    private final PriceTable prices;
    private final PriceMode mode;
    private final String preferSource;

    public DerivedViews(PriceTable prices, PriceMode mode, UsageSettings usage) {
        this.prices = Objects.requireNonNull(prices, "prices is null");
        this.mode = Objects.requireNonNull(mode, "mode is null");
        this.preferSource = Objects.requireNonNull(usage, "usage is null").preferSource();
    }

    /**
     * Relation names: inputs the caller provides and outputs this class creates (as temp views, plus
     * the temp table {@code modelPrices}). {@code metrics} may be null when there are no metrics.
     */
    public record Names(String logs, String importedUsage, String metrics, String usageCalls, String modelPrices,
                        String usage, String sessionMetrics, String metricDeltas, String sessions) {
        public Names {
            for (String n : new String[] {logs, importedUsage, usageCalls, modelPrices, usage, sessionMetrics,
                    metricDeltas, sessions}) {
                identifier(n);
            }
            if (metrics != null) {
                identifier(metrics);
            }
        }

        /** Inputs {@code logs}, {@code imported_usage}, {@code metrics}; outputs {@code usage}, {@code sessions}. */
        public static Names defaults(boolean withMetrics) {
            return new Names("logs", "imported_usage", withMetrics ? "metrics" : null, "agentlake_usage_calls",
                    "agentlake_model_prices", "usage", "agentlake_session_metrics", "metric_deltas", "sessions");
        }

        public Names withMetrics(String relation) {
            return new Names(logs, importedUsage, relation, usageCalls, modelPrices, usage, sessionMetrics,
                    metricDeltas, sessions);
        }
    }

    /**
     * Identifies the derivation: prices, mode, source preference and the SQL itself. When it changes,
     * rows derived before no longer match and the compactor derives every partition again.
     */
    public String fingerprint() {
        return "prices=" + prices.version() + ";mode=" + mode.word() + ";prefer=" + preferSource + ";sql=" + sqlVersion();
    }

    public PriceTable prices() {
        return prices;
    }

    /** The source ({@code import} or {@code otlp}) whose calls count for a session both sent. */
    public String preferSource() {
        return preferSource;
    }

    /** Creates the output views over the inputs named in {@code names}. */
    public void install(Connection c, Names names) throws SQLException {
        install(c, names, false);
    }

    /**
     * Like {@link #install(Connection, Names)}, but {@code usage} and the calls it prices are computed
     * once into temp tables, for a caller that reads them several times (the compactor: sessions,
     * unknown models, files); the logs are then read once for the calls and once for the sessions.
     */
    public void installMaterialized(Connection c, Names names) throws SQLException {
        install(c, names, true);
    }

    private void install(Connection c, Names names, boolean materialized) throws SQLException {
        Map<String, String> vars = new LinkedHashMap<>();
        vars.put("logs", names.logs());
        vars.put("imported_usage", names.importedUsage());
        vars.put("usage_calls", names.usageCalls());
        vars.put("model_prices", names.modelPrices());
        vars.put("usage", names.usage());
        vars.put("session_metrics", names.sessionMetrics());
        vars.put("metric_deltas", names.metricDeltas());
        vars.put("sessions", names.sessions());
        vars.put("metrics", names.metrics() == null ? "" : names.metrics());
        vars.put("price_mode", mode.word());
        vars.put("prefer_source", preferSource);
        vars.put("usage_kind", materialized ? "TABLE" : "VIEW");

        execute(c, render("usage_calls.sql", vars));
        loadPrices(c, names);
        execute(c, render("usage.sql", vars));
        if (names.metrics() != null) {
            execute(c, render("metric_deltas.sql", vars));
        } else {
            execute(c, "CREATE OR REPLACE TEMP VIEW " + names.sessionMetrics() + " AS SELECT CAST(NULL AS VARCHAR) AS tool,"
                    + " CAST(NULL AS VARCHAR) AS session_id, CAST(NULL AS TIMESTAMPTZ) AS timestamp,"
                    + " CAST(NULL AS VARCHAR) AS kind, CAST(NULL AS DOUBLE) AS amount WHERE false");
        }
        execute(c, render("sessions.sql", vars));
    }

    /** Models of the derived usage that the price table does not know, with their number of calls. */
    public Map<String, Long> unknownModels(Connection c, Names names) throws SQLException {
        var out = new LinkedHashMap<String, Long>();
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT coalesce(model, '(none)') AS model, count(*) AS calls FROM "
                     + names.usage() + " WHERE calculated_cost_usd IS NULL GROUP BY ALL ORDER BY model")) {
            while (rs.next()) {
                out.put(rs.getString(1), rs.getLong(2));
            }
        }
        return out;
    }

    private void loadPrices(Connection c, Names names) throws SQLException {
        var models = new TreeSet<String>();
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT DISTINCT model FROM " + names.usageCalls() + " WHERE model IS NOT NULL"
                     + " UNION SELECT DISTINCT model FROM " + names.importedUsage() + " WHERE model IS NOT NULL")) {
            while (rs.next()) {
                models.add(rs.getString(1));
            }
        }
        execute(c, "CREATE OR REPLACE TEMP TABLE " + names.modelPrices() + " (price_model VARCHAR, price_key VARCHAR,"
                + " price_source VARCHAR, tier_threshold_tokens BIGINT,"
                + " input_rate DOUBLE, output_rate DOUBLE, reasoning_rate DOUBLE, cache_read_rate DOUBLE,"
                + " cache_write_5m_rate DOUBLE, cache_write_1h_rate DOUBLE,"
                + " input_above_rate DOUBLE, output_above_rate DOUBLE, reasoning_above_rate DOUBLE, cache_read_above_rate DOUBLE,"
                + " cache_write_5m_above_rate DOUBLE, cache_write_1h_above_rate DOUBLE)");
        var known = new ArrayList<Map.Entry<String, ModelPrice>>();
        for (String model : models) {
            Optional<ModelPrice> p = prices.resolve(model);
            p.ifPresent(price -> known.add(Map.entry(model, price)));
        }
        if (known.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + names.modelPrices()
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            for (Map.Entry<String, ModelPrice> e : known) {
                ModelPrice p = e.getValue();
                int i = 1;
                ps.setString(i++, e.getKey());
                ps.setString(i++, p.key());
                ps.setString(i++, p.source());
                ps.setLong(i++, p.tierThresholdTokens());
                for (ModelPrice.Rates r : List.of(p.base(), p.above())) {
                    ps.setDouble(i++, r.input());
                    ps.setDouble(i++, r.output());
                    ps.setDouble(i++, r.reasoning());
                    ps.setDouble(i++, r.cacheRead());
                    ps.setDouble(i++, r.cacheWrite5m());
                    ps.setDouble(i++, r.cacheWrite1h());
                }
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    private static void execute(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }

    /** The SQL of {@code file} with its {@code {{name}}} placeholders replaced. */
    static String render(String file, Map<String, String> vars) {
        String sql = SQL.get(file);
        for (Map.Entry<String, String> v : vars.entrySet()) {
            sql = sql.replace("{{" + v.getKey() + "}}", v.getValue());
        }
        if (sql.contains("{{")) {
            throw new IllegalStateException(file + " has a placeholder no one fills: "
                    + sql.substring(sql.indexOf("{{"), Math.min(sql.length(), sql.indexOf("{{") + 40)));
        }
        return sql;
    }

    /** A short hash of the derivation SQL. */
    public static String sqlVersion() {
        try {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            for (String f : FILES) {
                d.update(SQL.get(f).getBytes(StandardCharsets.UTF_8));
            }
            return HexFormat.of().formatHex(d.digest(), 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String identifier(String name) {
        if (name == null || !name.matches("[A-Za-z_][A-Za-z0-9_]*")) {
            throw new IllegalArgumentException("not a plain SQL identifier: " + name);
        }
        return name;
    }

    private static Map<String, String> load() {
        var out = new LinkedHashMap<String, String>();
        for (String f : FILES) {
            try (InputStream in = DerivedViews.class.getResourceAsStream(f)) {
                if (in == null) {
                    throw new IllegalStateException("derivation SQL " + f + " is missing from the build");
                }
                out.put(f, new String(in.readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return Map.copyOf(out);
    }
}
