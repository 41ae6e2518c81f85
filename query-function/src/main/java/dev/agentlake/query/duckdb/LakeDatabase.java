package dev.agentlake.query.duckdb;

import dev.agentlake.lake.layout.LakeLayout;
import dev.agentlake.lake.model.Signal;
import dev.agentlake.lake.parquet.LakeSchemas;
import dev.agentlake.lake.parquet.ParquetRowWriter;
import dev.agentlake.lake.store.ObjectStore;
import dev.agentlake.query.QuerySettings;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.stream.Collectors;
import org.duckdb.DuckDBConnection;

/**
 * One in-process DuckDB over the local copies of the lake. Each {@link #open()} refreshes the
 * copies and the views, then hands out a connection of its own (DuckDB connections are not for
 * sharing across threads); warm requests reuse the database and the cached files.
 */
@Singleton
public final class LakeDatabase implements AutoCloseable {
    private final LakeCache cache;
    private final DuckDBConnection database;
    private final Path emptyLogs;

    LakeDatabase(ObjectStore store, QuerySettings settings) {
        try {
            Path root = settings.cacheDir() != null
                    ? Path.of(settings.cacheDir())
                    : Path.of(System.getProperty("java.io.tmpdir"), "agentlake-query-cache");
            Files.createDirectories(root);
            this.cache = new LakeCache(store, root.toAbsolutePath().normalize());
            // A view over no files fails in DuckDB; an empty file with the table's schema keeps
            // the view's columns typed when the lake is still empty.
            this.emptyLogs = root.resolve("_empty/logs.parquet");
            Files.createDirectories(emptyLogs.getParent());
            Files.write(emptyLogs, ParquetRowWriter.write(LakeSchemas.LOGS, List.of()));
            var props = new Properties();
            // Nothing may be fetched at run time: a missing extension must fail at once.
            props.setProperty("autoinstall_known_extensions", "false");
            props.setProperty("autoload_known_extensions", "true");
            this.database = (DuckDBConnection) DriverManager.getConnection("jdbc:duckdb:", props);
            try (Statement st = database.createStatement()) {
                st.execute("SET TimeZone = 'UTC'");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot start DuckDB: " + e.getMessage(), e);
        }
    }

    /** A connection whose views show the lake as it is now. Close it after use. */
    public Connection open() throws SQLException {
        List<Path> logs = new ArrayList<>(cache.sync(LakeLayout.landingPrefix(Signal.LOGS)));
        logs.add(emptyLogs);
        Connection c = database.duplicate();
        try (Statement st = c.createStatement()) {
            st.execute("CREATE OR REPLACE TEMP VIEW logs AS SELECT * FROM read_parquet(" + fileList(logs)
                    + ", hive_partitioning = false, union_by_name = true)");
        } catch (SQLException e) {
            c.close();
            throw e;
        }
        return c;
    }

    private static String fileList(List<Path> files) {
        return files.stream()
                .map(p -> "'" + p.toString().replace("'", "''") + "'")
                .collect(Collectors.joining(", ", "[", "]"));
    }

    @PreDestroy
    @Override
    public void close() {
        try {
            database.close();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
