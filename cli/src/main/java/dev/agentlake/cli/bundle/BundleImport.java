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

    /** Far above any manifest an export writes (a few KiB), far below what would fill a disk. */
    static final long MAX_MANIFEST_BYTES = 1 << 20;

    /**
     * Unpacks the bundle's files: first its manifest, then only the files it lists, each refused as soon as
     * it inflates beyond the size the manifest gives it, so that a bundle from elsewhere cannot fill the disk
     * (a zip's compression ratio has no bound). A zip of a bundle folder may hold the files one level down.
     */
    static Path unzip(Path zip, Path target) throws IOException {
        if (!Files.isRegularFile(zip)) {
            throw new IllegalArgumentException("no such bundle: " + zip);
        }
        Files.createDirectories(target);
        Path root = target.toAbsolutePath().normalize();
        String[] manifestEntry = {null};
        Map<String, Long> sizes = new java.util.HashMap<>();
        int entries = forEachEntry(zip, (e, in) -> {
            String name = e.getName();
            if (manifestEntry[0] == null && (name.equals(BundleManifest.NAME)
                    || name.matches("[^/]+/" + java.util.regex.Pattern.quote(BundleManifest.NAME)))) {
                manifestEntry[0] = name;
                Path manifest = extract(in, root, name, MAX_MANIFEST_BYTES, BundleManifest.NAME + " of " + zip
                        + " is larger than " + MAX_MANIFEST_BYTES + " bytes: not a bundle manifest");
                String folder = name.substring(0, name.length() - BundleManifest.NAME.length());
                BundleManifest.parse(Files.readAllBytes(manifest), BundleManifest.NAME + " of " + zip).files()
                        .forEach((file, entry) -> sizes.put(folder + file, entry.bytes()));
            }
        });
        if (entries == 0) {
            // ZipInputStream reads bytes that are not a zip as a zip without entries.
            throw new IllegalArgumentException("not a zip file: " + zip + " (no entries)");
        }
        if (manifestEntry[0] == null) {
            return root;
        }
        forEachEntry(zip, (e, in) -> {
            Long size = sizes.get(e.getName());
            if (size != null && !e.isDirectory() && !e.getName().equals(manifestEntry[0])) {
                extract(in, root, e.getName(), size, "bundle file " + e.getName() + " of " + zip + " holds more than the "
                        + size + " bytes " + BundleManifest.NAME + " gives it");
            }
        });
        return root.resolve(manifestEntry[0]).getParent();
    }

    private interface EntryReader {
        void read(ZipEntry entry, ZipInputStream in) throws IOException;
    }

    /** Hands each entry of {@code zip} to {@code reader}; the number of entries. */
    private static int forEachEntry(Path zip, EntryReader reader) throws IOException {
        int entries = 0;
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
            for (ZipEntry e; (e = in.getNextEntry()) != null; entries++) {
                reader.read(e, in);
            }
        } catch (java.util.zip.ZipException | java.io.EOFException bad) {
            throw new IllegalArgumentException("not a zip file: " + zip + " (" + bad.getMessage() + ")");
        }
        return entries;
    }

    /** Writes the current entry {@code name} of {@code in} under {@code root}; past {@code limit} bytes, refused with {@code tooLarge}. */
    private static Path extract(ZipInputStream in, Path root, String name, long limit, String tooLarge) throws IOException {
        Path p = root.resolve(name).normalize();
        if (!p.startsWith(root)) {
            throw new IllegalArgumentException("bundle entry escapes its folder: " + name);
        }
        Files.createDirectories(p.getParent());
        try (var out = Files.newOutputStream(p)) {
            byte[] buffer = new byte[64 * 1024];
            long written = 0;
            for (int n; (n = in.read(buffer)) > 0; ) {
                written += n;
                if (written > limit) {
                    throw new IllegalArgumentException(tooLarge);
                }
                out.write(buffer, 0, n);
            }
        }
        return p;
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
