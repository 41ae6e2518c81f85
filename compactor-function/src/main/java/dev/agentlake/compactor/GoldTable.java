package dev.agentlake.compactor;

import java.util.List;

/** The tables derived from silver ones by {@link dev.agentlake.lake.sql.DerivedViews}, with their partition time. */
enum GoldTable {
    USAGE("usage", "timestamp", "timestamp, call_id"),
    SESSIONS("sessions", "first_seen", "first_seen, tool, session_id");

    private final String table;
    private final String timeColumn;
    private final String order;

    GoldTable(String table, String timeColumn, String order) {
        this.table = table;
        this.timeColumn = timeColumn;
        this.order = order;
    }

    String table() {
        return table;
    }

    /** The column whose UTC date is the row's {@code dt=} partition. */
    String timeColumn() {
        return timeColumn;
    }

    /** Sort order within a file. */
    String order() {
        return order;
    }

    static boolean isGold(String name) {
        return List.of(values()).stream().anyMatch(g -> g.table.equals(name));
    }
}
