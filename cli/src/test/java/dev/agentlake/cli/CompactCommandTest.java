package dev.agentlake.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.agentlake.lake.store.StoredObject;
import dev.agentlake.lake.testing.LakeTestServer;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@code agentlake compact}: the compactor run by hand, on imported sessions. */
class CompactCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    @RegisterExtension
    static final LakeTestServer s3 = LakeTestServer.perClass();

    @Test
    void givenImportedSessionsWhenCompactedThenTheReportIsUnchangedAndARepriceDerivesTheUsageAgain(@TempDir Path home)
            throws Exception {
        FixtureHome.all(home);
        assertThat(Cli.run(s3, "import", "all", "--home", home.toString()).exitCode()).isZero();
        String before = claudeTotals();

        Cli.Run compact = Cli.run(s3, "compact", "--landing-grace", "0s");

        assertThat(compact.exitCode()).as(compact.err()).isZero();
        assertThat(compact.out()).startsWith("committed: snapshot 1, ")
                .contains("Models the price table has no price for (cost_usd NULL unless the tool reported a cost):")
                .containsPattern("claude-opus-5-5 +\\d+ call\\(s\\)")
                .contains("then run: agentlake compact --reprice");
        assertThat(s3.store().list("landing/")).isEmpty();
        assertThat(s3.store().list("tables/usage/")).extracting(StoredObject::key).hasSize(1);
        assertThat(claudeTotals()).isEqualTo(before).isEqualTo("2450/8300/350/47/0");

        JsonNode again = json(Cli.run(s3, "compact", "--json"));
        assertThat(again.get("outcome").asText()).isEqualTo("nothing_to_do");
        assertThat(again.get("version").asLong()).isEqualTo(1);

        JsonNode reprice = json(Cli.run(s3, "compact", "--reprice", "--json"));
        assertThat(reprice.get("outcome").asText()).isEqualTo("committed");
        assertThat(reprice.get("version").asLong()).isEqualTo(2);
        assertThat(reprice.get("landingFiles").asInt()).isZero();
        assertThat(claudeTotals()).isEqualTo(before);
    }

    @Test
    void givenAFreshImportWhenCompactedWithinTheLandingGraceThenItSaysHowManyLandingFilesItLeftAndHowToTakeThem(
            @TempDir Path home, @TempDir Path dataDir) throws Exception {
        // Before: "nothing_to_do: snapshot 0" and not a word about the files just imported. The grace is an
        // hour here: with the default 30 s, a loaded machine could take longer than that from the import's
        // uploads to the second compact's listing, and the files would (rightly) be taken.
        assertThat(Cli.run("compact", "--help").out().replaceAll("\\s+", " ")).as("the default landing grace")
                .contains("Default: 30s; 0s takes everything.");
        FixtureHome.all(home);
        Cli.Run imported = Cli.run("import", "all", "--home", home.toString(), "--data-dir", dataDir.toString(), "--json");
        int landing = 0;
        for (JsonNode s : json(imported).get("imports")) {
            landing += s.get("landing_files").asInt();
        }

        Cli.Run text = Cli.run("compact", "--data-dir", dataDir.toString(), "--landing-grace", "1h");
        JsonNode json = json(Cli.run("compact", "--data-dir", dataDir.toString(), "--landing-grace", "1h", "--json"));
        JsonNode all = json(Cli.run("compact", "--data-dir", dataDir.toString(), "--landing-grace", "0s", "--json"));

        assertThat(landing).isEqualTo(6);
        assertThat(text.exitCode()).as(text.err()).isZero();
        assertThat(text.out()).startsWith("nothing_to_do: snapshot 0 in ").endsWith("\n6 landing file(s) left for a later run:"
                + " younger than the landing grace (1h). To take them now: agentlake compact --landing-grace 0s\n");
        assertThat(json.get("outcome").asText()).isEqualTo("nothing_to_do");
        assertThat(json.get("landingFilesInGrace").asInt()).isEqualTo(6);
        assertThat(all.get("outcome").asText()).isEqualTo("committed");
        assertThat(all.get("landingFiles").asInt()).isEqualTo(6);
        assertThat(all.get("landingFilesInGrace").asInt()).isZero();
    }

    @Test
    void givenAnInvalidCompactionIntervalThenServeRefusesItBeforeStarting(@TempDir Path dataDir) {
        Cli.Run r = Cli.run("serve", "--compact-every", "soon", "--data-dir", dataDir.toString());

        assertThat(r.exitCode()).isEqualTo(ExitCode.USAGE.code());
        assertThat(r.err()).contains("--compact-every must be a duration such as 60s or 5m, or off: soon");
        assertThat(dataDir.resolve("s3")).doesNotExist();
    }

    @Test
    void givenAnInvalidLandingGraceThenCompactRefusesItInOneLineBeforeOpeningTheLake(@TempDir Path dataDir) {
        // "abc" was taken as the 30 s default and "-5s" failed with Micronaut's five-line trace.
        for (String grace : new String[] {"abc", "-5s"}) {
            Cli.Run r = Cli.run("compact", "--landing-grace", grace, "--data-dir", dataDir.toString());

            assertThat(r.exitCode()).as(grace).isEqualTo(ExitCode.USAGE.code());
            assertThat(r.err().lines().findFirst().orElse("")).as(grace)
                    .isEqualTo("agentlake: --landing-grace must be a duration such as 60s or 5m: " + grace);
            assertThat(dataDir.resolve("s3")).as(grace).doesNotExist();
        }
    }

    private static String claudeTotals() throws Exception {
        JsonNode r = json(Cli.run(s3, "report", "daily", "--tool", "claude-code", "--tz", "UTC", "--json"));
        return ReportCommandTest.counters(r.get("totals"));
    }

    private static JsonNode json(Cli.Run run) throws Exception {
        assertThat(run.exitCode()).as(run.err()).isZero();
        return JSON.readTree(run.out());
    }
}
