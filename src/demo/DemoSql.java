import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;

/**
 * The demo's SQL client when it runs on the MySQL from the Maven jar, which ships no {@code mysql} client: a
 * machine with only Java has the JDBC driver that tablesync itself uses. Run with the JDK's source launcher:
 * {@code java -cp <mysql-connector-j.jar> src/demo/DemoSql.java PORT 'SQL; SQL'} (SQL from stdin when absent).
 * Prints each result row tab-separated, as {@code mysql -N} does.
 */
class DemoSql {
    public static void main(String[] args) throws Exception {
        String sql = args.length > 1 ? args[1] : new String(System.in.readAllBytes());
        String url = "jdbc:mysql://127.0.0.1:" + args[0] + "/?user=root&password=&allowMultiQueries=true";
        try (Connection connection = DriverManager.getConnection(url); Statement statement = connection.createStatement()) {
            for (boolean rows = statement.execute(sql); rows || statement.getUpdateCount() != -1;
                    rows = statement.getMoreResults()) {
                if (rows) {
                    print(statement.getResultSet());
                }
            }
        }
    }

    private static void print(ResultSet rs) throws Exception {
        int columns = rs.getMetaData().getColumnCount();
        while (rs.next()) {
            StringBuilder line = new StringBuilder();
            for (int i = 1; i <= columns; i++) {
                line.append(i > 1 ? "\t" : "").append(rs.getString(i));
            }
            System.out.println(line);
        }
    }
}
