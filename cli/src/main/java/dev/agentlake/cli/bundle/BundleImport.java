package dev.agentlake.cli.bundle;

import dev.agentlake.lake.layout.LakeLayout;
import dev.agentlake.lake.model.Signal;
import dev.agentlake.lake.parquet.Column;
import dev.agentlake.lake.parquet.LakeSchemas;
import dev.agentlake.lake.parquet.TableSchema;
import dev.agentlake.lake.store.ObjectStore;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * Merges a bundle into this lake: checks every file against the SHA-256 in its manifest (nothing
 * is written unless all match), then lands its rows like any other data, one landing file per table
 * and UTC day named by its content. Rows keep their {@code record_id}/{@code call_id}, so compaction
 * and readers keep each once however often bundles overlap.
 */
public final class BundleImport {
    /** Bundle tables landed, with their landing folder and schema; {@code sessions} is derived again. */
    private static final Map<String, Landing> LANDINGS = landings();

    private record Landing(Signal signal, TableSchema<?> schema) {
    }

    private BundleImport() {
    }

    private static Map<String, Landing> landings() {
        var m = new LinkedHashMap<String, Landing>();
        m.put("usage", new Landing(Signal.USAGE, LakeSchemas.USAGE));
        m.put("logs", new Landing(Signal.LOGS, LakeSchemas.LOGS));
        m.put("spans", new Landing(Signal.SPANS, LakeSchemas.SPANS));
        m.put("metrics", new Landing(Signal.METRICS, LakeSchemas.METRICS));
        return m;
    }

    /** What was merged. */
    public record Result(BundleManifest manifest, Map<String, Long> rows, List<String> landingKeys) {
    }

    /** Checks and merges {@code bundle} (a folder or a {@code .zip}); {@code scratch} is an empty work folder. */
    public static Result merge(Path bundle, ObjectStore store, Path scratch, boolean dryRun) throws IOException, SQLException {
        boolean folder = Files.isDirectory(bundle);
        Path dir = folder ? bundle : unzip(bundle, scratch.resolve("bundle"));
        BundleManifest manifest = verify(dir, bundle, folder ? bundle.resolve(BundleManifest.NAME).toString()
                : BundleManifest.NAME + " of " + bundle);
        var rows = new TreeMap<String, Long>();
        var keys = new ArrayList<String>();
        // Every file is read and checked before anything is written: a bundle is merged whole or not at all.
        var parts = new java.util.LinkedHashMap<String, Path>();
        Path out = Files.createDirectories(scratch.resolve("landing"));
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement st = c.createStatement()) {
            st.execute("SET TimeZone = 'UTC'");
            for (var e : LANDINGS.entrySet()) {
                Path file = dir.resolve(e.getKey() + ".parquet");
                if (!manifest.files().containsKey(e.getKey() + ".parquet")) {
                    continue;
                }
                Set<String> present;
                try {
                    present = columns(st, file);
                } catch (SQLException unreadable) {
                    throw new IllegalArgumentException("bundle file " + e.getKey() + ".parquet is not a readable Parquet file");
                }
                List<String> missing = e.getValue().schema().columns().stream().filter(Column::required).map(Column::name)
                        .filter(n -> !present.contains(n)).toList();
                if (!missing.isEmpty()) {
                    throw new IllegalArgumentException("bundle file " + e.getKey() + ".parquet lacks the " + e.getKey()
                            + " columns " + String.join(", ", missing));
                }
                String select = e.getValue().schema().columns().stream().map(Column::name).filter(present::contains)
                        .map(n -> "\"" + n + "\"").collect(Collectors.joining(", "));
                String source = "read_parquet(" + BundleFilter.literal(file.toString()) + ")";
                var days = new ArrayList<LocalDate>();
                try (ResultSet rs = st.executeQuery("SELECT DISTINCT CAST(timestamp AS DATE) AS d FROM " + source + " ORDER BY d")) {
                    while (rs.next()) {
                        days.add(rs.getObject(1, LocalDate.class));
                    }
                }
                long total = 0;
                for (LocalDate day : days) {
                    Path part = out.resolve(e.getKey() + "-" + day + ".parquet");
                    String query = "SELECT " + select + " FROM " + source + " WHERE CAST(timestamp AS DATE) = DATE '" + day
                            + "' ORDER BY timestamp";
                    try (ResultSet rs = st.executeQuery("SELECT count(*) FROM (" + query + ")")) {
                        rs.next();
                        total += rs.getLong(1);
                    }
                    st.execute("COPY (" + query + ") TO " + BundleFilter.literal(part.toString()) + " (FORMAT parquet, COMPRESSION zstd)");
                    byte[] bytes = Files.readAllBytes(part);
                    String hash = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes), 0, 20);
                    String key = LakeLayout.landingKey(e.getValue().signal(), day, hash);
                    parts.put(key, part);
                    keys.add(key);
                }
                rows.put(e.getKey(), total);
            }
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        if (!dryRun) {
            for (var part : parts.entrySet()) {
                store.put(part.getKey(), Files.readAllBytes(part.getValue()));
            }
        }
        return new Result(manifest, rows, keys);
    }

    private static Set<String> columns(Statement st, Path file) throws SQLException {
        var names = new java.util.HashSet<String>();
        try (ResultSet rs = st.executeQuery("DESCRIBE SELECT * FROM read_parquet(" + BundleFilter.literal(file.toString()) + ")")) {
            while (rs.next()) {
                names.add(rs.getString("column_name"));
            }
        }
        return names;
    }

    /** The manifest, once every file it lists is present and matches its SHA-256. */
    /** @param bundle what the user named (the folder, or the zip that {@code dir} was unpacked from) */
    static BundleManifest verify(Path dir, Path bundle, String manifestName) throws IOException {
        Path manifestFile = dir.resolve(BundleManifest.NAME);
        if (!Files.isRegularFile(manifestFile)) {
            throw new IllegalArgumentException("not a bundle: no manifest.json in " + bundle);
        }
        BundleManifest manifest = BundleManifest.parse(Files.readAllBytes(manifestFile), manifestName);
        for (var f : manifest.files().entrySet()) {
            Path p = dir.resolve(f.getKey()).normalize();
            if (!p.startsWith(dir.normalize()) || !Files.isRegularFile(p)) {
                throw new IllegalArgumentException("bundle file " + f.getKey() + " is missing");
            }
            if (!BundleExport.sha256(p).equals(f.getValue().sha256())) {
                throw new IllegalArgumentException("bundle file " + f.getKey() + " does not match its SHA-256 in manifest.json");
            }
        }
        return manifest;
    }

    static Path unzip(Path zip, Path target) throws IOException {
        if (!Files.isRegularFile(zip)) {
            throw new IllegalArgumentException("no such bundle: " + zip);
        }
        Files.createDirectories(target);
        Path root = target.toAbsolutePath().normalize();
        int entries = 0;
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
            ZipEntry e;
            while ((e = in.getNextEntry()) != null) {
                entries++;
                Path p = root.resolve(e.getName()).normalize();
                if (!p.startsWith(root)) {
                    throw new IllegalArgumentException("bundle entry escapes its folder: " + e.getName());
                }
                if (e.isDirectory()) {
                    Files.createDirectories(p);
                } else {
                    Files.createDirectories(p.getParent());
                    Files.copy(in, p, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        } catch (java.util.zip.ZipException | java.io.EOFException bad) {
            throw new IllegalArgumentException("not a zip file: " + zip + " (" + bad.getMessage() + ")");
        }
        if (entries == 0) {
            // ZipInputStream reads bytes that are not a zip as a zip without entries.
            throw new IllegalArgumentException("not a zip file: " + zip + " (no entries)");
        }
        // A zip of a bundle folder may hold the files one level down.
        if (!Files.exists(root.resolve(BundleManifest.NAME))) {
            try (var list = Files.list(root)) {
                List<Path> dirs = list.filter(Files::isDirectory).toList();
                if (dirs.size() == 1 && Files.exists(dirs.get(0).resolve(BundleManifest.NAME))) {
                    return dirs.get(0);
                }
            }
        }
        return root;
    }

    /** Zips the files of a bundle folder (flat) into {@code zip}. */
    public static void zip(Path dir, Path zip) throws IOException {
        Files.createDirectories(zip.toAbsolutePath().getParent());
        try (var out = new java.util.zip.ZipOutputStream(Files.newOutputStream(zip))) {
            var names = new ArrayList<>(BundleExport.names());
            names.add(BundleManifest.NAME);
            for (String name : names) {
                out.putNextEntry(new ZipEntry(name));
                try (InputStream in = Files.newInputStream(dir.resolve(name))) {
                    in.transferTo(out);
                }
                out.closeEntry();
            }
        }
    }
}
