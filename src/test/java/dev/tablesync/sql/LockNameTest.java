package dev.tablesync.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LockNameTest {

    @Test
    void shouldKeepANameThatFitsTheServersLimit() {
        assertEquals("tablesync:state:orders", LockName.of("tablesync:", "state:orders").value());
    }

    @Test
    void shouldHashALongNameBehindItsPrefixKeepingDistinctNamesDistinct() {
        String longer = "s".repeat(40) + ":" + "m".repeat(40);
        LockName a = LockName.of("tablesync:", longer + "a");
        LockName b = LockName.of("tablesync:", longer + "b");

        assertTrue(a.value().length() <= 64, a.value());
        assertTrue(a.value().startsWith("tablesync:"), a.value());
        assertNotEquals(a, b);
    }
}
