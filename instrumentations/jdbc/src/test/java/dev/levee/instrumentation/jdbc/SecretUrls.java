package dev.levee.instrumentation.jdbc;

import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;

/**
 * JDBC URLs with a password in every place each driver documents for one (and a few undocumented but
 * likely mistakes), each with the target Levee must key it by. The password holds {@link #MARKER}.
 */
final class SecretUrls {

  /** The password's mark; a target, an exception or a line on stderr must never hold it, in any case. */
  static final String MARKER = "S3cretPW";

  static final String[][] FORMS = {
        {"jdbc:postgresql://db:5432/app?user=app&password=S3cretPW", "db:5432"},
        {"jdbc:postgresql:app?password=a//S3cretPW", "localhost:5432"},
        {"jdbc:postgresql://h1,h2:5433/app?password=S3cretPW@h3", "h1:5432,h2:5433"},
        {"jdbc:mysql://(host=127.0.0.1,port=3307,user=app,password=S3cretPW)/shop", "127.0.0.1:3307"},
        {"jdbc:mysql://(host=127.0.0.1,password=S3cretPW,port=3307)/shop", "127.0.0.1:3307"},
        {"jdbc:mysql://address=(host=127.0.0.1)(port=3307)(user=app)(password=S3cretPW)/shop", "127.0.0.1:3307"},
        {"jdbc:mysql://address=(password=S3cretPW)(host=db)/shop", "db:3306"},
        {"jdbc:mysql://app:S3cretPW@db:3307/shop", "db:3307"},
        {"jdbc:mysql://app:p%40S3cretPW@db/shop", "db:3306"},
        {"jdbc:mysql://app:S3cretPW@[m1:3307,m2:3308]/shop", "m1:3307,m2:3308"},
        {"jdbc:mysql://app:S3cretPW@m1:3307,app:S3cretPW@m2:3308/shop", "m1:3307,m2:3308"},
        {"jdbc:mysql://[(host=m1,port=3307,password=S3cretPW),(host=m2,password=S3cretPW)]/shop", "m1:3307,m2:3306"},
        {"jdbc:mysql://db/shop?user=app&password=S3cretPW", "db:3306"},
        {"jdbc:mysql:replication://app:S3cretPW@m1,m2/shop", "m1:3306,m2:3306"},
        {"jdbc:mysql://app:S3/cretPW@db:3307/shop", "mysql.unparsed:0"},
        {"jdbc:mysql://app:12/S3cretPW@db:3307/shop", "mysql.unparsed:0"},
        {"jdbc:mysql://app:S3@cretPW@db:3307/shop", "db:3307"},
        {"jdbc:mariadb://address=(host=db)(port=3307)(type=primary)/shop?password=S3cretPW", "db:3307"},
        {"jdbc:mariadb:sequential://db1,db2/shop?user=app&password=S3cretPW", "db1:3306,db2:3306"},
        {"jdbc:sqlserver://sql:1434;user=sa;password=S3cretPW", "sql:1434"},
        {"jdbc:sqlserver://;password={S3cretPW;serverName=evil};serverName=sql", "sql:1433"},
        {"jdbc:sqlserver://sql;password={a;portNumber=1};portNumber=1500;x=S3cretPW", "sql:1500"},
        {"jdbc:jtds:sqlserver://sql/db;user=sa;password=S3cretPW", "sql:1433"},
        {"jdbc:oracle:thin:scott/S3cretPW@dbhost:1521/orcl", "dbhost:1521"},
        {"jdbc:oracle:thin:scott/\"p@S3cretPW\"@dbhost:1521/orcl", "dbhost:1521"},
        {"jdbc:oracle:thin:scott/\"S3/cret@PW\"@//dbhost:1522/orcl", "dbhost:1522"},
        {"jdbc:oracle:thin:scott/S3cretPW@(DESCRIPTION=(ADDRESS=(HOST=ora1)(PORT=1525)))", "ora1:1525"},
        {"jdbc:oracle:thin:@tcps://dbhost:2484/svc?oracle.net.wallet_password=S3cretPW", "dbhost:2484"},
        {"jdbc:oracle:thin:scott/p@S3cretPW@dbhost:1521/orcl", "oracle.unparsed:0"},
        {"jdbc:h2:tcp://db:9093/~/shop;USER=sa;PASSWORD=S3cretPW", "db:9093"},
        {"jdbc:h2:mem:shop;PASSWORD=S3cretPW", "shop.h2-mem:0"},
        {"jdbc:h2:./shop;CIPHER=AES;PASSWORD=S3cretPW S3cretPW", "shop.h2-file:0"},
        {"jdbc:db2://db2host:50000/sample:user=db2;password=S3cretPW;", "db2host:50000"},
        {"jdbc:db2://db2host:50000/sample:user=db2;password=a@S3cretPW;", "db2host:50000"},
        {"jdbc:hsqldb:hsql://sa:S3cretPW@hs/db", "hs:9001"},
  };

  private SecretUrls() {}

  static Stream<Arguments> withTargets() {
    return Arrays.stream(FORMS).map(form -> Arguments.of(form[0], form[1]));
  }

  /** Fails when {@code text} holds the marker, or a piece of it, in any case. */
  static void assertNoMarker(String text) {
    String lower = text.toLowerCase(Locale.ROOT);
    assertFalse(lower.contains(MARKER.toLowerCase(Locale.ROOT)) || lower.contains("cret"),
        "holds (part of) the password: " + text);
  }
}
