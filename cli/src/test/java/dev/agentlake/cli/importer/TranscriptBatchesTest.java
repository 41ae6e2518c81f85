package dev.agentlake.cli.importer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentlake.lake.testing.LakeSql;
import dev.agentlake.lake.testing.LakeTestServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A large import stores its transcript in batches, written in the background while the next batch is
 * read: with batches of three rows, six Claude Code sessions (the fixture session, each copy with its own
 * ids) and the Codex and Gemini fixtures land in many files on a real S3 server, and the lake holds the
 * same rows and tokens as an import in one batch.
 */
class TranscriptBatchesTest {
    private static final int COPIES = 6;
    private static final Path FIXTURE_HOME = Path.of("..", "lake", "src", "test", "resources", "fixtures", "home");

    private LakeTestServer s3;
    @TempDir
    Path home;

    @BeforeEach
    void start() {
        s3 = LakeTestServer.start();
        for (String tool : List.of("claude-code", "codex", "gemini")) {
            copy(FIXTURE_HOME.resolve(tool), home);
        }
        try (Stream<Path> files = Files.walk(home.resolve(".claude"))) {
            Path session = files.filter(p -> p.toString().endsWith(".jsonl")).findFirst().orElseThrow();
            String text = Files.readString(session);
            for (int copy = 1; copy < COPIES; copy++) {
                String prefix = "copy" + copy + "-";
                Files.writeString(session.resolveSibling(prefix + session.getFileName()), text
                        .replace("\"uuid\":\"", "\"uuid\":\"" + prefix)
                        .replace("\"id\":\"msg_", "\"id\":\"msg_" + prefix)
                        .replace("\"requestId\":\"req_", "\"requestId\":\"req_" + prefix));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @AfterEach
    void stop() {
        s3.close();
    }

    @Test
    void givenBatchesOfThreeRowsWhenImportedThenTheLakeHoldsWhatOneBatchWouldHold() {
        long batched = run(3);
        String byTool = "select tool, count(*) as n, count(distinct record_id) as ids from t group by tool order by tool";
        List<Map<String, Object>> batchedLogs = LakeSql.query(s3.store(), "landing/logs/", byTool);
        long batchedFiles = s3.keys().stream().filter(k -> k.startsWith("landing/logs/")).count();
        var batchedUsage = LakeSql.query(s3.store(), "landing/usage/",
                "select sum(input_tokens) as input, sum(cache_read_tokens) as cache_read, sum(output_tokens) as output from t");
        for (String key : s3.keys()) {
            s3.store().delete(List.of(key));
        }

        long whole = run(SessionImport.EVENT_BATCH);

        assertThat(batched).isEqualTo(whole).isPositive();
        long wholeFiles = s3.keys().stream().filter(k -> k.startsWith("landing/logs/")).count();
        assertThat(batchedFiles).as("landing files of the transcript").isGreaterThanOrEqualTo(COPIES + 2).isGreaterThan(wholeFiles);
        assertThat(batchedLogs).isEqualTo(LakeSql.query(s3.store(), "landing/logs/", byTool));
        assertThat(batchedLogs).allSatisfy(r -> assertThat(r.get("n")).isEqualTo(r.get("ids")));
        assertThat(batchedUsage).isEqualTo(LakeSql.query(s3.store(), "landing/usage/",
                "select sum(input_tokens) as input, sum(cache_read_tokens) as cache_read, sum(output_tokens) as output from t"));
        assertThat(((Number) batchedUsage.get(0).get("input")).longValue()).isEqualTo(COPIES * 2450 + 552 + 700); // Gemini's session file holds 2 of its 3 OTLP calls
    }

    @Test
    void givenEveryToolWhenImportedTogetherThenTheLakeHoldsTheFilesOfOneToolAtATime() {
        var importer = new SessionImport(s3.store(), new SessionRoots(home, Map.of()), ImportContext.unfiltered("test-host"),
                ImportOptions.DEFAULT, Progress.NONE, 3);
        List<SessionTool> tools = List.of(SessionTool.values());
        List<ImportSummary> together = importer.runAll(tools);
        var togetherKeys = new java.util.TreeSet<>(s3.keys());
        for (String key : s3.keys()) {
            s3.store().delete(List.of(key));
        }

        var oneByOne = new java.util.ArrayList<ImportSummary>();
        for (SessionTool tool : tools) {
            oneByOne.add(importer.run(tool));
        }

        // Landing keys are hashes of the files' bytes, and the bookkeeping lists them: equal keys, equal files.
        assertThat(togetherKeys).isEqualTo(new java.util.TreeSet<>(s3.keys()));
        assertThat(togetherKeys.stream().filter(k -> k.startsWith("landing/logs/")).count()).isGreaterThanOrEqualTo(COPIES + 2);
        assertThat(together).isEqualTo(oneByOne);
        assertThat(together).extracting(ImportSummary::tool).containsExactly("claude-code", "codex", "gemini");
        assertThat(together.get(0).tokens().input()).isEqualTo(COPIES * 2450);
    }

    /** Imports every tool's files in batches of {@code batch} transcript rows; the transcript rows written. */
    private long run(int batch) {
        var importer = new SessionImport(s3.store(), new SessionRoots(home, Map.of()), ImportContext.unfiltered("test-host"),
                ImportOptions.DEFAULT, Progress.NONE, batch);
        long events = 0;
        for (SessionTool tool : SessionTool.values()) {
            events += importer.run(tool).events();
        }
        return events;
    }

    private static void copy(Path from, Path to) {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
