package dev.agentlake.lake.layout;

import dev.agentlake.lake.model.Signal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where things live in the bucket. This layout is a public contract ({@code docs/lake-format.md}):
 * Hive-style {@code dt=} partitions by UTC event date, so DuckDB, Athena, Spark and Trino read it as is.
 */
public final class LakeLayout {
    public static final String LANDING = "landing/";
    public static final String TABLES = "tables/";
    public static final String SNAPSHOTS = "_lake/snapshots/";
    public static final String STATE = "_state/";
    public static final String EXPORTS = "exports/";

    private static final Pattern DT = Pattern.compile("/dt=(\\d{4}-\\d{2}-\\d{2})/");

    private LakeLayout() {
    }

    /** {@code landing/<signal>/dt=<date>/<contentHash>.parquet}. */
    public static String landingKey(Signal signal, LocalDate date, String contentHash) {
        Objects.requireNonNull(signal, "signal is null");
        Objects.requireNonNull(date, "date is null");
        if (!contentHash.matches("[0-9a-f]{16,64}")) {
            throw new IllegalArgumentException("content hash must be lower-case hex: " + contentHash);
        }
        return LANDING + signal.folder() + "/dt=" + date + "/" + contentHash + ".parquet";
    }

    /** {@code landing/<signal>/}: the prefix under which all landing files of a signal live. */
    public static String landingPrefix(Signal signal) {
        return LANDING + signal.folder() + "/";
    }

    /** {@code tables/<table>/}. */
    public static String tablePrefix(String table) {
        return TABLES + table + "/";
    }

    /** The UTC date of an instant, as used for {@code dt=}. */
    public static LocalDate dateOf(Instant instant) {
        return LocalDate.ofInstant(instant, ZoneOffset.UTC);
    }

    /** The {@code dt=} date in a key, if it has one. */
    public static Optional<LocalDate> partitionDate(String key) {
        Matcher m = DT.matcher(key);
        return m.find() ? Optional.of(LocalDate.parse(m.group(1))) : Optional.empty();
    }
}
