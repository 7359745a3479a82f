package dev.levee.instrumentation.jdbc;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ReadOnlySqlTest {

  @ParameterizedTest
  @ValueSource(strings = {
    "SELECT 1",
    "select * from orders where id = ?",
    "  \n\tSELECT\n1",
    "-- the report\nSELECT count(*) FROM orders",
    "/* hint */ /*+ INDEX(o) */ SELECT o.id FROM orders o",
    "(SELECT a FROM t) UNION (SELECT b FROM u)",
    "SELECT pg_sleep(5)",
    "SELECT updated_at FROM orders", // a column whose name contains UPDATE is not FOR UPDATE
  })
  void reads(String sql) {
    assertTrue(ReadOnlySql.isPlainSelect(sql), sql);
  }

  @ParameterizedTest
  @ValueSource(strings = {
    "INSERT INTO orders VALUES (1)",
    "UPDATE orders SET paid = true",
    "DELETE FROM orders",
    "SELECT * FROM orders WHERE id = 1 FOR UPDATE",
    "select * from orders for update skip locked",
    "SELECT * FROM orders FOR NO KEY UPDATE",
    "SELECT * FROM orders FOR SHARE",
    "SELECT * FROM orders LOCK IN SHARE MODE",
    "SELECT * INTO archive FROM orders",
    "WITH gone AS (DELETE FROM orders RETURNING *) SELECT * FROM gone",
    "SELECTED_ROWS",
    "CALL refresh()",
    "",
    "-- only a comment",
  })
  void notReads(String sql) {
    assertFalse(ReadOnlySql.isPlainSelect(sql), sql);
  }
}
