package dev.tablesync.binlog;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import dev.tablesync.testsupport.TestServer;

/** Reads of the test servers' state (variables, processlist) that binlog tests check. */
final class Queries {

    private Queries() {
    }

    /** First column of the first row; null when there is no row. */
    static String one(TestServer server, String sql) {
        List<String> rows = column(server, sql);
        return rows.isEmpty() ? null : rows.get(0);
    }

    /** Every row, each column as text. */
    static List<List<String>> rows(TestServer server, String sql) {
        try (Connection c = server.connect("");
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            List<List<String>> rows = new ArrayList<>();
            int n = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                List<String> row = new ArrayList<>();
                for (int i = 1; i <= n; i++) {
                    row.add(rs.getString(i));
                }
                rows.add(row);
            }
            return rows;
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }

    static List<String> column(TestServer server, String sql) {
        try (Connection c = server.connect("");
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            List<String> values = new ArrayList<>();
            while (rs.next()) {
                values.add(rs.getString(1));
            }
            return values;
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }
}
