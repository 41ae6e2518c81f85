package dev.agentlake.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.agentlake.cli.lake.LakeCopy;
import dev.agentlake.cli.lake.LakeUsage;
import dev.agentlake.cli.lake.LakeViews;
import dev.agentlake.lake.pricing.ModelPrice;
import dev.agentlake.lake.pricing.PriceTable;
import dev.agentlake.lake.sql.DerivedViews;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code agentlake pricing list|unknown|update}: the price table the lake prices calls with. */
@Command(name = "pricing", mixinStandardHelpOptions = true,
        description = "The price table: list its models, find the lake's models it cannot price, check a price file.",
        subcommands = {PricingCommand.ListPrices.class, PricingCommand.Unknown.class, PricingCommand.Update.class})
final class PricingCommand implements Runnable {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Ids of the embedded table (and of a user file), as {@code model-prices.json} lists them. */
    static List<String> ids(byte[] userFile) throws IOException {
        var ids = new TreeSet<String>();
        try (InputStream in = PriceTable.class.getResourceAsStream("/pricing/model-prices.json")) {
            JsonNode root = JSON.readTree(in);
            root.path("models").fieldNames().forEachRemaining(ids::add);
            root.path("supplemental_models_dev").fieldNames().forEachRemaining(ids::add);
        }
        if (userFile != null) {
            JsonNode user = JSON.readTree(userFile); // parsed by table(file) first
            JsonNode models = user.has("models") ? user.get("models") : user;
            models.fieldNames().forEachRemaining(n -> {
                if (!n.equals("aliases")) {
                    ids.add(n);
                }
            });
        }
        return List.copyOf(ids);
    }

    static PriceTable table(Path file) throws IOException {
        if (file == null) {
            return PriceTable.embedded();
        }
        byte[] bytes = Files.readAllBytes(file);
        parse(file, bytes);
        return PriceTable.embedded().withOverrides(bytes, file.toString());
    }

    /** The user's price file as JSON, or a usage error naming the file and the place that is wrong. */
    static JsonNode parse(Path file, byte[] bytes) {
        try {
            return JSON.readTree(bytes);
        } catch (IOException e) {
            throw new IllegalArgumentException(JsonProblem.describe(file, e));
        }
    }

    static Map<String, Object> row(String id, ModelPrice p) {
        var m = new LinkedHashMap<String, Object>();
        m.put("model", id);
        m.put("key", p.key());
        m.put("source", p.source());
        m.put("input_per_mtok", p.base().input() * 1e6);
        m.put("output_per_mtok", p.base().output() * 1e6);
        m.put("cache_read_per_mtok", p.base().cacheRead() * 1e6);
        m.put("cache_write_5m_per_mtok", p.base().cacheWrite5m() * 1e6);
        m.put("cache_write_1h_per_mtok", p.base().cacheWrite1h() * 1e6);
        m.put("tier_threshold_tokens", p.tierThresholdTokens());
        return m;
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Models of the price table and their prices (USD per million tokens).")
    static final class ListPrices implements Callable<Integer> {
        @Option(names = "--model", paramLabel = "TEXT", description = "Only ids containing TEXT.")
        String filter;
        @Option(names = "--file", paramLabel = "FILE", description = "A price file laid over the embedded table.")
        Path file;
        @Mixin
        OutputOptions output;
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws IOException {
            PriceTable table = table(file);
            var rows = new ArrayList<Map<String, Object>>();
            for (String id : ids(file == null ? null : Files.readAllBytes(file))) {
                if (filter != null && !id.contains(filter)) {
                    continue;
                }
                table.resolve(id).ifPresent(p -> rows.add(row(id, p)));
            }
            PrintWriter out = spec.commandLine().getOut();
            if (output.json()) {
                OutputOptions.printJson(out, Map.of("version", table.version(), "models", rows));
            } else {
                out.printf("%-48s %10s %10s %10s %10s %10s%n", "model", "input", "output", "cache rd", "cache 5m", "cache 1h");
                for (Map<String, Object> r : rows) {
                    out.printf(Locale.ROOT, "%-48s %10.4f %10.4f %10.4f %10.4f %10.4f%n", r.get("model"), r.get("input_per_mtok"),
                            r.get("output_per_mtok"), r.get("cache_read_per_mtok"), r.get("cache_write_5m_per_mtok"),
                            r.get("cache_write_1h_per_mtok"));
                }
                out.printf("%d models, USD per million tokens; price table %s%n", rows.size(), table.version());
                out.flush();
            }
            return ExitCode.OK.code();
        }
    }

    @Command(name = "unknown", mixinStandardHelpOptions = true, description = "Models in the lake's usage that the price table cannot price (their cost stays empty unless the tool"
            + " reported one).")
    static final class Unknown implements Callable<Integer> {
        @Mixin
        StorageOptions storage;
        @Mixin
        OutputOptions output;
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            Path scratch = Files.createTempDirectory("agentlake-pricing");
            Map<String, Long> unknown;
            try (OpenedLake lake = OpenedLake.existing(storage); Connection c = LakeUsage.duckdb()) {
                LakeCopy copy = LakeCopy.download(lake.store(), scratch, List.of("logs", LakeCopy.IMPORTED_USAGE));
                LakeViews.create(c, copy);
                unknown = LakeViews.derivation().unknownModels(c, DerivedViews.Names.defaults(false));
            } finally {
                LakeUsage.deleteTree(scratch);
            }
            PrintWriter out = spec.commandLine().getOut();
            if (output.json()) {
                OutputOptions.printJson(out, Map.of("unknown_models", unknown));
            } else if (unknown.isEmpty()) {
                out.println("Every model in the lake has a price.");
            } else {
                unknown.forEach((m, n) -> out.printf("%-48s %d calls the price table cannot price%n", m, n));
                out.println("Add them with a price file: agentlake pricing update --file model_prices.json");
            }
            out.flush();
            return ExitCode.OK.code();
        }
    }

    @Command(name = "update", mixinStandardHelpOptions = true,
            description = {"Check a price file (LiteLLM field names, USD per token) laid over the embedded table and show"
                    + " what it adds or changes. Serve and the compactor use it with AGENTLAKE_PRICING_FILE=FILE."})
    static final class Update implements Callable<Integer> {
        @Option(names = "--file", paramLabel = "FILE", required = true, description = "The price file, e.g. model_prices.json.")
        Path file;
        @Mixin
        OutputOptions output;
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws IOException {
            if (!Files.isRegularFile(file)) {
                throw new IllegalArgumentException("no such price file: " + file);
            }
            byte[] bytes = Files.readAllBytes(file);
            JsonNode user = parse(file, bytes); // first: its errors name the place, not the parser's internals
            PriceTable base = PriceTable.embedded();
            PriceTable merged = base.withOverrides(bytes, file.toString());
            var added = new ArrayList<Map<String, Object>>();
            var changed = new ArrayList<Map<String, Object>>();
            JsonNode models = user.has("models") ? user.get("models") : user;
            for (var it = models.fieldNames(); it.hasNext(); ) {
                String id = it.next();
                if (id.equals("aliases")) {
                    continue;
                }
                Optional<ModelPrice> before = base.resolve(id);
                ModelPrice after = merged.resolve(id).orElseThrow();
                if (before.isEmpty()) {
                    added.add(row(id, after));
                } else if (!before.get().equals(after)) {
                    changed.add(row(id, after));
                }
            }
            PrintWriter out = spec.commandLine().getOut();
            if (output.json()) {
                OutputOptions.printJson(out, Map.of("version", merged.version(), "added", added, "changed", changed));
            } else {
                out.printf("%s is valid: %d models added, %d changed (price table %s)%n", file, added.size(), changed.size(),
                        merged.version());
                added.forEach(r -> out.printf("  + %s%n", r.get("model")));
                changed.forEach(r -> out.printf("  ~ %s%n", r.get("model")));
                out.printf("Use it: AGENTLAKE_PRICING_FILE=%s agentlake serve (the compactor then prices with it"
                        + " and re-derives usage)%n", file.toAbsolutePath());
                out.flush();
            }
            return ExitCode.OK.code();
        }
    }
}
