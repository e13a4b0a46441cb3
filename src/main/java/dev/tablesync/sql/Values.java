package dev.tablesync.sql;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.util.List;
import java.util.Optional;

import dev.tablesync.schema.Column;
import dev.tablesync.schema.ValueKind;

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
        bind(ps, index, column.kind(), value);
    }

    /** The same, for a column whose {@link Column#kind()} the caller resolved once, not per value. */
    public static void bind(PreparedStatement ps, int index, ValueKind kind, byte[] value) throws SQLException {
        if (value == null) {
            ps.setNull(index, Types.NULL);
            return;
        }
        switch (kind) {
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
        if (value != null && column.dataType().equals("bit")) {
            // A BIT compared with a binary string is compared with that string's text read as a number (0).
            ps.setBigDecimal(index, new BigDecimal(new BigInteger(1, value)));
            return;
        }
        bind(ps, index, column, value);
    }

    /**
     * For a value to compare by order ({@code <}, {@code >}) with {@code column}, in the order the
     * server sorts the column by: an ENUM or SET sorts by its member number (ENUM index, SET
     * bitmask), which it compares with a number but not with text. {@code column} must be the
     * column of the server the statement runs on, whose members the number refers to.
     */
    public static void bindBound(PreparedStatement ps, int index, Column column, byte[] value) throws SQLException {
        if (value != null && column.isEnumOrSet()) {
            Optional<BigInteger> number = memberNumber(column, new String(value, StandardCharsets.UTF_8));
            if (number.isPresent()) {
                ps.setBigDecimal(index, new BigDecimal(number.get()));
                return;
            }
        }
        bindKey(ps, index, column, value);
    }

    /**
     * An ENUM value's index (0 for the empty error value) or a SET value's bitmask; empty when the
     * column has no such member (then the value can only be compared as text).
     */
    static Optional<BigInteger> memberNumber(Column column, String value) {
        List<String> members = column.members();
        if (column.dataType().equals("enum")) {
            int i = members.indexOf(value);
            return i >= 0 ? Optional.of(BigInteger.valueOf(i + 1L))
                    : value.isEmpty() ? Optional.of(BigInteger.ZERO) : Optional.empty();
        }
        BigInteger mask = BigInteger.ZERO;
        for (String part : value.isEmpty() ? new String[0] : value.split(",", -1)) {
            int i = members.indexOf(part);
            if (i < 0) {
                return Optional.empty();
            }
            mask = mask.setBit(i);
        }
        return Optional.of(mask);
    }
}
