package dev.levee.smoke;

/** Apache HttpClient 4 classic on the newest 4.5 (4.5.14): the whole shared list, on JDK 17 and 25. */
class ApacheClassic4NewestSmokeTest extends AbstractApache4Scenarios {

  @Override
  protected String libraryVersion() {
    return newestVersion();
  }
}
