package dev.tablesync.sql;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;

import dev.tablesync.schema.Column;

/**
 * Binds values that came from the source as the server's own text or bytes. Nothing goes
 * through Java's numeric or temporal types: that is what keeps values byte-exact (and avoids
 * Connector/J dropping the fraction of bound temporals on MariaDB).
 */
public final class Values {

    private Values() {
    }

    /** For a value to store: the target server parses the text exactly as the source printed it. */
    public static void bind(PreparedStatement ps, int index, Column column, byte[] value) throws SQLException {
        if (value == null) {
            ps.setNull(index, Types.NULL);
            return;
        }
        switch (column.kind()) {
            case BYTES -> ps.setBytes(index, value);
            default -> ps.setString(index, new String(value, StandardCharsets.UTF_8));
        }
    }

    /**
     * For a value to compare with: numbers are bound as decimal literals, because a string
     * compared with an integer column is compared as a double, which loses precision above 2^53.
     */
    public static void bindKey(PreparedStatement ps, int index, Column column, byte[] value) throws SQLException {
        if (value != null && column.kind() == dev.tablesync.schema.ValueKind.NUMBER && !column.isFloat()
                && !column.dataType().equals("double") && !column.dataType().equals("real")) {
            ps.setBigDecimal(index, new BigDecimal(new String(value, StandardCharsets.US_ASCII)));
            return;
        }
        bind(ps, index, column, value);
    }
}
