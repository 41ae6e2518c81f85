package dev.agentlake.query.api;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.Array;
import java.sql.Blob;
import java.sql.SQLException;
import java.sql.Struct;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;
import org.duckdb.DuckDBStruct;

/** Turns JDBC values from DuckDB into values Jackson writes as plain JSON. */
final class JsonValues {
    private JsonValues() {
    }

    static Object of(Object v) throws SQLException {
        if (v == null || v instanceof String || v instanceof Boolean || v instanceof Integer || v instanceof Long
                || v instanceof Double || v instanceof Float || v instanceof Short || v instanceof Byte) {
            return v;
        }
        if (v instanceof BigInteger b) {
            return b.bitLength() < 64 ? (Object) b.longValue() : b.toString();
        }
        if (v instanceof BigDecimal d) {
            return d.doubleValue();
        }
        if (v instanceof OffsetDateTime t) {
            return t.withOffsetSameInstant(ZoneOffset.UTC).toInstant().toString();
        }
        if (v instanceof java.sql.Timestamp t) {
            return t.toInstant().toString();
        }
        if (v instanceof java.time.LocalDateTime t) {
            return t.toString();
        }
        if (v instanceof java.time.LocalDate || v instanceof java.sql.Date || v instanceof java.util.UUID) {
            return v.toString();
        }
        if (v instanceof Blob b) {
            return blobText(b.getBytes(1, (int) b.length()));
        }
        if (v instanceof Array a) {
            var list = new ArrayList<Object>();
            for (Object o : (Object[]) a.getArray()) {
                list.add(of(o));
            }
            return list;
        }
        if (v instanceof DuckDBStruct s) {
            // An object by field name, as DuckDB's own JSON shows a STRUCT: its values alone lose what they are.
            var out = new LinkedHashMap<String, Object>();
            for (var e : s.getMap().entrySet()) {
                out.put(e.getKey(), of(e.getValue()));
            }
            return out;
        }
        if (v instanceof Struct s) {
            var list = new ArrayList<Object>();
            for (Object o : s.getAttributes()) {
                list.add(of(o));
            }
            return list;
        }
        if (v instanceof Map<?, ?> m) {
            var out = new LinkedHashMap<String, Object>();
            for (var e : m.entrySet()) {
                out.put(String.valueOf(e.getKey()), of(e.getValue()));
            }
            return out;
        }
        return v.toString();
    }

    /** A BLOB as DuckDB prints one: printable ASCII as is, any other byte as {@code \xHH}. */
    static String blobText(byte[] bytes) {
        var sb = new StringBuilder(bytes.length);
        for (byte x : bytes) {
            int c = x & 0xff;
            if (c >= 0x20 && c < 0x7f && c != '\\' && c != '\'' && c != '"') {
                sb.append((char) c);
            } else {
                sb.append("\\x").append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return sb.toString();
    }
}
