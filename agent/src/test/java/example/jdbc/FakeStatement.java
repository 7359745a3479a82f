package example.jdbc;

import java.sql.Statement;

/** A driver's statement class, by type only. */
public abstract class FakeStatement implements Statement {}
