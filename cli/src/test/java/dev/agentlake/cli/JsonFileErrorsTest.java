package dev.agentlake.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentlake.lake.testing.LakeTestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A JSON file the user hands the command line that is broken: one line that names the file, the
 * place and what is wrong, exit 2, never the parser's internals ("[Source: …]").
 */
class JsonFileErrorsTest {
    @RegisterExtension
    static final LakeTestServer s3 = LakeTestServer.perClass().emptiedBeforeEachTest();

    @TempDir
    Path tmp;

    @Test
    void givenABundleWhoseManifestIsNotJsonThenImportBundleNamesTheFileAndTheLineAndWritesNothing() throws Exception {
        Path bundle = Files.createDirectories(tmp.resolve("bundle"));
        Files.writeString(bundle.resolve("manifest.json"), "{\n  \"format\": 1,\n  \"rows\": nope\n}\n");

        Cli.Run run = Cli.run(s3, "import-bundle", bundle.toString());

        assertThat(run.exitCode()).isEqualTo(ExitCode.USAGE.code());
        assertThat(run.err()).isEqualTo("agentlake: " + bundle.resolve("manifest.json") + ": not valid JSON at line 3,"
                + " column 11: Unrecognized token 'nope': was expecting (JSON String, Number, Array, Object or token"
                + " 'null', 'true' or 'false') (not a bundle manifest)\n");
        assertThat(s3.keys()).isEmpty();
    }

    @Test
    void givenABundleManifestWithAWrongValueThenImportBundleNamesTheField() throws Exception {
        Path bundle = Files.createDirectories(tmp.resolve("bundle"));
        Files.writeString(bundle.resolve("manifest.json"), "{\"format\": 1, \"rows\": {\"usage\": \"many\"}, \"files\": {}}");

        Cli.Run run = Cli.run(s3, "import-bundle", bundle.toString());

        assertThat(run.exitCode()).isEqualTo(ExitCode.USAGE.code());
        assertThat(run.err()).isEqualTo("agentlake: " + bundle.resolve("manifest.json") + ": field rows.usage at line 1,"
                + " column 33 has the wrong type or value (not a bundle manifest)\n");
        assertThat(s3.keys()).isEmpty();
    }

    @Test
    void givenAPriceFileThatIsNotJsonThenPricingUpdateNamesTheFileAndThePlace() throws Exception {
        Path prices = tmp.resolve("model_prices.json");
        Files.writeString(prices, "{\"claude-opus-5-5\": {\"input_cost_per_token\": 5e-06,}}");

        Cli.Run update = Cli.run("pricing", "update", "--file", prices.toString());
        Cli.Run list = Cli.run("pricing", "list", "--file", prices.toString());

        assertThat(update.exitCode()).isEqualTo(ExitCode.USAGE.code());
        String expected = "agentlake: " + prices + ": not valid JSON at line 1, column 52: Unexpected character ('}'"
                + " (code 125)): was expecting double-quote to start field name\n";
        assertThat(update.err()).isEqualTo(expected);
        assertThat(list.exitCode()).isEqualTo(ExitCode.USAGE.code());
        assertThat(list.err()).isEqualTo(expected);
    }
}
