package dev.tablesync.schema;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;

import org.junit.jupiter.api.Test;

/** Which target column definitions can hold every value of a source column. */
class ColumnFitTest {

    private static Column col(String dataType, String columnType) {
        return col(dataType, columnType, null);
    }

    private static Column col(String dataType, String columnType, String charset) {
        return new Column("c", dataType, columnType, true, Optional.ofNullable(charset), Optional.empty(), precision(
                columnType), "");
    }

    private static int precision(String columnType) {
        return columnType.matches("(datetime|timestamp|time)\\(\\d\\)") ? columnType.charAt(columnType.length() - 2)
                - '0' : 0;
    }

    private static void fits(Column source, Column target) {
        assertEquals(Optional.empty(), ColumnFit.refusal(source, target), source.columnType() + " -> "
                + target.columnType());
    }

    private static void refused(Column source, Column target, String why) {
        Optional<String> refusal = ColumnFit.refusal(source, target);
        assertTrue(refusal.isPresent() && refusal.get().contains(why), source.columnType() + " -> "
                + target.columnType() + ": " + refusal);
    }

    @Test
    void shouldAcceptTheSameTypeSpelledByMySqlAndMariaDbAndWiderTypes() {
        fits(col("int", "int(11)"), col("int", "int"));
        fits(col("int", "int(10) unsigned"), col("int", "int unsigned"));
        fits(col("tinyint", "tinyint(1)"), col("tinyint", "tinyint(1)"));
        fits(col("json", "json", "utf8mb4"), col("longtext", "longtext", "utf8mb4"));
        fits(col("varchar", "varchar(20)", "utf8"), col("varchar", "varchar(20)", "utf8mb3"));
        fits(col("year", "year"), col("year", "year(4)"));
        fits(col("int", "int unsigned"), col("bigint", "bigint"));
        fits(col("varchar", "varchar(20)", "latin1"), col("varchar", "varchar(40)", "utf8mb4"));
        fits(col("datetime", "datetime(3)"), col("datetime", "datetime(6)"));
        fits(col("timestamp", "timestamp(6)"), col("datetime", "datetime(6)"));
        fits(col("decimal", "decimal(10,2)"), col("decimal", "decimal(12,4)"));
        fits(col("enum", "enum('a','b')"), col("enum", "enum('b','a','c')"));
        fits(col("varbinary", "varbinary(16)"), col("blob", "blob"));
        fits(col("varchar", "varchar(10)", "utf8mb4"), col("varbinary", "varbinary(10)"));
    }

    @Test
    void shouldRefuseATargetThatCannotHoldEverySourceValue() {
        refused(col("datetime", "datetime(6)"), col("date", "date"), "DATE");
        refused(col("timestamp", "timestamp(6)"), col("timestamp", "timestamp"), "fractional-second");
        refused(col("varchar", "varchar(20)"), col("varchar", "varchar(5)"), "fewer characters");
        refused(col("int", "int"), col("int", "int unsigned"), "signed");
        refused(col("bigint", "bigint"), col("int", "int"), "range");
        refused(col("decimal", "decimal(10,2)"), col("decimal", "decimal(10,1)"), "digits");
        refused(col("enum", "enum('a','b')"), col("enum", "enum('a')"), "[b]");
        refused(col("varchar", "varchar(20)", "utf8mb4"), col("varchar", "varchar(20)", "latin1"), "character set");
        refused(col("varchar", "varchar(20)"), col("char", "char(20)"), "trailing spaces");
        refused(col("text", "text"), col("tinytext", "tinytext"), "fewer bytes");
        refused(col("double", "double"), col("float", "float"), "floating-point");
        refused(col("int", "int"), col("varchar", "varchar(20)"), "integer");
        Column notNull = new Column("c", "int", "int", false, Optional.empty(), Optional.empty(), 0, "");
        refused(col("int", "int"), notNull, "NOT NULL");
    }
}
