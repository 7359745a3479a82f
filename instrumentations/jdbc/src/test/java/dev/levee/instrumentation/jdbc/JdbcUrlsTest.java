package dev.levee.instrumentation.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class JdbcUrlsTest {

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(delimiter = '|', value = {
    // PostgreSQL
    "jdbc:postgresql://db.internal:5433/orders?ssl=true | db.internal:5433",
    "jdbc:postgresql://DB.Internal/orders                | db.internal:5432",
    "jdbc:postgresql://h1:5432,h2:5433/orders?targetServerType=primary | h1:5432,h2:5433",
    "jdbc:postgresql:orders                              | localhost:5432",
    "jdbc:postgresql://[::1]:5432/orders                 | [::1]:5432",
    "jdbc:postgresql://127.0.0.1/                        | 127.0.0.1:5432",
    // MySQL, MariaDB
    "jdbc:mysql://db:3307/app                            | db:3307",
    "jdbc:mariadb://127.0.0.1/test                       | 127.0.0.1:3306",
    "jdbc:mariadb:sequential://a:3310,b:3311/test        | a:3310,b:3311",
    "jdbc:mysql:loadbalance://a,b/test                   | a:3306,b:3306",
    "jdbc:mysql://address=(host=m1)(port=3309)(type=primary)/db | m1:3309",
    "jdbc:mysql://address=(host=m1)(port=3309),address=(host=m2)(port=3310)/db | m1:3309,m2:3310",
    "jdbc:mysql://(host=m1,port=3311)/db                 | m1:3311",
    "jdbc:mysql://[m1:3312,m2]/db                        | m1:3312,m2:3306",
    "jdbc:mysql://[(host=m1,port=3313),(host=m2,port=3314)]/db | m1:3313,m2:3314",
    "jdbc:mysql://[::1]:3315/db                          | [::1]:3315",
    "jdbc:mysql+srv://_mysql._tcp.example.com/db         | _mysql._tcp.example.com:3306",
    // H2
    "jdbc:h2:tcp://localhost:9093/mem:test               | localhost:9093",
    "jdbc:h2:tcp://db.local/~/test                       | db.local:9092",
    "jdbc:h2:tcp://h1:9101,h2:9102/~/test                | h1:9101,h2:9102",
    "jdbc:h2:ssl://db.local:8085/test                    | db.local:8085",
    "jdbc:h2:mem:orders;DB_CLOSE_DELAY=-1                | orders.h2-mem:0",
    "jdbc:h2:mem:                                        | unnamed.h2-mem:0",
    "jdbc:h2:./data/Orders_DB                            | orders-db.h2-file:0",
    "jdbc:h2:file:/var/lib/app/orders;MODE=PostgreSQL    | orders.h2-file:0",
    "jdbc:h2:~/test                                      | test.h2-file:0",
    // SQL Server, jTDS
    "jdbc:sqlserver://sql.internal:1434;databaseName=x   | sql.internal:1434",
    "jdbc:sqlserver://sql.internal;databaseName=x        | sql.internal:1433",
    "jdbc:sqlserver://sql.internal\\SQLEXPRESS;databaseName=x | sql.internal:1433",
    "jdbc:sqlserver://;serverName=s1;portNumber=1500     | s1:1500",
    "jdbc:jtds:sqlserver://sql.internal:1435/orders;user=sa | sql.internal:1435",
    "jdbc:jtds:sybase://syb.internal/orders              | syb.internal:7100",
    // Oracle thin
    "jdbc:oracle:thin:@ora.internal:1522:ORCL            | ora.internal:1522",
    "jdbc:oracle:thin:@//ora.internal:1523/service       | ora.internal:1523",
    "jdbc:oracle:thin:@ora.internal/service              | ora.internal:1521",
    "jdbc:oracle:thin:scott/tiger@ora.internal:1524:ORCL | ora.internal:1524",
    "jdbc:oracle:thin:@(DESCRIPTION=(ADDRESS=(PROTOCOL=TCP)(HOST=ora1)(PORT=1525))(CONNECT_DATA=(SERVICE_NAME=s))) | ora1:1525",
    "jdbc:oracle:thin:@(DESCRIPTION=(ADDRESS_LIST=(ADDRESS=(HOST = ora1)(PORT = 1526))(ADDRESS=(HOST=ora2)))(CONNECT_DATA=(SID=x))) | ora1:1526,ora2:1521",
    "jdbc:oracle:thin:@tcps://ora.internal:2484/svc?wallet_location=/etc/w | ora.internal:2484",
    "jdbc:oracle:thin:@ora1,ora2:1527/svc                | ora1:1527,ora2:1527",
    "jdbc:oracle:thin:@myalias?TNS_ADMIN=/etc/tns        | myalias:1521",
    // others
    "jdbc:p6spy:postgresql://wrapped:5439/db             | wrapped:5439",
    "jdbc:hsqldb:hsql://hs:9002/db                       | hs:9002",
    "jdbc:sqlite:app.db                                  | sqlite.local:0",
    "jdbc:db2://db2host/sample                           | db2host:50000",
  })
  void targetOfUrl(String url, String target) {
    assertEquals(target, JdbcUrls.target(url).toString());
  }

  /**
   * Every place each driver documents for a password, with the marker there: the target is the server,
   * and nothing of the password (a target is printed in exceptions and on stderr).
   */
  @ParameterizedTest(name = "{0} -> {1}")
  @MethodSource("dev.levee.instrumentation.jdbc.SecretUrls#withTargets")
  void passwordsNeverReachATarget(String url, String target) {
    assertEquals(target, JdbcUrls.target(url).toString());
    SecretUrls.assertNoMarker(JdbcUrls.target(url).toString());
    JdbcUrls.servers(url).forEach(server -> SecretUrls.assertNoMarker(server.toString()));
  }

  @ParameterizedTest
  @CsvSource({"http://x/y", "jdbc", "jdbc:", "''"})
  void notJdbcUrls(String url) {
    assertNull(JdbcUrls.target(url));
  }
}
