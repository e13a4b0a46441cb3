package dev.tablesync.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigInteger;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import dev.tablesync.schema.Column;

/** The numbers an ENUM or SET key is compared by: the order the server sorts it in. */
class ValuesTest {

    private static Column column(String dataType, String columnType) {
        return new Column("k", dataType, columnType, false, Optional.of("utf8mb4"), Optional.empty(), 0, "");
    }

    @Test
    void shouldReadEnumMembersAsInformationSchemaQuotesThem() {
        assertEquals(List.of("it's", "a\\b", "c,d", "", "É"),
                column("enum", "enum('it''s','a\\\\b','c,d','','É')").members());
    }

    @Test
    void shouldCompareEnumKeysByIndexAndSetKeysByBitmask() {
        Column e = column("enum", "enum('z','a','m')");
        assertEquals(Optional.of(BigInteger.ONE), Values.memberNumber(e, "z"));
        assertEquals(Optional.of(BigInteger.valueOf(3)), Values.memberNumber(e, "m"));
        assertEquals(Optional.of(BigInteger.ZERO), Values.memberNumber(e, ""), "the error value");
        assertEquals(Optional.empty(), Values.memberNumber(e, "q"));
        Column s = column("set", "set('x','y','z')");
        assertEquals(Optional.of(BigInteger.ZERO), Values.memberNumber(s, ""));
        assertEquals(Optional.of(BigInteger.valueOf(5)), Values.memberNumber(s, "x,z"));
        assertEquals(Optional.of(BigInteger.valueOf(2)), Values.memberNumber(s, "y"));
    }
}
