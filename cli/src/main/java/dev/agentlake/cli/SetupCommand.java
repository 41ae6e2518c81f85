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
 * after showing the change (Claude Code: {@code $CLAUDE_CONFIG_DIR/settings.json}, default
 * {@code ~/.claude}, env; Codex: {@code $CODEX_HOME/config.toml}, default {@code ~/.codex}, [otel];
 * Gemini CLI: {@code $GEMINI_CLI_HOME/.gemini/settings.json}, default {@code ~/.gemini}, telemetry,
 * and the token's header in {@code .gemini/.env}: Gemini CLI's settings have no headers).
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
    // $HOME first: the JVM's user.home is the account's folder from the password database, whatever HOME says.
    @Option(names = "--home", paramLabel = "DIR", defaultValue = "${env:HOME:-${sys:user.home}}", description = "Home folder of the config files. Default: ${DEFAULT-VALUE}.")
    Path home;
    // The assistants' own overrides of where their settings live, as they read them.
    @Option(names = "--claude-config-dir", paramLabel = "DIR", defaultValue = "${env:CLAUDE_CONFIG_DIR}",
            description = "Claude Code's settings folder (it reads DIR/settings.json). Default: env CLAUDE_CONFIG_DIR, else HOME/.claude.")
    Path claudeConfigDir;
    @Option(names = "--codex-home", paramLabel = "DIR", defaultValue = "${env:CODEX_HOME}",
            description = "Codex's folder (it reads DIR/config.toml). Default: env CODEX_HOME, else HOME/.codex.")
    Path codexHome;
    @Option(names = "--gemini-cli-home", paramLabel = "DIR", defaultValue = "${env:GEMINI_CLI_HOME}",
            description = "Gemini CLI's home (it reads DIR/.gemini/settings.json). Default: env GEMINI_CLI_HOME, else HOME.")
    Path geminiCliHome;
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
        String before = read(file);
        String after = switch (tool) {
            case CLAUDE_CODE -> json(file, before, claudeEnv(base), "env");
            case CODEX -> CodexOtelSettings.apply(before, codexValues(base));
            case GEMINI -> json(file, before, geminiTelemetry(base), "telemetry");
        };
        // Gemini CLI's settings have no headers: the token goes to the .env file it loads.
        Path envFile = tool == SessionTool.GEMINI && hasToken() ? geminiDir().resolve(".env") : null;
        String envBefore = envFile == null ? "" : read(envFile);
        String envAfter = envFile == null ? "" : dotenv(envBefore, "OTEL_EXPORTER_OTLP_HEADERS", headerValue());
        if (!apply) {
            out.printf("# %s: merge into %s%n", tool.argument(), file);
            out.println(tool == SessionTool.CODEX ? codexSection(base) : switch (tool) {
                case CLAUDE_CODE -> pretty(Map.of("env", claudeEnv(base)));
                default -> pretty(Map.of("telemetry", geminiTelemetry(base)));
            });
            out.println("# agentlake setup " + tool.argument() + " --apply writes it there"
                    + (envFile == null ? "." : " and the token line below to " + envFile + "."));
            printTokenNote(out, envFile);
            return ExitCode.OK.code();
        }
        boolean configChanges = !after.equals(before);
        boolean envChanges = envFile != null && !envAfter.equals(envBefore);
        if (!configChanges && !envChanges) {
            out.printf("%s already sends to %s: nothing to change.%n", file, base);
            printTokenNote(out, envFile);
            return ExitCode.OK.code();
        }
        var changed = new ArrayList<Path>();
        if (configChanges) {
            out.print(diff(file.toString(), before, after));
            changed.add(file);
        }
        if (envChanges) {
            out.print(diff(envFile.toString(), envBefore, envAfter));
            changed.add(envFile);
        }
        out.flush();
        String names = String.join(" and ", changed.stream().map(Path::toString).toList());
        if (!Confirmation.ask(out, "Write " + names + "?", yes)) {
            out.println("Nothing written.");
            return ExitCode.OK.code();
        }
        if (configChanges) {
            write(file, before, after);
        }
        if (envChanges) {
            write(envFile, envBefore, envAfter);
        }
        out.printf("Wrote %s. Restart %s to use it.%n", String.join(" and ", changed.stream()
                .map(p -> p + (Files.exists(p.resolveSibling(p.getFileName() + ".bak")) ? " (previous: " + p.getFileName() + ".bak)" : ""))
                .toList()), tool.argument());
        printTokenNote(out, envFile);
        return ExitCode.OK.code();
    }

    private static String read(Path file) throws IOException {
        return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
    }

    /**
     * Writes {@code after}, keeping the previous content as {@code FILE.bak} (none when there was no file).
     * A file it creates that holds the token is readable by its owner only; an existing file keeps its mode.
     */
    private void write(Path file, String before, String after) throws IOException {
        Files.createDirectories(file.getParent());
        Path backup = file.resolveSibling(file.getFileName() + ".bak");
        if (Files.exists(file)) {
            Files.copy(file, backup, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        } else {
            Files.deleteIfExists(backup); // a stale backup of an earlier file would be named as this one's
            if (hasToken() && after.contains(token) && file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
                Files.createFile(file, java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                        java.nio.file.attribute.PosixFilePermissions.fromString("rw-------")));
            }
        }
        Files.writeString(file, after, StandardCharsets.UTF_8);
    }

    private boolean hasToken() {
        return token != null && !token.isBlank();
    }

    private String headerValue() {
        return "Authorization=Bearer " + token;
    }

    /**
     * Gemini CLI's telemetry settings have no headers: its OpenTelemetry exporters read them from the
     * environment. Gemini CLI loads one .env file into it: the first {@code .gemini/.env} or
     * {@code .env} found from the working folder up, else {@code ~/.gemini/.env}. Said plainly so
     * the token is not dropped without a word (every export refused with 401).
     */
    private void printTokenNote(PrintWriter out, Path envFile) {
        if (envFile != null) {
            out.printf("# Gemini CLI sends the token only from its environment (its settings have no headers)."
                    + " It loads %s unless a .gemini/.env or .env in the working folder or above comes first;"
                    + " or export it in the shell that starts gemini:%n", envFile);
            out.println("export OTEL_EXPORTER_OTLP_HEADERS=\"" + headerValue() + "\"");
        }
        out.flush();
    }

    /** The assistant's config file, where the assistant itself looks for it. */
    Path configFile(SessionTool tool) {
        return switch (tool) {
            case CLAUDE_CODE -> (claudeConfigDir != null ? claudeConfigDir : home.resolve(".claude")).resolve("settings.json");
            case CODEX -> (codexHome != null ? codexHome : home.resolve(".codex")).resolve("config.toml");
            case GEMINI -> geminiDir().resolve("settings.json");
        };
    }

    private Path geminiDir() {
        return (geminiCliHome != null ? geminiCliHome : home).resolve(".gemini");
    }

    /** The .env text with {@code key} set to {@code value} (its earlier line replaced, other lines kept). */
    static String dotenv(String before, String key, String value) {
        var lines = new ArrayList<String>();
        String ours = key + "=\"" + value + "\"";
        boolean set = false;
        for (String line : before.isEmpty() ? List.<String>of() : List.of(before.split("\r?\n"))) {
            String t = line.strip();
            if (t.startsWith("export ")) {
                t = t.substring("export ".length()).strip();
            }
            if (t.startsWith(key + "=") || t.startsWith(key + " =")) {
                if (!set) {
                    lines.add(ours);
                    set = true;
                }
                continue;
            }
            lines.add(line);
        }
        if (!set) {
            lines.add(ours);
        }
        return String.join("\n", lines) + "\n";
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

    /** Our keys of Codex's {@code [otel]} table and their TOML values. */
    Map<String, String> codexValues(String base) {
        String headers = hasToken() ? ", headers = { \"Authorization\" = \"Bearer " + token + "\" }" : "";
        var values = new LinkedHashMap<String, String>();
        values.put("log_user_prompt", Boolean.toString(logPrompts));
        values.put("exporter", "{ otlp-http = { endpoint = \"" + base + "/v1/logs\", protocol = \"binary\"" + headers + " } }");
        values.put("trace_exporter", "{ otlp-http = { endpoint = \"" + base + "/v1/traces\", protocol = \"binary\"" + headers + " } }");
        values.put("metrics_exporter", "{ otlp-http = { endpoint = \"" + base + "/v1/metrics\", protocol = \"binary\"" + headers + " } }");
        return values;
    }

    private String codexSection(String base) {
        var sb = new StringBuilder("[otel]\n");
        codexValues(base).forEach((k, v) -> sb.append(k).append(" = ").append(v).append('\n'));
        return sb.toString();
    }

    /** The JSON file with {@code key}'s object merged with {@code values} (other settings kept). */
    private static String json(Path file, String before, Map<String, Object> values, String key) throws IOException {
        ObjectNode root;
        if (before.isBlank()) {
            root = JSON.createObjectNode();
        } else {
            JsonNode parsed;
            try {
                parsed = JSON.readTree(before);
            } catch (IOException e) {
                throw new IllegalArgumentException(JsonProblem.describe(file, e) + "; fix it first");
            }
            if (!(parsed instanceof ObjectNode o)) {
                throw new IllegalArgumentException(file + ": not a JSON object; fix it first");
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
        var sb = new StringBuilder("--- " + name + "\n+++ " + name + " (after)\n");
        int i = 0;
        int j = 0;
        while (i < a.size() || j < b.size()) {
            if (i < a.size() && j < b.size() && a.get(i).equals(b.get(j))) {
                sb.append("  ").append(a.get(i)).append('\n');
                i++;
                j++;
            } else if (j < b.size() && (i == a.size() || lcs[i][j + 1] > lcs[i + 1][j])) {
                // A changed line reads as diff prints it: the old line, then the new one.
                sb.append("+ ").append(b.get(j++)).append('\n');
            } else {
                sb.append("- ").append(a.get(i++)).append('\n');
            }
        }
        return sb.toString();
    }
}
