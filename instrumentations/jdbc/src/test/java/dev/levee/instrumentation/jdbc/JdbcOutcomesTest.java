package dev.levee.instrumentation.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.levee.core.Outcome;
import java.net.ConnectException;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLSyntaxErrorException;
import java.sql.SQLTimeoutException;
import org.junit.jupiter.api.Test;

class JdbcOutcomesTest {

  @Test
  void statements() {
    assertEquals(Outcome.TIMEOUT, JdbcOutcomes.STATEMENT.classify(new SQLTimeoutException("t")));
    assertEquals(Outcome.TIMEOUT, JdbcOutcomes.STATEMENT.classify(new SQLException("canceling statement due to user request", "57014")));
    assertEquals(Outcome.TIMEOUT, JdbcOutcomes.STATEMENT.classify(new SQLException("Query execution was interrupted", "70100")));
    assertEquals(Outcome.TRANSIENT, JdbcOutcomes.STATEMENT.classify(new SQLException("could not serialize", "40001")));
    assertEquals(Outcome.TRANSIENT, JdbcOutcomes.STATEMENT.classify(new SQLException("deadlock detected", "40P01")));
    assertEquals(Outcome.RESET, JdbcOutcomes.STATEMENT.classify(new SQLException("An I/O error occurred", "08006")));
    assertEquals(Outcome.RESET, JdbcOutcomes.STATEMENT.classify(new SQLNonTransientConnectionException("gone")));
    assertEquals(Outcome.CONNECT_FAILURE, JdbcOutcomes.STATEMENT.classify(new SQLException("could not reconnect", "08001")));
    assertEquals(Outcome.APPLICATION_ERROR, JdbcOutcomes.STATEMENT.classify(new SQLSyntaxErrorException("syntax", "42601")));
    assertEquals(Outcome.APPLICATION_ERROR, JdbcOutcomes.STATEMENT.classify(new SQLException("duplicate key", "23505")));
    assertEquals(Outcome.APPLICATION_ERROR, JdbcOutcomes.STATEMENT.classify(new SQLException("in failed transaction", "25P02")));
    assertEquals(Outcome.APPLICATION_ERROR, JdbcOutcomes.STATEMENT.classify(new IllegalStateException("a driver bug")));
  }

  @Test
  void connects() {
    assertEquals(Outcome.CONNECT_FAILURE, JdbcOutcomes.CONNECT.classify(new SQLException("refused", "08001", new ConnectException())));
    assertEquals(Outcome.CONNECT_FAILURE, JdbcOutcomes.CONNECT.classify(new SQLNonTransientConnectionException("refused", "08000")));
    assertEquals(Outcome.CONNECT_FAILURE, JdbcOutcomes.CONNECT.classify(new SQLException("no state", null, new ConnectException())));
    assertEquals(Outcome.CONNECT_FAILURE, JdbcOutcomes.CONNECT.classify(new SQLException("starting up", "57P03")));
    assertEquals(Outcome.APPLICATION_ERROR, JdbcOutcomes.CONNECT.classify(new SQLException("password authentication failed", "28P01")));
    assertEquals(Outcome.APPLICATION_ERROR, JdbcOutcomes.CONNECT.classify(new SQLException("database does not exist", "3D000")));
  }
}
