package dev.agentlake.cli;

import dev.agentlake.cli.lake.LakeUsage;
import dev.agentlake.query.api.BadRequestException;
import dev.agentlake.query.api.SqlConsole;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micronaut.context.ApplicationContext;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code agentlake query "SQL"}: read-only SQL over the lake, through the query function's own SQL
 * console, so the rules are those of {@code /api/sql}: one SELECT, views {@code logs}, {@code spans},
 * {@code metrics}, {@code usage}, no files outside the lake, no network, a row and a time limit.
 */
@Command(name = "query", mixinStandardHelpOptions = true,
        description = "Run one read-only SELECT over the lake (views logs, spans, metrics, usage, sessions), with the rules of /api/sql.")
final class QueryCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "SQL", description = "One SELECT statement.")
    String sql;
    @Mixin
    StorageOptions storage;
    @Option(names = "--json", description = "Print columns and rows as JSON.")
    boolean json;
    @Option(names = "--csv", description = "Print CSV (RFC 4180) with a header line.")
    boolean csv;
    @Option(names = "--max-rows", paramLabel = "N", defaultValue = "10000", description = "Stop after N rows. Default: ${DEFAULT-VALUE}.")
    int maxRows;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (json && csv) {
            throw new IllegalArgumentException("choose one of --json and --csv");
        }
        if (maxRows < 1 || maxRows > SqlConsole.MAX_ROWS) {
            throw new IllegalArgumentException("--max-rows must be between 1 and " + SqlConsole.MAX_ROWS);
        }
        Path cache = Files.createTempDirectory("agentlake-query");
        try (OpenedLake lake = OpenedLake.existing(storage)) {
            Map<String, Object> props = new HashMap<>(lake.lake().properties());
            props.put("agentlake.query.cache-dir", cache.toString());
            props.put("agentlake.ingest.enabled", "false");
            props.put("micronaut.server.enabled", false);
            SqlConsole.Result result;
            try (ApplicationContext context = ApplicationContext.builder().properties(props).deduceEnvironment(false).start()) {
                result = context.getBean(SqlConsole.class).run(sql, maxRows);
            } catch (BadRequestException e) {
                throw new IllegalArgumentException(e.getMessage());
            }
            print(spec.commandLine().getOut(), result);
            return ExitCode.OK.code();
        } finally {
            LakeUsage.deleteTree(cache);
        }
    }

    private void print(PrintWriter out, SqlConsole.Result r) {
        if (json) {
            var doc = new LinkedHashMap<String, Object>();
            doc.put("columns", r.columns());
            doc.put("rows", r.rows());
            doc.put("truncated", r.truncated());
            OutputOptions.printJson(out, doc);
            return;
        }
        List<String> names = r.columns().stream().map(c -> c.get("name")).toList();
        String sep = csv ? "," : "\t";
        out.println(String.join(sep, csv ? names.stream().map(QueryCommand::csvField).toList() : names));
        for (List<Object> row : r.rows()) {
            out.println(String.join(sep, row.stream().map(v -> csv ? csvField(v == null ? "" : text(v))
                    : v == null ? "NULL" : text(v)).toList()));
        }
        if (r.sizeLimited() && !csv) {
            out.printf("(cut at %d rows: the result passed %d MiB of text)%n", r.rows().size(), SqlConsole.MAX_CHARS >> 20);
        } else if (r.truncated() && !csv) {
            out.printf("(cut at %d rows: --max-rows to change)%n", r.rows().size());
        }
        out.flush();
        if (r.truncated() && csv) {
            // Not in the CSV, which a program reads, but not silent either.
            spec.commandLine().getErr().printf(r.sizeLimited() ? "agentlake: cut at %d rows (the result passed %d MiB of text)%n"
                    : "agentlake: cut at %d rows (--max-rows, at most %d)%n", r.rows().size(),
                    r.sizeLimited() ? SqlConsole.MAX_CHARS >> 20 : SqlConsole.MAX_ROWS);
            spec.commandLine().getErr().flush();
        }
    }

    /** A value as one field: lists, structs and maps as their JSON (Java's {@code [1, x,y]} is ambiguous). */
    private static String text(Object v) {
        if (v instanceof List<?> || v instanceof Map<?, ?>) {
            try {
                return COMPACT_JSON.writeValueAsString(v);
            } catch (JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        }
        return String.valueOf(v);
    }

    private static final ObjectMapper COMPACT_JSON = new ObjectMapper();

    static String csvField(String s) {
        if (s.contains(",") || s.contains("\"") || s.contains("\n") || s.contains("\r")) {
            return "\"" + s.replace("\"", "\"\"") + "\"";
        }
        return s;
    }
}
