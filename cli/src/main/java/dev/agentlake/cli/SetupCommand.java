package dev.agentlake.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentlake.cli.importer.SessionTool;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code agentlake setup claude-code|codex|gemini}: the exact settings that make an assistant send
 * its telemetry to this server; {@code --apply} writes them into the assistant's own config file
 * after showing the change (Claude Code: {@code ~/.claude/settings.json} env; Codex:
 * {@code ~/.codex/config.toml} [otel]; Gemini CLI: {@code ~/.gemini/settings.json} telemetry).
 */
@Command(name = "setup", mixinStandardHelpOptions = true,
        description = "Print the settings that send an assistant's telemetry to this Agentlake; --apply writes them to its config.")
final class SetupCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    @Parameters(index = "0", paramLabel = "TOOL", description = "claude-code, codex or gemini.")
    String which;
    @Option(names = "--endpoint", paramLabel = "URL", defaultValue = "${env:AGENTLAKE_ENDPOINT:-http://127.0.0.1:4318}",
            description = "OTLP/HTTP endpoint of the server. Default: ${DEFAULT-VALUE}; env AGENTLAKE_ENDPOINT.")
    String endpoint;
    @Option(names = "--token", paramLabel = "TOKEN", defaultValue = "${env:AGENTLAKE_INGEST_TOKEN}",
            description = "Bearer token the server requires (sent as an Authorization header). Env AGENTLAKE_INGEST_TOKEN.")
    String token;
    @Option(names = "--log-prompts", description = "Also send prompt text (off by default).")
    boolean logPrompts;
    @Option(names = "--home", paramLabel = "DIR", defaultValue = "${sys:user.home}", description = "Home folder of the config files. Default: ${DEFAULT-VALUE}.")
    Path home;
    @Option(names = "--apply", description = "Write the settings into the assistant's config file (after showing the change).")
    boolean apply;
    @Option(names = {"-y", "--yes"}, description = "Do not ask before --apply writes.")
    boolean yes;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        SessionTool tool = SessionTool.parse(which);
        String base = endpoint.replaceAll("/+$", "");
        if (!base.startsWith("http://") && !base.startsWith("https://")) {
            throw new IllegalArgumentException("--endpoint must be an http:// or https:// URL: " + endpoint);
        }
        PrintWriter out = spec.commandLine().getOut();
        Path file = configFile(tool);
        String before = Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
        String after = switch (tool) {
            case CLAUDE_CODE -> json(before, claudeEnv(base), "env");
            case CODEX -> codexToml(before, base);
            case GEMINI -> json(before, geminiTelemetry(base), "telemetry");
        };
        if (!apply) {
            out.printf("# %s: merge into %s%n", tool.argument(), file);
            out.println(tool == SessionTool.CODEX ? codexSection(base) : switch (tool) {
                case CLAUDE_CODE -> pretty(Map.of("env", claudeEnv(base)));
                default -> pretty(Map.of("telemetry", geminiTelemetry(base)));
            });
            out.println("# agentlake setup " + tool.argument() + " --apply writes it there.");
            printTokenNote(out, tool);
            return ExitCode.OK.code();
        }
        if (after.equals(before)) {
            out.printf("%s already sends to %s: nothing to change.%n", file, base);
            printTokenNote(out, tool);
            return ExitCode.OK.code();
        }
        out.print(diff(file.toString(), before, after));
        out.flush();
        if (!Confirmation.ask(out, "Write " + file + "?", yes)) {
            out.println("Nothing written.");
            return ExitCode.OK.code();
        }
        Files.createDirectories(file.getParent());
        if (Files.exists(file)) {
            Files.copy(file, file.resolveSibling(file.getFileName() + ".bak"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        Files.writeString(file, after, StandardCharsets.UTF_8);
        out.printf("Wrote %s%s. Restart %s to use it.%n", file, before.isEmpty() ? "" : " (previous: " + file.getFileName() + ".bak)",
                tool.argument());
        printTokenNote(out, tool);
        return ExitCode.OK.code();
    }

    /**
     * Gemini CLI's telemetry settings have no headers: its OpenTelemetry exporters take them from the
     * environment, which Gemini CLI also loads from {@code ~/.gemini/.env}. Without this the token
     * would be dropped without a word and every export refused with 401.
     */
    private void printTokenNote(PrintWriter out, SessionTool tool) {
        if (tool == SessionTool.GEMINI && token != null && !token.isBlank()) {
            out.printf("# Gemini CLI sends the token from its environment (its settings have no headers): put this"
                    + " line in %s, or export it in your shell:%n", home.resolve(".gemini/.env"));
            out.println("OTEL_EXPORTER_OTLP_HEADERS=Authorization=Bearer " + token);
        }
        out.flush();
    }

    Path configFile(SessionTool tool) {
        return switch (tool) {
            case CLAUDE_CODE -> home.resolve(".claude/settings.json");
            case CODEX -> home.resolve(".codex/config.toml");
            case GEMINI -> home.resolve(".gemini/settings.json");
        };
    }

    private Map<String, Object> claudeEnv(String base) {
        var env = new LinkedHashMap<String, Object>();
        env.put("CLAUDE_CODE_ENABLE_TELEMETRY", "1");
        env.put("OTEL_LOGS_EXPORTER", "otlp");
        env.put("OTEL_METRICS_EXPORTER", "otlp");
        env.put("OTEL_TRACES_EXPORTER", "otlp");
        env.put("CLAUDE_CODE_ENHANCED_TELEMETRY_BETA", "1");
        env.put("OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf");
        env.put("OTEL_EXPORTER_OTLP_ENDPOINT", base);
        env.put("OTEL_LOGS_EXPORT_INTERVAL", "5000");
        env.put("OTEL_METRIC_EXPORT_INTERVAL", "60000");
        env.put("OTEL_LOG_TOOL_DETAILS", "1");
        if (logPrompts) {
            env.put("OTEL_LOG_USER_PROMPTS", "1");
        }
        if (token != null && !token.isBlank()) {
            env.put("OTEL_EXPORTER_OTLP_HEADERS", "Authorization=Bearer " + token);
        }
        return env;
    }

    private Map<String, Object> geminiTelemetry(String base) {
        var t = new LinkedHashMap<String, Object>();
        t.put("enabled", true);
        t.put("target", "local");
        t.put("useCollector", true);
        t.put("otlpEndpoint", base);
        t.put("otlpProtocol", "http");
        t.put("logPrompts", logPrompts);
        return t;
    }

    private String codexSection(String base) {
        String headers = token == null || token.isBlank() ? "" : ", headers = { \"Authorization\" = \"Bearer " + token + "\" }";
        return "[otel]\n"
                + "log_user_prompt = " + logPrompts + "\n"
                + "exporter = { otlp-http = { endpoint = \"" + base + "/v1/logs\", protocol = \"binary\"" + headers + " } }\n"
                + "trace_exporter = { otlp-http = { endpoint = \"" + base + "/v1/traces\", protocol = \"binary\"" + headers + " } }\n"
                + "metrics_exporter = { otlp-http = { endpoint = \"" + base + "/v1/metrics\", protocol = \"binary\"" + headers + " } }\n";
    }

    /** Keys of the {@code [otel]} table that setup writes; any other key there is kept. */
    private static final List<String> OTEL_KEYS = List.of("log_user_prompt", "exporter", "trace_exporter", "metrics_exporter");

    /** The TOML with our keys of its {@code [otel]} table set (the table added at the end if missing). */
    String codexToml(String before, String base) {
        var lines = new ArrayList<>(List.of(before.split("\n", -1)));
        if (!before.isEmpty() && lines.get(lines.size() - 1).isEmpty()) {
            lines.remove(lines.size() - 1);
        }
        List<String> ours = List.of(codexSection(base).split("\n"));
        var out = new ArrayList<String>();
        boolean inOtel = false;
        boolean written = false;
        for (String line : lines) {
            String t = line.strip();
            if (t.startsWith("[")) {
                inOtel = t.equals("[otel]");
                out.add(line);
                if (inOtel) {
                    out.addAll(ours.subList(1, ours.size()));
                    written = true;
                }
                continue;
            }
            if (inOtel && OTEL_KEYS.stream().anyMatch(k -> t.startsWith(k + " ") || t.startsWith(k + "="))) {
                continue; // replaced by ours
            }
            out.add(line);
        }
        if (!written) {
            if (!out.isEmpty() && !out.get(out.size() - 1).isBlank()) {
                out.add("");
            }
            out.addAll(ours);
        }
        return String.join("\n", out) + "\n";
    }

    /** The JSON file with {@code key}'s object merged with {@code values} (other settings kept). */
    private static String json(String before, Map<String, Object> values, String key) throws IOException {
        ObjectNode root;
        if (before.isBlank()) {
            root = JSON.createObjectNode();
        } else {
            JsonNode parsed;
            try {
                parsed = JSON.readTree(before);
            } catch (IOException e) {
                throw new IllegalArgumentException("the existing file is not valid JSON; fix it first: " + e.getMessage().split("\n", 2)[0]);
            }
            if (!(parsed instanceof ObjectNode o)) {
                throw new IllegalArgumentException("the existing file is not a JSON object");
            }
            root = o;
        }
        ObjectNode section = root.has(key) && root.get(key).isObject() ? (ObjectNode) root.get(key) : root.putObject(key);
        values.forEach((k, v) -> section.set(k, JSON.valueToTree(v)));
        return JSON.writeValueAsString(root) + "\n";
    }

    private static String pretty(Object value) throws IOException {
        return JSON.writeValueAsString(value);
    }

    /** A line diff (removed lines {@code -}, added {@code +}) good enough to see what changes. */
    static String diff(String name, String before, String after) {
        List<String> a = before.isEmpty() ? List.of() : List.of(before.split("\n", -1));
        List<String> b = List.of(after.split("\n", -1));
        int[][] lcs = new int[a.size() + 1][b.size() + 1];
        for (int i = a.size() - 1; i >= 0; i--) {
            for (int j = b.size() - 1; j >= 0; j--) {
                lcs[i][j] = a.get(i).equals(b.get(j)) ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
            }
        }
        var sb = new StringBuilder("--- " + name + "\n+++ " + name + " (new)\n");
        int i = 0;
        int j = 0;
        while (i < a.size() || j < b.size()) {
            if (i < a.size() && j < b.size() && a.get(i).equals(b.get(j))) {
                sb.append("  ").append(a.get(i)).append('\n');
                i++;
                j++;
            } else if (j < b.size() && (i == a.size() || lcs[i][j + 1] >= lcs[i + 1][j])) {
                sb.append("+ ").append(b.get(j++)).append('\n');
            } else {
                sb.append("- ").append(a.get(i++)).append('\n');
            }
        }
        return sb.toString();
    }
}
