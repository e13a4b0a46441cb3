package dev.tablesync.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.SocketException;
import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientConnectionException;

import org.junit.jupiter.api.Test;

import dev.tablesync.schema.SchemaDriftException;

class SqlErrorsTest {

    @Test
    void shouldCallSchemaDriftItsOwnFatalCategory() {
        SchemaDriftException drift = new SchemaDriftException("column `note` was dropped");
        assertFalse(SqlErrors.isTransient(drift));
        assertEquals("schema_drift", SqlErrors.category(drift).label());
    }

    @Test
    void shouldCallALostBinlogPositionABinlogGapEvenWhenWrapped() {
        BinlogGapException gap = new BinlogGapException("purged", "(binlog.000001:4 on x)", "(binlog.000002:4 on x)",
                new IOException("error 1236 from the server"));
        assertFalse(SqlErrors.isTransient(gap));
        assertEquals("binlog_gap", SqlErrors.category(gap).label());
        assertEquals("binlog_gap", SqlErrors.category(new IllegalStateException("mapping orders", gap)).label());
    }

    @Test
    void shouldReadTheRowAndColumnOfAValueTheTargetRefused() {
        SQLException enumValue = new SQLException("Data truncated for column 'e' at row 5", "01000", 1265);
        SQLException date = new SQLException("Incorrect date value: '2024-02-31' for column `db`.`t`.`d` at row 2",
                "22007", 1292);
        SQLException nul = new SQLException("Column 'n' cannot be null", "23000", 1048);
        assertTrue(SqlErrors.isRefusedValue(enumValue) && SqlErrors.isRefusedValue(date) && SqlErrors.isRefusedValue(nul));
        assertFalse(SqlErrors.isTransient(enumValue));
        assertEquals(java.util.OptionalInt.of(5), SqlErrors.refusedRow(enumValue));
        assertEquals(java.util.Optional.of("e"), SqlErrors.refusedColumn(enumValue));
        assertEquals(java.util.Optional.of("d"), SqlErrors.refusedColumn(date));
        assertEquals(java.util.OptionalInt.empty(), SqlErrors.refusedRow(nul));
        assertEquals(java.util.Optional.of("n"), SqlErrors.refusedColumn(nul));
        assertFalse(SqlErrors.isRefusedValue(new SQLException("Lock wait timeout exceeded", "HY000", 1205)));
    }

    @Test
    void shouldRetryLockWaitTimeout() {
        assertTransient(new SQLException("Lock wait timeout exceeded", "HY000", 1205));
    }

    @Test
    void shouldRetryDeadlock() {
        assertTransient(new SQLException("Deadlock found when trying to get lock", "40001", 1213));
    }

    @Test
    void shouldRetryCommunicationsFailureBySqlState() {
        assertTransient(new SQLException("Communications link failure", "08S01", 0));
    }

    @Test
    void shouldRetryTransientAndRecoverableExceptionTypes() {
        assertTransient(new SQLTransientConnectionException("pool exhausted"));
        assertTransient(new SQLRecoverableException("connection reset"));
    }

    @Test
    void shouldRetryWhenAnIoExceptionIsTheCause() {
        assertTransient(new SQLException("read failed", null, 0, new SocketException("Connection reset")));
        assertTransient(new RuntimeException("batch failed", new IOException("broken pipe")));
    }

    @Test
    void shouldRetryTransientSqlErrorWrappedInOtherExceptions() {
        assertTransient(new IllegalStateException("run failed",
                new RuntimeException(new SQLException("Lock wait timeout exceeded", "HY000", 1205))));
    }

    @Test
    void shouldRetryTransientErrorCodeWhateverTheSqlState() {
        assertTransient(new SQLException("Server has gone away", null, 2006));
    }

    @Test
    void shouldNotRetryMissingTable() {
        assertFatal(new SQLException("Table 'shop.orders' doesn't exist", "42S02", 1146));
    }

    @Test
    void shouldNotRetryAccessDenied() {
        assertFatal(new SQLException("Access denied for user 'sync'@'%'", "28000", 1045));
    }

    @Test
    void shouldNotRetryDataTooLong() {
        assertFatal(new SQLException("Data too long for column 'name' at row 1", "22001", 1406));
    }

    @Test
    void shouldNotRetryProgrammingErrors() {
        assertFatal(new IllegalStateException("bug"));
        assertFatal(new RuntimeException("wrapped", new SQLException("Unknown column", "42S22", 1054)));
    }

    @Test
    void shouldNotRetryGeneralErrorWithUnknownCode() {
        assertFatal(new SQLException("Incorrect datetime value", "HY000", 1292));
        assertFatal(new SQLException("no state, no code"));
    }

    private static void assertTransient(Throwable error) {
        assertTrue(SqlErrors.isTransient(error), error::toString);
        assertEquals("transient", SqlErrors.category(error).label());
    }

    private static void assertFatal(Throwable error) {
        assertFalse(SqlErrors.isTransient(error), error::toString);
        assertEquals("fatal", SqlErrors.category(error).label());
    }
}
