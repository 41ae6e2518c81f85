package dev.agentlake.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.extension.RegisterExtension;
import dev.agentlake.lake.testing.LakeTestServer;

/**
 * A mistyped {@code --data-dir}: the commands that read a lake (or change what is in it) say there
 * is none there and create nothing; only serve, import, import-bundle and compact create a lake.
 */
class NoLakeTest {
    @TempDir
    Path tmp;

    @ParameterizedTest
    @ValueSource(strings = {"report daily", "query SELECT_1", "export --output OUT", "delete usage --from 2026-01-01 --to 2026-01-02 --yes",
        "pricing unknown"})
    void givenADataDirWithoutALakeWhenAReadingCommandRunsThenItExitsWithUsageAndCreatesNothing(String command) {
        Path missing = tmp.resolve("agentlake-dta");
        var args = new ArrayList<String>();
        for (String a : command.split(" ")) {
            args.add(a.equals("SELECT_1") ? "SELECT 1" : a.equals("OUT") ? tmp.resolve("bundle").toString() : a);
        }
        args.addAll(List.of("--data-dir", missing.toString()));

        Cli.Run run = Cli.run(args.toArray(String[]::new));

        assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCode.USAGE.code());
        assertThat(run.err()).isEqualTo("agentlake: no lake at " + missing + " (no folder " + missing.resolve("s3/agentlake")
                + "; serve, import, import-bundle or compact create one)\n");
        assertThat(run.out()).isEmpty();
        assertThat(missing).doesNotExist();
    }

    @RegisterExtension
    static final LakeTestServer s3 = LakeTestServer.perClass();

    @Test
    void givenAnS3BucketThatDoesNotExistWhenAReadingCommandRunsThenItExitsWithUsageAndCreatesNoBucket() {
        var s = s3.settings();

        Cli.Run run = Cli.run("report", "daily", "--s3-endpoint", s.endpoint(), "--bucket", "agentlake-typo",
                "--s3-access-key", s.accessKey(), "--s3-secret-key", s.secretKey());

        assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCode.USAGE.code());
        assertThat(run.err()).isEqualTo("agentlake: no lake at " + s.endpoint() + " (no bucket agentlake-typo;"
                + " serve, import, import-bundle or compact create one)\n");
        try (var store = dev.agentlake.lake.store.S3ObjectStore.create(new dev.agentlake.lake.store.S3Settings(s.endpoint(),
                "agentlake-typo", s.accessKey(), s.secretKey(), s.region(), true, java.time.Duration.ofSeconds(60)))) {
            assertThat(store.bucketExists()).isFalse();
        }
        // The bucket the server has is read as ever.
        assertThat(Cli.run(s3, "report", "daily").exitCode()).isZero();
    }

    @Test
    void givenADataDirWithoutALakeThenDoctorFailsTheBucketCheckWithUsageAndCreatesNothing() {
        Path missing = tmp.resolve("nolake");

        Cli.Run run = Cli.run("doctor", "--data-dir", missing.toString(), "--ingest-port", "0", "--http-port", "0");

        assertThat(run.exitCode()).isEqualTo(ExitCode.USAGE.code());
        assertThat(run.out()).contains("fail  bucket            no lake at " + missing + " (no folder "
                + missing.resolve("s3/agentlake") + "; serve, import, import-bundle or compact create one)\n");
        assertThat(missing).doesNotExist();
    }

    @Test
    void givenADataDirWithoutALakeWhenCompactRunsThenTheLakeIsCreatedAndQueryableAfterwards() {
        Path fresh = tmp.resolve("fresh");

        assertThat(Cli.run("compact", "--data-dir", fresh.toString()).exitCode()).isZero();
        Cli.Run query = Cli.run("query", "SELECT count(*) AS n FROM usage", "--csv", "--data-dir", fresh.toString());

        assertThat(query.exitCode()).as(query.err()).isZero();
        assertThat(query.out()).isEqualTo("n\n0\n");
    }
}
