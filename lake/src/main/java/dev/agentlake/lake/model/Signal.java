package dev.agentlake.lake.model;

import java.util.Locale;

/**
 * The kinds of landing data, named as the lake's landing folders name them: the three OTLP signals,
 * and {@code usage} rows written directly by importers of local session files.
 */
public enum Signal {
    LOGS("logs"),
    METRICS("metrics"),
    SPANS("spans"),
    USAGE("usage");

    private final String folder;

    Signal(String folder) {
        this.folder = folder;
    }

    /**
     * The folder under {@code landing/}. For the OTLP signals it is also the silver table's name
     * under {@code tables/}; imported usage rows are compacted into {@code tables/imported_usage/}
     * (the gold {@code usage} table is derived from them and from the logs).
     */
    public String folder() {
        return folder;
    }

    /** Parses a folder name back, e.g. {@code spans}; also accepts the OTLP path word {@code traces}. */
    public static Signal fromFolder(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        if (n.equals("traces")) {
            return SPANS;
        }
        for (Signal s : values()) {
            if (s.folder.equals(n)) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown signal: " + name);
    }
}
