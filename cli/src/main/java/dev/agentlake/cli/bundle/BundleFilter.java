package dev.agentlake.cli.bundle;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Which rows a bundle holds; null fields do not filter.
 *
 * @param to end of the window (exclusive)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record BundleFilter(
        @JsonProperty("from") Instant from,
        @JsonProperty("to") Instant to,
        @JsonProperty("tool") String tool,
        @JsonProperty("project") String project,
        @JsonProperty("session") String session) {

    /** SQL conditions for a table whose time column is {@code time} (a timestamp, or a date for {@code sessions}). */
    String where(String time, boolean isDate) {
        var parts = new ArrayList<String>();
        if (from != null) {
            parts.add(isDate ? time + " >= CAST(TIMESTAMPTZ " + literal(from.toString()) + " AS DATE)"
                    : time + " >= TIMESTAMPTZ " + literal(from.toString()));
        }
        if (to != null) {
            parts.add(isDate ? time + " <= CAST(TIMESTAMPTZ " + literal(to.toString()) + " AS DATE)"
                    : time + " < TIMESTAMPTZ " + literal(to.toString()));
        }
        if (tool != null) {
            parts.add("tool = " + literal(tool));
        }
        if (project != null) {
            parts.add("project = " + literal(project));
        }
        if (session != null) {
            parts.add("session_id = " + literal(session));
        }
        return parts.isEmpty() ? "" : " WHERE " + String.join(" AND ", parts);
    }

    static String literal(String s) {
        return "'" + s.replace("'", "''") + "'";
    }

    List<String> describe() {
        var out = new ArrayList<String>();
        if (from != null) {
            out.add("from " + from);
        }
        if (to != null) {
            out.add("to " + to);
        }
        if (tool != null) {
            out.add("tool " + tool);
        }
        if (project != null) {
            out.add("project " + project);
        }
        if (session != null) {
            out.add("session " + session);
        }
        return out;
    }
}
