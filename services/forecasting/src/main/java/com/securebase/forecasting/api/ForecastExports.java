package com.securebase.forecasting.api;

import com.lowagie.text.Document;
import com.lowagie.text.Element;
import com.lowagie.text.Font;
import com.lowagie.text.FontFactory;
import com.lowagie.text.Image;
import com.lowagie.text.PageSize;
import com.lowagie.text.Paragraph;
import com.lowagie.text.Phrase;
import com.lowagie.text.pdf.PdfPCell;
import com.lowagie.text.pdf.PdfPTable;
import com.lowagie.text.pdf.PdfWriter;
import com.securebase.forecasting.api.ForecastRequests.ActualView;
import com.securebase.forecasting.api.ForecastRequests.BoundsView;
import com.securebase.forecasting.api.ForecastRequests.ForecastView;
import com.securebase.forecasting.api.ForecastRequests.LineView;
import com.securebase.forecasting.api.ForecastRequests.PeriodView;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.DateAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.DeviationRenderer;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.jfree.data.xy.YIntervalSeries;
import org.jfree.data.xy.YIntervalSeriesCollection;

/**
 * A stored forecast as CSV (one row per series and period) and as PDF: a chart of the total's
 * history, its forecast mean and the 95/80/65 % bands (translucent, so narrower is darker), then
 * the total's table and the per-service summary. Blocking: callers run it on a worker thread.
 */
final class ForecastExports {
  private ForecastExports() {}

  private static final Color INK = new Color(0x1F, 0x4E, 0x79);

  static String csv(ForecastView f) {
    StringBuilder out = new StringBuilder("series,model,period_start,mean");
    for (Integer level : f.levels()) {
      out.append(",lower_").append(level).append(",upper_").append(level);
    }
    out.append(",change_percent,currency\r\n");
    List<LineView> lines = new ArrayList<>();
    lines.add(f.total());
    lines.addAll(f.services());
    for (LineView l : lines) {
      for (PeriodView p : l.periods()) {
        out.append(l.service() == null ? "total" : l.service())
            .append(',')
            .append(l.model())
            .append(',')
            .append(p.periodStart())
            .append(',')
            .append(p.mean());
        for (Integer level : f.levels()) {
          BoundsView b = p.bounds().get(String.valueOf(level));
          out.append(',').append(b.lower()).append(',').append(b.upper());
        }
        out.append(',')
            .append(p.changePercent() == null ? "" : p.changePercent())
            .append(',')
            .append(f.currency())
            .append("\r\n");
      }
    }
    return out.toString();
  }

  static byte[] pdf(ForecastView f) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Document doc = new Document(PageSize.A4.rotate(), 36, 36, 36, 36);
    PdfWriter.getInstance(doc, out);
    doc.open();
    Font title = FontFactory.getFont(FontFactory.HELVETICA_BOLD, 16, INK);
    Font small = FontFactory.getFont(FontFactory.HELVETICA, 9);
    doc.add(
        new Paragraph(
            "Cost forecast, " + f.horizonMonths() + " months by " + f.granularity(), title));
    LineView t = f.total();
    doc.add(
        new Paragraph(
            "Created "
                + f.createdAt()
                + ". History "
                + f.historyStart()
                + " to "
                + f.historyEnd()
                + " ("
                + f.historyPeriods()
                + " periods), "
                + f.currency()
                + ". Total: model "
                + t.model()
                + ", backtest MASE "
                + number(t.backtest().mase())
                + ", MAPE "
                + number(t.backtest().mape())
                + " %, trend "
                + t.trend().label()
                + " ("
                + t.trend().test()
                + ", p = "
                + number(t.trend().pValue())
                + ").",
            small));
    try {
      Image chart = Image.getInstance(png(chart(f), 1000, 420));
      chart.scaleToFit(770, 330);
      doc.add(chart);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    PdfPTable table = new PdfPTable(2 + 2 * f.levels().size());
    table.setWidthPercentage(100);
    table.setHeaderRows(1);
    head(table, "Period");
    head(table, "Mean");
    for (Integer level : f.levels()) {
      head(table, level + " % low");
      head(table, level + " % high");
    }
    for (PeriodView p : t.periods()) {
      cell(table, p.periodStart(), Element.ALIGN_LEFT);
      cell(table, p.mean(), Element.ALIGN_RIGHT);
      for (Integer level : f.levels()) {
        BoundsView b = p.bounds().get(String.valueOf(level));
        cell(table, b.lower(), Element.ALIGN_RIGHT);
        cell(table, b.upper(), Element.ALIGN_RIGHT);
      }
    }
    doc.add(table);
    doc.add(new Paragraph(" "));
    PdfPTable services = new PdfPTable(new float[] {3, 4, 2, 2, 3, 3});
    services.setWidthPercentage(100);
    for (String h : List.of("Service", "Model", "MASE", "MAPE %", "Trend", "Next period mean")) {
      head(services, h);
    }
    for (LineView l : f.services()) {
      cell(services, l.service(), Element.ALIGN_LEFT);
      cell(services, l.model(), Element.ALIGN_LEFT);
      cell(services, number(l.backtest().mase()), Element.ALIGN_RIGHT);
      cell(services, number(l.backtest().mape()), Element.ALIGN_RIGHT);
      cell(services, l.trend().label(), Element.ALIGN_LEFT);
      cell(services, l.periods().getFirst().mean(), Element.ALIGN_RIGHT);
    }
    doc.add(services);
    doc.close();
    return out.toByteArray();
  }

  static JFreeChart chart(ForecastView f) {
    XYSeries history = new XYSeries("Actual");
    for (ActualView a : f.history()) {
      history.add(millis(a.periodStart()), Double.parseDouble(a.amount()));
    }
    YIntervalSeriesCollection bands = new YIntervalSeriesCollection();
    List<Integer> widestFirst = new ArrayList<>(f.levels());
    widestFirst.sort(java.util.Comparator.reverseOrder());
    for (Integer level : widestFirst) {
      YIntervalSeries band = new YIntervalSeries(level + " % interval");
      for (PeriodView p : f.total().periods()) {
        BoundsView b = p.bounds().get(String.valueOf(level));
        band.add(
            millis(p.periodStart()),
            Double.parseDouble(p.mean()),
            Double.parseDouble(b.lower()),
            Double.parseDouble(b.upper()));
      }
      bands.addSeries(band);
    }
    XYPlot plot = new XYPlot();
    plot.setDomainAxis(new DateAxis("Period"));
    plot.setRangeAxis(new NumberAxis("Cost (" + f.currency() + ")"));
    plot.setBackgroundPaint(Color.WHITE);
    plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
    DeviationRenderer bandRenderer = new DeviationRenderer(true, false);
    for (int i = 0; i < widestFirst.size(); i++) {
      bandRenderer.setSeriesPaint(i, INK);
      bandRenderer.setSeriesFillPaint(i, INK);
      bandRenderer.setSeriesStroke(i, new BasicStroke(2f));
    }
    bandRenderer.setAlpha(0.18f); // the bands overlap, so the narrower ones come out darker
    plot.setDataset(0, bands);
    plot.setRenderer(0, bandRenderer);
    XYLineAndShapeRenderer line = new XYLineAndShapeRenderer(true, false);
    line.setSeriesPaint(0, Color.DARK_GRAY);
    line.setSeriesStroke(0, new BasicStroke(2f));
    plot.setDataset(1, new XYSeriesCollection(history));
    plot.setRenderer(1, line);
    return new JFreeChart(
        "Total cost: history, forecast and intervals", JFreeChart.DEFAULT_TITLE_FONT, plot, true);
  }

  private static byte[] png(JFreeChart chart, int width, int height) throws IOException {
    BufferedImage image = chart.createBufferedImage(width, height);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(image, "png", out);
    return out.toByteArray();
  }

  private static long millis(String day) {
    return LocalDate.parse(day).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
  }

  private static String number(Double v) {
    return v == null ? "n/a" : String.format(java.util.Locale.ROOT, "%.3f", v);
  }

  private static void head(PdfPTable table, String text) {
    PdfPCell c =
        new PdfPCell(
            new Phrase(text, FontFactory.getFont(FontFactory.HELVETICA_BOLD, 8, Color.WHITE)));
    c.setBackgroundColor(INK);
    table.addCell(c);
  }

  private static void cell(PdfPTable table, String text, int align) {
    PdfPCell c = new PdfPCell(new Phrase(text, FontFactory.getFont(FontFactory.HELVETICA, 8)));
    c.setHorizontalAlignment(align);
    table.addCell(c);
  }
}
