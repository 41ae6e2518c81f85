package dev.agentlake.cli.bundle;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Writes a shareable bundle: one Parquet file per table (exactly the rows of the views it is given,
 * filtered and redacted), {@code agentlake.duckdb} with a view per file by relative path, a short
 * {@code README.md}, and {@code manifest.json} with the filters, row counts, price table version and
 * the SHA-256 of every other file.
 */
public final class BundleExport {
    /** Tables of a bundle and the column each is filtered on by time. */
    static final Map<String, String> TABLES = tables();
    static final String DATABASE = "agentlake.duckdb";
    static final String README = "README.md";

    private BundleExport() {
    }

    private static Map<String, String> tables() {
        var t = new LinkedHashMap<String, String>();
        t.put("usage", "timestamp");
        t.put("sessions", "first_seen");
        t.put("logs", "timestamp");
        t.put("spans", "timestamp");
        t.put("metrics", "timestamp");
        return t;
    }

    /**
     * @param c a DuckDB connection with a view per table of {@link #TABLES}
     * @param source {@code lake} or {@code files}
     */
    public static BundleManifest write(Connection c, String source, String priceTable, BundleFilter filter,
                                       Set<Redaction> redact, Path dir) throws SQLException, IOException {
        Files.createDirectories(dir);
        var rows = new TreeMap<String, Long>();
        for (var t : TABLES.entrySet()) {
            String table = t.getKey();
            String query = "SELECT " + selectList(c, table, redact) + " FROM " + table
                    + filter.where(t.getValue(), false) + " ORDER BY " + t.getValue();
            try (Statement st = c.createStatement()) {
                try (ResultSet rs = st.executeQuery("SELECT count(*) FROM (" + query + ")")) {
                    rs.next();
                    rows.put(table, rs.getLong(1));
                }
                st.execute("COPY (" + query + ") TO " + BundleFilter.literal(dir.resolve(table + ".parquet").toString())
                        + " (FORMAT parquet, COMPRESSION zstd)");
            }
        }
        Path database = dir.resolve(DATABASE);
        Files.deleteIfExists(database);
        try (Connection db = DriverManager.getConnection("jdbc:duckdb:" + database);
             Statement st = db.createStatement()) {
            // Binding the views here needs the files; the views themselves keep the relative paths.
            st.execute("SET file_search_path = " + BundleFilter.literal(dir.toAbsolutePath().toString()));
            for (String table : TABLES.keySet()) {
                // Relative paths: DuckDB resolves them from where it runs, so open the bundle from its folder.
                st.execute("CREATE VIEW " + table + " AS SELECT * FROM read_parquet('" + table + ".parquet')");
            }
        }
        Files.writeString(dir.resolve(README), readme(source, filter, redact, rows), StandardCharsets.UTF_8);
        var files = new TreeMap<String, BundleManifest.FileEntry>();
        for (String name : names()) {
            Path p = dir.resolve(name);
            files.put(name, new BundleManifest.FileEntry(sha256(p), Files.size(p)));
        }
        var manifest = new BundleManifest(BundleManifest.FORMAT, Instant.now(), "agentlake 0.1.0", source, filter,
                redact.stream().map(r -> r.name().toLowerCase(java.util.Locale.ROOT)).sorted().toList(), priceTable, rows, files);
        Files.write(dir.resolve(BundleManifest.NAME), manifest.toJson());
        return manifest;
    }

    /** Every file of a bundle except the manifest. */
    static List<String> names() {
        var names = new ArrayList<String>();
        TABLES.keySet().forEach(t -> names.add(t + ".parquet"));
        names.add(DATABASE);
        names.add(README);
        return names;
    }

    private static String selectList(Connection c, String table, Set<Redaction> redact) throws SQLException {
        var exprs = new ArrayList<String>();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("DESCRIBE SELECT * FROM " + table)) {
            while (rs.next()) {
                String name = rs.getString("column_name");
                String type = rs.getString("column_type");
                String col = "\"" + name + "\"";
                String expr = type.equals("VARCHAR") || type.equals("JSON") ? redact(col, name, redact) : col;
                exprs.add(expr.equals(col) ? col : expr + " AS " + col);
            }
        }
        return String.join(", ", exprs);
    }

    private static String redact(String col, String name, Set<Redaction> kinds) {
        if (kinds.isEmpty()) {
            return col;
        }
        switch (name) {
            case "log_attributes", "resource_attributes", "span_attributes", "point_attributes":
                return Redaction.json(col, kinds);
            case "events", "links":
                return kinds.contains(Redaction.PROMPTS) ? Redaction.hash(col) : Redaction.text(col, kinds);
            case "body", "status_message", "description":
                return kinds.contains(Redaction.PROMPTS) ? Redaction.hash(col) : Redaction.text(col, kinds);
            case "project":
                return kinds.contains(Redaction.PATHS) ? Redaction.hash(col) : col;
            case "host_name":
                return kinds.contains(Redaction.HOSTS) ? Redaction.hash(col) : col;
            case "user_id":
                return kinds.contains(Redaction.EMAILS) ? Redaction.hash(col) : col;
            default:
                return col;
        }
    }

    private static String readme(String source, BundleFilter filter, Set<Redaction> redact, Map<String, Long> rows) {
        var sb = new StringBuilder();
        sb.append("# Agentlake export bundle\n\n");
        sb.append("Usage and telemetry of AI coding assistants (Claude Code, Codex CLI, Gemini CLI), exported from ")
                .append(source.equals("files") ? "local session files" : "an Agentlake lake").append(".\n\n");
        sb.append("- Filters: ").append(filter.describe().isEmpty() ? "none" : String.join(", ", filter.describe())).append('\n');
        sb.append("- Redacted: ").append(redact.isEmpty() ? "nothing" : redact.toString().toLowerCase(java.util.Locale.ROOT))
                .append(" (values replaced by stable hashes `redacted:<16 hex>`)\n");
        sb.append("- Rows: ");
        rows.forEach((t, n) -> sb.append(t).append(' ').append(n).append("; "));
        sb.append("\n\n## Query it\n\n```\ncd <this folder>\nduckdb agentlake.duckdb\n")
                .append("SELECT CAST(timestamp AS DATE) AS day, tool, sum(input_tokens), sum(output_tokens), sum(cost_usd)\n")
                .append("FROM usage GROUP BY ALL ORDER BY day;\n```\n\n");
        sb.append("`usage` has one row per model call in one token convention: `input_tokens` is fresh input,")
                .append(" `cache_read_tokens` and `cache_write_tokens` the cached parts, `output_tokens` includes reasoning.\n")
                .append("The views in `agentlake.duckdb` read the Parquet files by relative path: run DuckDB from this folder.\n")
                .append("`manifest.json` lists the SHA-256 of every file; `agentlake import-bundle` checks them and merges")
                .append(" the rows into another lake without duplicates.\n");
        return sb.toString();
    }

    static String sha256(Path p) throws IOException {
        MessageDigest d;
        try {
            d = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        try (InputStream in = Files.newInputStream(p)) {
            byte[] buf = new byte[1 << 16];
            int n;
            while ((n = in.read(buf)) > 0) {
                d.update(buf, 0, n);
            }
        }
        return HexFormat.of().formatHex(d.digest());
    }

    static void uncheck(IOException e) {
        throw new UncheckedIOException(e);
    }
}
