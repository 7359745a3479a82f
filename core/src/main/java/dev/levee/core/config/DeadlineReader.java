package dev.levee.core.config;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import org.yaml.snakeyaml.nodes.Node;

/** Reads the {@code deadline} section: the header, its format, and how inbound deadlines are trusted. */
final class DeadlineReader extends YamlValues {

  DeadlineReader(Problems problems) {
    super(problems);
  }

  static final List<String> DEADLINE_KEYS = list("header", "format", "inbound");

  static final List<String> DEADLINE_INBOUND_KEYS =
      list("enabled", "trustedPeers", "timeoutHeader", "defaultBudget", "replyMargin");

  static final List<String> DEADLINE_FORMATS = list("epoch-millis", "timeout-millis");

  DeadlineConfig deadline(Node node, String path) {
    DeadlineConfig deadline = DeadlineConfig.defaults();
    Entry headerEntry = null;
    for (Entry e : entries(node, path, DEADLINE_KEYS, false)) {
      switch (e.key) {
        case "header": {
          String header = headerName(e);
          if (header != null) {
            deadline = deadline.withHeader(header);
            headerEntry = e;
          }
          break;
        }
        case "format": {
          String v = oneOf(e.value, e.path, DEADLINE_FORMATS, "deadline format");
          if (v != null) {
            deadline = deadline.withFormat(DeadlineConfig.Format.valueOf(v.toUpperCase(Locale.ROOT).replace('-', '_')));
          }
          break;
        }
        default:
          deadline = inbound(e.value, e.path, deadline);
      }
    }
    if (deadline.format() == DeadlineConfig.Format.TIMEOUT_MILLIS
        && (deadline.header().equalsIgnoreCase(DeadlineConfig.DEFAULT_HEADER)
            || deadline.header().equalsIgnoreCase(DeadlineConfig.GRPC_TIMEOUT_HEADER))) {
      // the next service reads these two by their own, fixed meaning: a relative value there would be misread
      Node at = headerEntry != null ? headerEntry.value : node;
      report(at, path + ".header", deadline.header() + " has a fixed meaning of its own and cannot carry "
          + "timeout-millis; name another header for it", DeadlineConfig.DEFAULT_TIMEOUT_HEADER);
    }
    return deadline;
  }

  private DeadlineConfig inbound(Node node, String path, DeadlineConfig deadline) {
    for (Entry e : entries(node, path, DEADLINE_INBOUND_KEYS, false)) {
      switch (e.key) {
        case "enabled": {
          Boolean v = bool(e.value, e.path);
          if (v != null) {
            deadline = deadline.withInboundEnabled(v);
          }
          break;
        }
        case "trustedPeers": {
          List<CidrBlock> v = cidrBlocks(e.value, e.path);
          if (v != null) {
            deadline = deadline.withTrustedPeers(v);
          }
          break;
        }
        case "timeoutHeader": {
          String header = headerName(e);
          if (header != null) {
            deadline = deadline.withInboundTimeoutHeader(header);
          }
          break;
        }
        case "defaultBudget": {
          Duration d = duration(e.value, e.path);
          if (d != null) {
            deadline = deadline.withInboundDefaultBudget(d);
          }
          break;
        }
        default: {
          Duration d = duration(e.value, e.path);
          if (d != null) {
            deadline = deadline.withReplyMargin(d);
          }
        }
      }
    }
    return deadline;
  }

  private String headerName(Entry e) {
    String header = text(e.value, e.path, "a header name such as " + DeadlineConfig.DEFAULT_HEADER);
    if (header == null) {
      return null;
    }
    if (!TOKEN.matcher(header).matches()) {
      report(e.value, e.path, "'" + header + "' is not a valid HTTP header name (letters, digits and "
          + "!#$%&'*+-.^_`|~ only)", null);
      return null;
    }
    return header;
  }
}
