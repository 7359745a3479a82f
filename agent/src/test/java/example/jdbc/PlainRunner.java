package example.jdbc;

/** Declares {@code execute(Ljava/lang/String;)Z} but names nothing of {@code java/sql/}: never a candidate. */
public class PlainRunner {

  public boolean execute(String command) {
    return command.isEmpty();
  }
}
