package dev.agentlake.compactor;

import static dev.agentlake.compactor.CompactionWorkspace.sqlString;

import dev.agentlake.lake.layout.LakeLayout;
import dev.agentlake.lake.snapshot.Snapshot;
import dev.agentlake.lake.snapshot.TableFile;
import dev.agentlake.lake.sql.DerivedViews;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * The files of one attempt (a compaction or a deletion): writes a partition's rows as the lake's
 * Parquet files (zstd, the settings' row groups and file size, split above the target size), names
 * them {@code tables/<table>/dt=<day>/<runId>-<n>.parquet}, and uploads them. Writing changes nothing
 * in the bucket; only {@link #upload} does, recording each key in the attempt's list first so a
 * failed attempt can delete what it wrote. {@link #nextSnapshot} names them in the snapshot to commit.
 */
final class PartitionWriter {
    private final CompactionWorkspace ws;
    private final CompactorSettings settings;
    private final String runId;
    private final Map<String, Path> localOf = new LinkedHashMap<>();
    private int fileSeq;

    PartitionWriter(CompactionWorkspace ws, CompactorSettings settings, String runId) {
        this.ws = ws;
        this.settings = settings;
        this.runId = runId;
    }

    /**
     * Writes the rows of {@code select} (one day's rows of {@code table}) sorted by {@code order}; a
     * partition without rows has no file.
     */
    List<TableFile> write(String table, LocalDate day, String select, String order) throws SQLException {
        Path out = ws.path("out", table, "dt=" + day, "x").getParent();
        ws.execute("COPY (" + select + " ORDER BY " + order + ") TO '" + sqlString(out.toString()) + "' (FORMAT parquet,"
                + " COMPRESSION zstd, ROW_GROUP_SIZE " + settings.rowGroupRows() + ", FILE_SIZE_BYTES "
                + settings.targetFileBytes() + ", OVERWRITE_OR_IGNORE true)");
        List<Path> written;
        try (Stream<Path> files = Files.list(out)) {
            written = files.filter(p -> p.getFileName().toString().endsWith(".parquet"))
                    .sorted(Comparator.comparing(PartitionWriter::fileNumber)).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        var result = new ArrayList<TableFile>();
        for (Path p : written) {
            long rows = ((Number) ws.query("SELECT num_rows FROM parquet_file_metadata('" + sqlString(p.toString()) + "')")
                    .get(0).get(0)).longValue();
            if (rows == 0) {
                continue; // DuckDB writes an empty file for an empty result: a partition without rows has no file
            }
            String key = LakeLayout.tablePrefix(table) + "dt=" + day + "/" + runId + "-" + (fileSeq++) + ".parquet";
            long bytes;
            try {
                bytes = Files.size(p);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            result.add(new TableFile(table, key, day, rows, bytes));
            localOf.put(key, p);
        }
        return result;
    }

    /** Uploads {@code files} (written by {@link #write}), adding each key to {@code attempted} before its PUT. */
    void upload(List<TableFile> files, Collection<String> attempted) {
        var uploads = new LinkedHashMap<String, Path>();
        files.forEach(f -> uploads.put(f.key(), localOf.get(f.key())));
        ws.upload(uploads, attempted);
    }

    /**
     * The snapshot an attempt commits over {@code base}: base's files but the {@code replaced} ones, plus
     * {@code newFiles}, by key; consumed landing keys of base still listed, plus {@code consumedNow}.
     */
    static Snapshot nextSnapshot(Snapshot base, Set<String> replaced, List<TableFile> newFiles, Set<String> landingPresent,
                                 Collection<String> consumedNow, DerivedViews views, Instant now) {
        var files = new ArrayList<TableFile>();
        base.files().stream().filter(f -> !replaced.contains(f.key())).forEach(files::add);
        files.addAll(newFiles);
        files.sort(Comparator.comparing(TableFile::key));
        var consumed = new TreeSet<String>();
        base.consumedLanding().stream().filter(landingPresent::contains).forEach(consumed::add);
        consumed.addAll(consumedNow);
        return new Snapshot(Snapshot.FORMAT, base.version() + 1, base.version(), now, files, consumed,
                views.prices().version(), views.fingerprint());
    }

    int filesWritten() {
        return localOf.size();
    }

    /** DuckDB numbers the files of a split partition ({@code data_0}, {@code data_1}, ... {@code data_10}): in that order. */
    private static int fileNumber(Path p) {
        String name = p.getFileName().toString();
        String digits = name.replaceAll("\\D", "");
        return digits.isEmpty() ? 0 : Integer.parseInt(digits.length() > 9 ? digits.substring(digits.length() - 9) : digits);
    }
}
