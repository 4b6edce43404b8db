package com.securebase.analytics.domain;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
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
import com.securebase.events.EventJson;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.apache.poi.ss.usermodel.Cell;
import org.apache.poi.ss.usermodel.CellStyle;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.xssf.streaming.SXSSFSheet;
import org.apache.poi.xssf.streaming.SXSSFWorkbook;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.data.time.Millisecond;
import org.jfree.data.time.TimeSeries;
import org.jfree.data.time.TimeSeriesCollection;

/**
 * Writes a query's rows as they arrive: CSV, JSON and Excel hold only the row in hand (Excel
 * through POI's streaming workbook, which keeps a window of 100 rows and spills the rest to a
 * temporary file); a PDF keeps its first {@value #PDF_ROWS} rows for the table and the chart and
 * says so when there were more. Blocking: callers run it on a worker thread.
 */
public final class ExportWriters {
  private ExportWriters() {}

  static final int PDF_ROWS = 2_000;
  private static final int CHART_SERIES = 12;

  /** Who and what the export is of: the header of a PDF, the first lines of nothing else. */
  public record Heading(
      String title, String tenantName, String primaryColor, String chart, Instant at) {}

  public interface RowSink {
    void accept(ResultRow row);

    /** Completes the document; the stream stays open for the caller to close. */
    void finish();
  }

  public static RowSink open(
      ExportFormat format, OutputStream out, MetricQuery q, Heading heading) {
    return switch (format) {
      case CSV -> new Csv(out, q);
      case JSON -> new Json(out, q, heading);
      case XLSX -> new Xlsx(out, q);
      case PDF -> new Pdf(out, q, heading);
    };
  }

  static List<String> columns(MetricQuery q) {
    List<String> c = new ArrayList<>();
    c.add("bucket");
    c.add("metric");
    q.groupBy().forEach(f -> c.add(f.name()));
    q.aggregations().forEach(a -> c.add(a.code()));
    return c;
  }

  private static final class Csv implements RowSink {
    private final Writer w;
    private final MetricQuery q;

    Csv(OutputStream out, MetricQuery q) {
      this.w = new OutputStreamWriter(out, StandardCharsets.UTF_8);
      this.q = q;
      line(columns(q));
    }

    @Override
    public void accept(ResultRow r) {
      List<String> cells = new ArrayList<>();
      cells.add(q.bucketText(r.bucket()));
      cells.add(r.metric());
      r.groups().forEach(g -> cells.add(g == null ? "" : g));
      for (int i = 0; i < r.values().length; i++) {
        Number n = q.aggregations().get(i).number(r.values()[i]);
        cells.add(n == null ? "" : n.toString());
      }
      line(cells);
    }

    private void line(List<String> cells) {
      try {
        for (int i = 0; i < cells.size(); i++) {
          if (i > 0) {
            w.write(',');
          }
          w.write(escape(cells.get(i)));
        }
        w.write("\r\n");
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    /**
     * RFC 4180 quoting; a text cell that a spreadsheet would run as a formula (=, +, -, @, tab, CR)
     * is prefixed with an apostrophe (OWASP's CSV injection advice). Numbers are never text here.
     */
    static String escape(String s) {
      String v = s;
      if (!v.isEmpty() && "=+-@\t\r".indexOf(v.charAt(0)) >= 0 && !isNumber(v)) {
        v = "'" + v;
      }
      if (v.contains(",") || v.contains("\"") || v.contains("\n") || v.contains("\r")) {
        return "\"" + v.replace("\"", "\"\"") + "\"";
      }
      return v;
    }

    private static boolean isNumber(String s) {
      try {
        Double.parseDouble(s);
        return true;
      } catch (NumberFormatException e) {
        return false;
      }
    }

    @Override
    public void finish() {
      try {
        w.flush();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  private static final class Json implements RowSink {
    private final JsonGenerator g;
    private final MetricQuery q;
    private int rows;

    Json(OutputStream out, MetricQuery q, Heading h) {
      this.q = q;
      try {
        g = EventJson.MAPPER.getFactory().createGenerator(out, JsonEncoding.UTF8);
        g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
        g.writeStartObject();
        g.writeStringField("title", h.title());
        g.writeStringField("from", q.from().toString());
        g.writeStringField("to", q.to().toString());
        g.writeStringField("bucket", q.bucket() == null ? null : q.bucket().code());
        g.writeStringField("timeZone", q.zone().getId());
        g.writeArrayFieldStart("rows");
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    @Override
    public void accept(ResultRow r) {
      try {
        g.writeStartObject();
        g.writeStringField("bucket", q.bucketText(r.bucket()));
        g.writeStringField("metric", r.metric());
        g.writeObjectFieldStart("groups");
        for (int i = 0; i < r.groups().size(); i++) {
          g.writeStringField(q.groupBy().get(i).name(), r.groups().get(i));
        }
        g.writeEndObject();
        g.writeObjectFieldStart("values");
        for (int i = 0; i < r.values().length; i++) {
          g.writeFieldName(q.aggregations().get(i).code());
          Number n = q.aggregations().get(i).number(r.values()[i]);
          if (n == null) {
            g.writeNull();
          } else if (n instanceof Long l) {
            g.writeNumber(l);
          } else {
            g.writeNumber(n.doubleValue());
          }
        }
        g.writeEndObject();
        g.writeEndObject();
        rows++;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    @Override
    public void finish() {
      try {
        g.writeEndArray();
        g.writeNumberField("rowCount", rows);
        g.writeEndObject();
        g.flush();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  private static final class Xlsx implements RowSink {
    private final OutputStream out;
    private final MetricQuery q;
    private final SXSSFWorkbook book = new SXSSFWorkbook(100);
    private final SXSSFSheet sheet;
    private int next;

    Xlsx(OutputStream out, MetricQuery q) {
      this.out = out;
      this.q = q;
      book.setCompressTempFiles(true);
      sheet = book.createSheet("Report");
      CellStyle bold = book.createCellStyle();
      var font = book.createFont();
      font.setBold(true);
      bold.setFont(font);
      Row head = sheet.createRow(next++);
      List<String> cols = columns(q);
      for (int i = 0; i < cols.size(); i++) {
        Cell c = head.createCell(i);
        c.setCellValue(cols.get(i));
        c.setCellStyle(bold);
      }
      sheet.createFreezePane(0, 1);
    }

    @Override
    public void accept(ResultRow r) {
      Row row = sheet.createRow(next++);
      int i = 0;
      row.createCell(i++).setCellValue(q.bucketText(r.bucket()));
      row.createCell(i++).setCellValue(r.metric());
      for (String g : r.groups()) {
        row.createCell(i++).setCellValue(g == null ? "" : g);
      }
      for (double v : r.values()) {
        Cell c = row.createCell(i++);
        if (!Double.isNaN(v)) {
          c.setCellValue(v);
        }
      }
    }

    @Override
    public void finish() {
      // close() also deletes the spilled temporary files.
      try (book) {
        book.write(out);
        out.flush();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  private static final class Pdf implements RowSink {
    private final OutputStream out;
    private final MetricQuery q;
    private final Heading h;
    private final List<ResultRow> kept = new ArrayList<>();
    private int total;

    Pdf(OutputStream out, MetricQuery q, Heading h) {
      this.out = out;
      this.q = q;
      this.h = h;
    }

    @Override
    public void accept(ResultRow r) {
      total++;
      if (kept.size() < PDF_ROWS) {
        kept.add(r);
      }
    }

    @Override
    public void finish() {
      Color brand = color(h.primaryColor());
      Document doc = new Document(PageSize.A4.rotate(), 36, 36, 36, 36);
      PdfWriter.getInstance(doc, out).setCloseStream(false);
      doc.open();
      Font name = FontFactory.getFont(FontFactory.HELVETICA_BOLD, 11, Color.WHITE);
      PdfPTable band = new PdfPTable(1);
      band.setWidthPercentage(100);
      PdfPCell cell = new PdfPCell(new Phrase(h.tenantName(), name));
      cell.setBackgroundColor(brand);
      cell.setBorder(0);
      cell.setPadding(8);
      band.addCell(cell);
      doc.add(band);
      doc.add(new Paragraph(h.title(), FontFactory.getFont(FontFactory.HELVETICA_BOLD, 16, brand)));
      doc.add(new Paragraph(describe(), FontFactory.getFont(FontFactory.HELVETICA, 9)));
      if (!"table".equals(h.chart()) && !kept.isEmpty()) {
        try {
          Image chart = Image.getInstance(png(chart(), 1000, 420));
          chart.scaleToFit(770, 320);
          doc.add(chart);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
      List<String> cols = columns(q);
      PdfPTable table = new PdfPTable(cols.size());
      table.setWidthPercentage(100);
      table.setHeaderRows(1);
      Font head = FontFactory.getFont(FontFactory.HELVETICA_BOLD, 8, Color.WHITE);
      Font body = FontFactory.getFont(FontFactory.HELVETICA, 8);
      for (String c : cols) {
        PdfPCell hc = new PdfPCell(new Phrase(c, head));
        hc.setBackgroundColor(brand);
        table.addCell(hc);
      }
      for (ResultRow r : kept) {
        table.addCell(new Phrase(q.bucketText(r.bucket()), body));
        table.addCell(new Phrase(r.metric(), body));
        r.groups().forEach(g -> table.addCell(new Phrase(g == null ? "" : g, body)));
        for (int i = 0; i < r.values().length; i++) {
          Number n = q.aggregations().get(i).number(r.values()[i]);
          PdfPCell vc = new PdfPCell(new Phrase(n == null ? "" : format(n), body));
          vc.setHorizontalAlignment(Element.ALIGN_RIGHT);
          table.addCell(vc);
        }
      }
      doc.add(table);
      if (total > kept.size()) {
        doc.add(
            new Paragraph(
                "Showing the first "
                    + kept.size()
                    + " of "
                    + total
                    + " rows; export CSV or Excel for all of them.",
                body));
      }
      doc.close();
    }

    private String describe() {
      StringBuilder s = new StringBuilder();
      s.append(String.join(", ", q.metrics()))
          .append(" · ")
          .append(String.join(", ", q.aggregations().stream().map(Aggregation::code).toList()));
      if (!q.groupBy().isEmpty()) {
        s.append(" by ").append(String.join(", ", q.groupBy().stream().map(Field::name).toList()));
      }
      s.append(" · ").append(q.bucketText(q.from())).append(" to ").append(q.bucketText(q.to()));
      if (q.bucket() != null) {
        s.append(" per ").append(q.bucket().code());
      }
      s.append(" (").append(q.zone().getId()).append(") · ").append(total).append(" rows");
      s.append(" · generated ").append(h.at());
      return s.toString();
    }

    /** The first aggregation of each series (metric and group), up to a dozen series. */
    private JFreeChart chart() {
      String value = q.aggregations().getFirst().code();
      Map<String, List<ResultRow>> series = new LinkedHashMap<>();
      for (ResultRow r : kept) {
        String key =
            r.metric()
                + (r.groups().isEmpty()
                    ? ""
                    : " " + String.join("/", r.groups().stream().map(String::valueOf).toList()));
        if (series.containsKey(key) || series.size() < CHART_SERIES) {
          series.computeIfAbsent(key, k -> new ArrayList<>()).add(r);
        }
      }
      if (q.bucket() == null || "bar".equals(h.chart())) {
        DefaultCategoryDataset data = new DefaultCategoryDataset();
        series.forEach(
            (key, rows) ->
                rows.forEach(
                    r ->
                        data.addValue(
                            r.values()[0],
                            key,
                            q.bucket() == null ? value : q.bucketText(r.bucket()))));
        return ChartFactory.createBarChart(
            null, null, value, data, PlotOrientation.VERTICAL, true, false, false);
      }
      TimeSeriesCollection data = new TimeSeriesCollection();
      series.forEach(
          (key, rows) -> {
            TimeSeries ts = new TimeSeries(key);
            rows.forEach(
                r ->
                    ts.addOrUpdate(
                        new Millisecond(java.util.Date.from(r.bucket())), r.values()[0]));
            data.addSeries(ts);
          });
      JFreeChart chart =
          ChartFactory.createTimeSeriesChart(null, null, value, data, true, false, false);
      if ("area".equals(h.chart())) {
        ((org.jfree.chart.plot.XYPlot) chart.getPlot())
            .setRenderer(new org.jfree.chart.renderer.xy.XYAreaRenderer());
      }
      return chart;
    }
  }

  private static String format(Number n) {
    if (n instanceof Long) {
      return n.toString();
    }
    return String.format(java.util.Locale.ROOT, "%,.2f", n.doubleValue());
  }

  static Color color(String hex) {
    if (hex != null && hex.matches("^#[0-9A-Fa-f]{6}$")) {
      return new Color(Integer.parseInt(hex.substring(1), 16));
    }
    return new Color(0x1F, 0x4E, 0x79);
  }

  private static byte[] png(JFreeChart chart, int width, int height) throws IOException {
    chart.setBackgroundPaint(Color.WHITE);
    // A white plot with light grid lines prints better than JFreeChart's grey default.
    chart.getPlot().setBackgroundPaint(Color.WHITE);
    if (chart.getPlot() instanceof org.jfree.chart.plot.XYPlot xy) {
      xy.setDomainGridlinePaint(Color.LIGHT_GRAY);
      xy.setRangeGridlinePaint(Color.LIGHT_GRAY);
    } else if (chart.getPlot() instanceof org.jfree.chart.plot.CategoryPlot cat) {
      cat.setRangeGridlinePaint(Color.LIGHT_GRAY);
    }
    BufferedImage image = chart.createBufferedImage(width, height);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    ImageIO.write(image, "png", bytes);
    return bytes.toByteArray();
  }
}
