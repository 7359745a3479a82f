package dev.levee.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A line chart as plain SVG, for the docs: a few series over one x axis, axes with round ticks, a legend. No
 * dependency, no script; what GitHub renders inline.
 */
final class SvgLineChart {

  private static final class Series {
    final String name;
    final String color;
    final double[] xs;
    final double[] ys;

    Series(String name, String color, double[] xs, double[] ys) {
      this.name = name;
      this.color = color;
      this.xs = xs;
      this.ys = ys;
    }
  }

  private final String title;
  private final String xLabel;
  private final String yLabel;
  private final List<Series> series = new ArrayList<>();
  /** Above 0: the y axis is logarithmic from this value up (values below it sit on the axis). */
  private double logFrom;

  SvgLineChart(String title, String xLabel, String yLabel) {
    this.title = title;
    this.xLabel = xLabel;
    this.yLabel = yLabel;
  }

  /**
   * A logarithmic y axis from {@code from} up, with ticks at 1, 2 and 5 times the powers of ten: for latencies
   * that span 200 ms to 10 s in one chart.
   */
  SvgLineChart logY(double from) {
    logFrom = from;
    return this;
  }

  SvgLineChart series(String name, String color, double[] xs, double[] ys) {
    series.add(new Series(name, color, xs, ys));
    return this;
  }

  /** The chart as a group placed at (left, top), {@code width} by {@code height} pixels, labels included. */
  String render(int left, int top, int width, int height) {
    int plotLeft = left + 64;
    int plotTop = top + 30;
    int plotWidth = width - 64 - 260;
    int plotHeight = height - 30 - 44;
    double maxX = 0;
    double maxY = 0;
    for (Series s : series) {
      for (double x : s.xs) {
        maxX = Math.max(maxX, x);
      }
      for (double y : s.ys) {
        maxY = Math.max(maxY, y);
      }
    }
    double yStep = niceStep(maxY / 5);
    double yTop = Math.max(yStep, Math.ceil(maxY / yStep) * yStep);
    List<Double> yTicks = new ArrayList<>();
    if (logFrom > 0) {
      yTop = logFrom;
      while (yTop < maxY) {
        yTop = niceStep(yTop * 1.01);
      }
      for (double t = logFrom; t <= yTop * 1.001; t = niceStep(t * 1.01)) {
        yTicks.add(t);
      }
    } else {
      for (double y = 0; y <= yTop + yStep / 2; y += yStep) {
        yTicks.add(y);
      }
    }
    double xStep = niceStep(maxX / 6);
    double xRight = Math.max(xStep, Math.ceil(maxX / xStep) * xStep);
    StringBuilder svg = new StringBuilder();
    svg.append(String.format(Locale.ROOT, "<g font-family=\"sans-serif\" font-size=\"12\">%n"));
    svg.append(text(left + width / 2.0, top + 16, title, "middle", 14, "bold"));
    for (double y : yTicks) {
      double py = plotTop + plotHeight - fraction(y, yTop) * plotHeight;
      svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#ddd\"/>%n",
          plotLeft, py, plotLeft + plotWidth, py));
      svg.append(text(plotLeft - 6, py + 4, number(y), "end", 11, "normal"));
    }
    for (double x = 0; x <= xRight + xStep / 2; x += xStep) {
      double px = plotLeft + x / xRight * plotWidth;
      svg.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#999\"/>%n",
          px, plotTop + plotHeight, px, plotTop + plotHeight + 4));
      svg.append(text(px, plotTop + plotHeight + 17, number(x), "middle", 11, "normal"));
    }
    svg.append(String.format(Locale.ROOT,
        "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" stroke=\"#999\"/>%n",
        plotLeft, plotTop, plotWidth, plotHeight));
    svg.append(text(plotLeft + plotWidth / 2.0, plotTop + plotHeight + 36, xLabel, "middle", 12, "normal"));
    svg.append(String.format(Locale.ROOT,
        "<text x=\"%d\" y=\"%.1f\" text-anchor=\"middle\" transform=\"rotate(-90 %d %.1f)\">%s</text>%n",
        left + 14, plotTop + plotHeight / 2.0, left + 14, plotTop + plotHeight / 2.0, escape(yLabel)));
    int legendY = plotTop + 8;
    for (Series s : series) {
      StringBuilder points = new StringBuilder();
      for (int i = 0; i < s.xs.length; i++) {
        points.append(String.format(Locale.ROOT, "%.1f,%.1f ", plotLeft + s.xs[i] / xRight * plotWidth,
            plotTop + plotHeight - fraction(Math.min(s.ys[i], yTop), yTop) * plotHeight));
      }
      svg.append(String.format(Locale.ROOT,
          "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"2\" points=\"%s\"/>%n", s.color,
          points.toString().trim()));
      int lx = plotLeft + plotWidth + 14;
      svg.append(String.format(Locale.ROOT,
          "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"%s\" stroke-width=\"3\"/>%n", lx, legendY, lx + 20,
          legendY, s.color));
      svg.append(text(lx + 26, legendY + 4, s.name, "start", 11, "normal"));
      legendY += 20;
    }
    svg.append("</g>\n");
    return svg.toString();
  }

  /** Where {@code y} sits between the bottom (0) and {@code yTop} (1), on a linear or logarithmic axis. */
  private double fraction(double y, double yTop) {
    if (logFrom > 0) {
      return y <= logFrom ? 0 : Math.log(y / logFrom) / Math.log(yTop / logFrom);
    }
    return y / yTop;
  }

  /** A whole SVG document holding the given rendered charts. */
  static String page(int width, int height, String... charts) {
    StringBuilder svg = new StringBuilder();
    svg.append(String.format(Locale.ROOT,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\">%n", width, height,
        width, height));
    svg.append(String.format(Locale.ROOT, "<rect width=\"%d\" height=\"%d\" fill=\"white\"/>%n", width, height));
    for (String chart : charts) {
      svg.append(chart);
    }
    svg.append("</svg>\n");
    return svg.toString();
  }

  /** 1, 2 or 5 times a power of ten, at least {@code raw}. */
  static double niceStep(double raw) {
    if (!(raw > 0)) {
      return 1;
    }
    double power = Math.pow(10, Math.floor(Math.log10(raw)));
    for (double m : new double[] {1, 2, 5, 10}) {
      if (m * power >= raw) {
        return m * power;
      }
    }
    return 10 * power;
  }

  private static String number(double v) {
    return v == Math.rint(v) ? Long.toString((long) v) : String.format(Locale.ROOT, "%.1f", v);
  }

  private static String text(double x, double y, String s, String anchor, int size, String weight) {
    return String.format(Locale.ROOT,
        "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\" font-size=\"%d\" font-weight=\"%s\">%s</text>%n", x, y, anchor,
        size, weight, escape(s));
  }

  private static String escape(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }
}
