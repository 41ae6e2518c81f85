package dev.agentlake.cli.bundle;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * What {@code export --redact} hides, each value replaced by a stable hash ({@code redacted:} + 16
 * hex of its MD5: equal values stay equal, so a redacted bundle still groups and joins) or, inside
 * free text, by a placeholder:
 * <ul>
 *   <li>{@code prompts}: every log body (prompts, answers, tool inputs and results), every span
 *       event and link, and every string attribute that is not one of the structural keys (ids,
 *       names, models, token counts, …);</li>
 *   <li>{@code paths}: the {@code project} column, attribute values that are file paths, and paths in text;</li>
 *   <li>{@code emails}: e-mail addresses anywhere in text and attributes, and the {@code user_id} column;</li>
 *   <li>{@code hosts}: the {@code host_name} column and {@code host.*} attributes.</li>
 * </ul>
 */
public enum Redaction {
    PROMPTS, PATHS, EMAILS, HOSTS;

    /** Parses {@code prompts,paths,emails,hosts} (any subset; {@code all} for every kind). */
    public static Set<Redaction> parse(String list) {
        var set = EnumSet.noneOf(Redaction.class);
        if (list == null || list.isBlank()) {
            return set;
        }
        for (String part : list.split(",")) {
            String p = part.trim().toLowerCase(Locale.ROOT);
            if (p.equals("all")) {
                return EnumSet.allOf(Redaction.class);
            }
            try {
                set.add(valueOf(p.toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--redact: unknown kind '" + p + "' (expected prompts, paths, emails, hosts or all)");
            }
        }
        return set;
    }

    static final String EMAIL = "[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\\.[A-Za-z0-9-]+)*\\.[A-Za-z]{2,}";
    /** An absolute or home-relative path of at least two segments (Unix or Windows). */
    static final String PATH = "(~|[A-Za-z]:)?([/\\\\][^/\\\\\\s\"'<>|:*?]+){2,}[/\\\\]?";
    /** Attribute keys whose values are structure, not content: kept by {@code prompts} redaction. */
    static final String KEEP_KEYS = "['event.name', 'event.timestamp', 'event.sequence', 'event.kind', 'session.id',"
            + " 'prompt.id', 'prompt_id', 'conversation.id', 'model', 'gen_ai.request.model', 'gen_ai.response.model',"
            + " 'tool_name', 'tool.name', 'function_name', 'name', 'decision', 'source', 'success', 'status', 'type',"
            + " 'request_id', 'response_id', 'call_id', 'tool_use_id', 'uuid', 'is_sidechain', 'service.name',"
            + " 'service.version', 'service.instance.id', 'os.type', 'os.version', 'host.arch', 'terminal.type',"
            + " 'app.version', 'user.id', 'organization.id', 'user.account_uuid', 'cost_usd', 'duration_ms',"
            + " 'http.response.status_code', 'input_token_count', 'output_token_count', 'cached_token_count',"
            + " 'reasoning_token_count', 'tool_token_count', 'input_tokens', 'output_tokens', 'cache_read_tokens',"
            + " 'cache_creation_tokens', 'telemetry.sdk.language', 'telemetry.sdk.name', 'telemetry.sdk.version']";

    /** SQL hash of a string expression. */
    static String hash(String expr) {
        return "CASE WHEN " + expr + " IS NULL THEN NULL ELSE 'redacted:' || substr(md5(CAST(" + expr + " AS VARCHAR)), 1, 16) END";
    }

    /** SQL that hides, in a free-text expression, what {@code kinds} asks to (paths, emails). */
    static String text(String expr, Set<Redaction> kinds) {
        String out = expr;
        if (kinds.contains(EMAILS)) {
            out = "regexp_replace(" + out + ", '" + EMAIL + "', '[email]', 'g')";
        }
        if (kinds.contains(PATHS)) {
            out = "regexp_replace(" + out + ", '" + PATH.replace("'", "''") + "', '[path]', 'g')";
        }
        return out;
    }

    /**
     * SQL for a JSON-object column (attributes): each top-level value kept, hashed or cleaned as
     * {@code kinds} asks. Numbers and booleans are kept.
     */
    static String json(String column, Set<Redaction> kinds) {
        var value = new StringBuilder("e.value");
        String str = "CAST(e.value AS VARCHAR)";
        var cases = new StringBuilder("CASE WHEN json_type(e.value) IN ('BIGINT', 'UBIGINT', 'DOUBLE', 'BOOLEAN', 'NULL') THEN e.value");
        if (kinds.contains(HOSTS)) {
            cases.append(" WHEN e.key LIKE 'host.%' OR e.key IN ('net.host.name', 'server.address') THEN to_json(")
                    .append(hash(str)).append(")");
        }
        if (kinds.contains(PROMPTS)) {
            cases.append(" WHEN NOT list_contains(").append(KEEP_KEYS).append(", e.key) THEN to_json(").append(hash(str)).append(")");
        }
        if (kinds.contains(PATHS)) {
            cases.append(" WHEN regexp_full_match(json_extract_string(e.value, '$'), '").append(PATH.replace("'", "''"))
                    .append("') THEN to_json(").append(hash(str)).append(")");
        }
        if (kinds.contains(EMAILS) || kinds.contains(PATHS)) {
            cases.append(" WHEN json_type(e.value) = 'VARCHAR' THEN to_json(")
                    .append(text("json_extract_string(e.value, '$')", kinds)).append(")");
        }
        cases.append(" ELSE e.value END");
        value.setLength(0);
        value.append(cases);
        // The object is taken apart as (key, value) pairs in order and written again as text, not cast
        // to a MAP: real exporters send a key twice (Codex spans carry "thread.id" as a number and as
        // the conversation id), and a MAP refuses duplicate keys, which failed the whole export.
        String entries = "list_transform(list_zip(json_keys(" + column + "), json_extract(" + column + ", '$.*')),"
                + " lambda z: {'key': z[1], 'value': z[2]})";
        return "CASE WHEN " + column + " IS NULL OR json_type(" + column + ") <> 'OBJECT' THEN " + column
                + " ELSE '{' || array_to_string(list_transform(" + entries + ", lambda e: CAST(to_json(e.key) AS VARCHAR)"
                + " || ':' || CAST(" + value + " AS VARCHAR)), ',') || '}' END";
    }
}
