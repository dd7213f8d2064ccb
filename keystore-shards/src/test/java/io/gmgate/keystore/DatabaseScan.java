package io.gmgate.keystore;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

import javax.sql.DataSource;

/**
 * Reads every bytea and text-like column of every table in the current schema (what a pg_dump of it
 * would contain), so a test can look for plaintext secrets in raw, hex and base64 form.
 */
final class DatabaseScan {

    interface Visitor {
        void value(String table, String column, byte[] value);
    }

    private DatabaseScan() {
    }

    /** Visits every non-null value; returns how many were visited. */
    static int forEachValue(DataSource ds, Visitor visitor) throws SQLException {
        List<String[]> columns = new ArrayList<>();
        try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
            try (ResultSet rs = st.executeQuery("SELECT c.table_name, c.column_name, c.data_type FROM information_schema.columns c "
                    + "JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name "
                    + "WHERE c.table_schema = current_schema() AND t.table_type = 'BASE TABLE' "
                    + "AND c.data_type IN ('bytea', 'text', 'character varying', 'character', 'json', 'jsonb')")) {
                while (rs.next()) {
                    columns.add(new String[] {rs.getString(1), rs.getString(2), rs.getString(3)});
                }
            }
            int visited = 0;
            for (String[] col : columns) {
                try (ResultSet rs = st.executeQuery("SELECT \"" + col[1] + "\"" + ("bytea".equals(col[2]) ? "" : "::text")
                        + " FROM \"" + col[0] + "\" WHERE \"" + col[1] + "\" IS NOT NULL")) {
                    while (rs.next()) {
                        byte[] v = "bytea".equals(col[2]) ? rs.getBytes(1) : rs.getString(1).getBytes(StandardCharsets.UTF_8);
                        visitor.value(col[0], col[1], v);
                        visited++;
                    }
                }
            }
            return visited;
        }
    }

    /** True if the value holds the secret raw, or as hex (either case) or base64 text. */
    static boolean contains(byte[] value, byte[] secret) {
        String hex = HexFormat.of().formatHex(secret);
        return indexOf(value, secret) >= 0
                || indexOf(value, hex.getBytes(StandardCharsets.US_ASCII)) >= 0
                || indexOf(value, hex.toUpperCase(java.util.Locale.ROOT).getBytes(StandardCharsets.US_ASCII)) >= 0
                || indexOf(value, Base64.getEncoder().encodeToString(secret).substring(0, 40).getBytes(StandardCharsets.US_ASCII)) >= 0;
    }

    private static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
