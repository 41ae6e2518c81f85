package dev.agentlake.cli;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import java.io.IOException;

/**
 * What is wrong with a JSON file the user handed us, in one line that names the file, the place
 * (line, column, field) and the problem, without Jackson's internals ({@code [Source: …]}, class
 * names), which say nothing to a user.
 */
public final class JsonProblem {
    private JsonProblem() {
    }

    /** One line: {@code FILE: not valid JSON at line 3, column 7: Unexpected character ('}' …)}. */
    public static String describe(Object file, IOException e) {
        if (!(e instanceof JsonProcessingException jp)) {
            return file + ": cannot read it: " + e.getMessage();
        }
        String at = at(jp.getLocation());
        if (jp instanceof JsonMappingException jm && !jm.getPath().isEmpty()) {
            String field = field(jm);
            if (jm instanceof UnrecognizedPropertyException) {
                return file + ": unknown field " + field + at;
            }
            return file + ": field " + field + at + " has the wrong type or value";
        }
        if (jp instanceof JsonMappingException) {
            return file + ": not the expected JSON" + at;
        }
        return file + ": not valid JSON" + at + ": " + reason(jp.getOriginalMessage());
    }

    private static String at(JsonLocation location) {
        if (location == null || location.getLineNr() < 1) {
            return "";
        }
        return " at line " + location.getLineNr() + (location.getColumnNr() > 0 ? ", column " + location.getColumnNr() : "");
    }

    private static String field(JsonMappingException e) {
        var sb = new StringBuilder();
        for (JsonMappingException.Reference r : e.getPath()) {
            if (r.getFieldName() != null) {
                if (sb.length() > 0) {
                    sb.append('.');
                }
                sb.append(r.getFieldName());
            } else if (r.getIndex() >= 0) {
                sb.append('[').append(r.getIndex()).append(']');
            }
        }
        return sb.toString();
    }

    /** Jackson's message without its pointers into the input ("(start marker at [Source: …])"). */
    private static String reason(String message) {
        if (message == null) {
            return "unreadable";
        }
        String first = message.split("\n", 2)[0];
        first = first.replaceAll("\\s*\\(start marker at \\[Source:.*?]\\)", "");
        int source = first.indexOf("[Source:");
        if (source >= 0) {
            first = first.substring(0, source);
        }
        return first.strip();
    }
}
