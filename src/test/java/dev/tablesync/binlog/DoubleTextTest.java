package dev.tablesync.binlog;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.tablesync.testsupport.TestServer;
import dev.tablesync.testsupport.TestServers;

/** DOUBLE text as the test source itself prints it, around both notations' boundaries and at the extremes. */
class DoubleTextTest {

    static final double[] VALUES = {0.1, 0.5, 1, -1, 2.5, 123.456, 1e14, 99999999999999.9, 1e15, 1.5e15, 123456789012345678.0,
            1e16, 1e21, 1e22, 1e23, 0.001, 0.0001, 0.00012345, 0.00001, 1.5e-7, 2.2250738585072014e-308,
            1.7976931348623157e308, 4.9e-324, -3.3999999521443642e38, 1.2345677614212036, 1.0 / 3, 2.0 / 3, 5e-324,
            9007199254740993.0, 0.30000000000000004, 1e-6, 1e-7, 1.5e-8, 1e-10, 1.2345678901234e-8,
            1.2345678901234567e-8, 1e-14, 1e-15, 1.5e-16, 1.2345678901234567e-5, -1.5e-7, 1e-20, 1.5e-12, 1.2345678901234567e-15, 9.99e-16, 1.2345678901234567e14, 999999999999999.9};

    @Test
    void shouldPrintEveryDoubleAsTheSourceServerDoes() throws SQLException {
        TestServer source = TestServers.get().source();
        boolean mariadb = source.flavor().equals("mariadb");
        List<String> server = new ArrayList<>();
        List<String> ours = new ArrayList<>();
        try (Connection c = source.connect(""); PreparedStatement ps = c.prepareStatement("SELECT CAST(? AS CHAR) + 0E0")) {
            for (double v : VALUES) {
                ps.setString(1, Double.toString(v));
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    server.add(v + " -> " + new String(rs.getBytes(1), java.nio.charset.StandardCharsets.US_ASCII)); // as tablesync reads; getString goes through a Java double
                }
                ours.add(v + " -> " + DoubleText.of(v));
            }
        }
        assertEquals(server, ours);
    }
}
