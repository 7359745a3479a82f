package dev.levee.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.levee.core.config.ConfigLoader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The README stays short and points into docs/, and no link of the README or of a page under docs/ is
 * broken: every relative link names a file or folder that exists, and every {@code #anchor} a heading of the
 * page it names (GitHub's heading ids).
 */
class DocumentationTest {

  static final Path ROOT = Paths.get(System.getProperty("basedir", "."), "..").normalize();
  static final Path README = ROOT.resolve("README.md");
  static final Path DOCS = ROOT.resolve("docs");

  /** The README holds what it is, the two commands, attaching, a minimal file and links: the rest is in docs/. */
  static final int README_MAX_LINES = 260;

  /**
   * Pages written on other branches (issue 13's backpressure work), linked from here before they merge: a
   * link to one of these may point to a missing file, and only then are its anchors not checked. Every other
   * page must exist.
   */
  static final Set<String> WRITTEN_ON_OTHER_BRANCHES = Set.of(
      "docs/backpressure-outbound.md",
      "docs/backpressure-inbound.md",
      "docs/backpressure-executors.md",
      "docs/benchmarks-backpressure.md");

  private static final Pattern LINK = Pattern.compile("\\[[^\\]]*\\]\\(([^)\\s]+)\\)");
  private static final Pattern CODE_SPAN = Pattern.compile("`[^`]*`");

  @Test
  void theReadmeIsShort() throws IOException {
    int lines = Files.readAllLines(README, StandardCharsets.UTF_8).size();
    assertTrue(lines <= README_MAX_LINES, "README.md has " + lines + " lines; at most " + README_MAX_LINES
        + ": move the detail to a page under docs/ and link it");
  }

  @Test
  void everyRelativeLinkPointsToAFileThatExists() throws IOException {
    List<String> broken = new ArrayList<>();
    Map<Path, Set<String>> anchors = new HashMap<>();
    int checked = 0;
    for (Path page : pages()) {
      List<String> lines = Files.readAllLines(page, StandardCharsets.UTF_8);
      for (int i = 0; i < lines.size(); i++) {
        Matcher m = LINK.matcher(CODE_SPAN.matcher(lines.get(i)).replaceAll(""));
        while (m.find()) {
          String link = m.group(1);
          if (link.matches("^[a-z][a-z0-9+.-]*:.*")) {
            continue; // https:, mailto:
          }
          checked++;
          String where = ROOT.relativize(page) + ":" + (i + 1) + ": " + link;
          int hash = link.indexOf('#');
          String file = hash < 0 ? link : link.substring(0, hash);
          String anchor = hash < 0 ? null : link.substring(hash + 1);
          Path target = file.isEmpty() ? page : page.getParent().resolve(file).normalize();
          String fromRoot = ROOT.relativize(target).toString().replace('\\', '/');
          if (!Files.exists(target)) {
            if (!WRITTEN_ON_OTHER_BRANCHES.contains(fromRoot)) {
              broken.add(where + " (no such file: " + fromRoot + ")");
            }
            continue;
          }
          if (anchor != null && target.toString().endsWith(".md")
              && !anchors.computeIfAbsent(target, DocumentationTest::headingIds).contains(anchor)) {
            broken.add(where + " (no heading #" + anchor + " in " + fromRoot + ")");
          }
        }
      }
    }
    assertTrue(checked > 30, "expected the README and docs/ to link each other; found " + checked + " links");
    assertEquals(List.of(), broken, "broken links");
  }

  @Test
  void theReadmesMinimalFileIsValid() throws Exception {
    List<String> lines = Files.readAllLines(README, StandardCharsets.UTF_8);
    StringBuilder yaml = new StringBuilder();
    boolean in = false;
    for (String line : lines) {
      if (line.startsWith("## ")) {
        in = line.equals("## A minimal resilience.yaml");
      } else if (in && line.startsWith("    ")) {
        yaml.append(line.substring(4)).append('\n');
      }
    }
    assertTrue(yaml.length() > 100, "no indented resilience.yaml under '## A minimal resilience.yaml' in README.md");
    ConfigLoader.parse(yaml.toString(), "README.md, A minimal resilience.yaml");
  }

  @Test
  void headingIdsFollowGitHub() {
    assertEquals("switches-and-levee_-variables", id("Switches and LEVEE_* variables"));
    assertEquals("configuration-reference-resilienceyaml", id("Configuration reference: resilience.yaml"));
    assertEquals("timeouts-in-one-table", id("Timeouts, in one table"));
  }

  private static List<Path> pages() throws IOException {
    List<Path> pages = new ArrayList<>();
    pages.add(README);
    try (Stream<Path> files = Files.list(DOCS)) {
      pages.addAll(files.filter(p -> p.toString().endsWith(".md")).sorted().collect(Collectors.toList()));
    }
    return pages;
  }

  /** The ids GitHub gives a page's headings (outside fenced code), duplicates numbered from 1. */
  private static Set<String> headingIds(Path page) {
    Set<String> ids = new HashSet<>();
    Map<String, Integer> seen = new HashMap<>();
    boolean fenced = false;
    try {
      for (String line : Files.readAllLines(page, StandardCharsets.UTF_8)) {
        if (line.startsWith("```")) {
          fenced = !fenced;
        } else if (!fenced && line.matches("^#{1,6} .*")) {
          String id = id(line.replaceFirst("^#+ ", ""));
          int n = seen.merge(id, 1, Integer::sum) - 1;
          ids.add(n == 0 ? id : id + "-" + n);
        }
      }
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return ids;
  }

  /** GitHub's heading id: lower case, punctuation but {@code -} and {@code _} dropped, spaces as dashes. */
  static String id(String heading) {
    return heading.trim().toLowerCase(Locale.ROOT)
        .replaceAll("[^\\p{L}\\p{N}\\p{M} _-]", "")
        .replace(' ', '-');
  }
}
