package com.securebase.analytics;

import static com.securebase.analytics.AnalyticsFixtures.badRequest;
import static com.securebase.analytics.AnalyticsFixtures.ingest;
import static com.securebase.analytics.AnalyticsFixtures.point;
import static com.securebase.analytics.AnalyticsFixtures.problem;
import static com.securebase.analytics.AnalyticsFixtures.spec;
import static com.securebase.analytics.AnalyticsFixtures.token;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.securebase.events.EventJson;
import com.securebase.testkit.SecureBaseTestResource;
import com.securebase.testkit.TestDatabase;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.imageio.ImageIO;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.rendering.PDFRenderer;
import org.apache.pdfbox.text.PDFTextStripper;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Every export format, read back with the library that reads it. */
@QuarkusTest
@WithTestResource(
    value = SecureBaseTestResource.class,
    initArgs = @ResourceArg(name = "service", value = "analytics"))
class ExportTest {
  private static final Instant DAY0 =
      LocalDate.now(ZoneOffset.UTC).minusDays(3).atStartOfDay(ZoneOffset.UTC).toInstant();

  private UUID tenant;
  private String token;

  /** Three days of hourly "requests" in eu and us: each hour h has h in eu and 2h in us. */
  @BeforeEach
  void seed() {
    tenant = UUID.randomUUID();
    token = token(tenant, "analyst");
    List<Map<String, Object>> points = new ArrayList<>();
    for (int h = 0; h < 72; h++) {
      Instant t = DAY0.plus(Duration.ofHours(h));
      points.add(point("requests", t, h % 24, "eu", "api", null));
      points.add(point("requests", t, 2 * (h % 24), "us", "api", null));
    }
    ingest(token, points).statusCode(200);
    TestDatabase.execute(
        "insert into analytics.tenant_branding (tenant_id, display_name, primary_color, version)"
            + " values (?::uuid, 'Acme Cloud', '#7B1FA2', 1)",
        tenant.toString());
  }

  private Map<String, Object> daily() {
    return spec(
        "metrics", List.of("requests"),
        "from", DAY0.toString(),
        "to", DAY0.plus(Duration.ofDays(3)).toString(),
        "bucket", "day",
        "groupBy", List.of("region"),
        "aggregations", List.of("sum", "max"));
  }

  private ExtractableResponse<Response> export(String format, Map<String, Object> spec) {
    return given()
        .header("Authorization", "Bearer " + token)
        .contentType(ContentType.JSON)
        .body(spec)
        .post("/v1/analytics/query/export?format=" + format)
        .then()
        .statusCode(200)
        .extract();
  }

  @Test
  void csvHasAHeaderAndOneLinePerRow() {
    var r = export("csv", daily());
    assertThat(r.contentType()).startsWith("text/csv");
    assertThat(r.header("Content-Disposition")).isEqualTo("attachment; filename=\"query.csv\"");
    List<String> lines = r.asString().lines().toList();
    // sum of 0..23 is 276 in eu each day, 552 in us; max 23 and 46.
    assertThat(lines)
        .containsExactly(
            "bucket,metric,region,sum,max",
            DAY0.atOffset(ZoneOffset.UTC) + ",requests,eu,276.0,23.0",
            DAY0.atOffset(ZoneOffset.UTC) + ",requests,us,552.0,46.0",
            DAY0.plus(Duration.ofDays(1)).atOffset(ZoneOffset.UTC) + ",requests,eu,276.0,23.0",
            DAY0.plus(Duration.ofDays(1)).atOffset(ZoneOffset.UTC) + ",requests,us,552.0,46.0",
            DAY0.plus(Duration.ofDays(2)).atOffset(ZoneOffset.UTC) + ",requests,eu,276.0,23.0",
            DAY0.plus(Duration.ofDays(2)).atOffset(ZoneOffset.UTC) + ",requests,us,552.0,46.0");
  }

  @Test
  void aCsvCellThatASpreadsheetWouldRunIsDefused() {
    ingest(token, List.of(point("requests", DAY0, 1, "=HYPERLINK(\"http://evil\")", "api", null)))
        .statusCode(200);
    String csv = export("csv", daily()).asString();
    assertThat(csv).contains(",\"'=HYPERLINK(\"\"http://evil\"\")\",");
  }

  @Test
  void jsonIsOneDocumentWithEveryRow() throws Exception {
    JsonNode d = EventJson.MAPPER.readTree(export("json", daily()).asString());
    assertThat(d.path("rowCount").asInt()).isEqualTo(6);
    assertThat(d.path("rows").get(1).path("groups").path("region").asText()).isEqualTo("us");
    assertThat(d.path("rows").get(1).path("values").path("sum").asDouble()).isEqualTo(552.0);
    assertThat(d.path("timeZone").asText()).isEqualTo("UTC");
  }

  @Test
  void excelOpensInPoiWithNumbersAsNumbers() throws Exception {
    var r = export("xlsx", daily());
    assertThat(r.contentType())
        .isEqualTo("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
    try (XSSFWorkbook book = new XSSFWorkbook(new ByteArrayInputStream(r.asByteArray()))) {
      Sheet sheet = book.getSheet("Report");
      assertThat(sheet.getLastRowNum()).isEqualTo(6);
      Row head = sheet.getRow(0);
      assertThat(head.getCell(3).getStringCellValue()).isEqualTo("sum");
      Row us = sheet.getRow(2);
      assertThat(us.getCell(2).getStringCellValue()).isEqualTo("us");
      assertThat(us.getCell(3).getNumericCellValue()).isEqualTo(552.0);
      assertThat(us.getCell(4).getNumericCellValue()).isEqualTo(46.0);
    }
  }

  /** The PDF's text says what it is; its first page is written as a PNG to look at. */
  @Test
  void pdfCarriesTheBrandATableAndAChart() throws Exception {
    Map<String, Object> hourly = daily();
    hourly.put("bucket", "hour");
    var r =
        given()
            .header("Authorization", "Bearer " + token)
            .contentType(ContentType.JSON)
            .body(hourly)
            .post("/v1/analytics/query/export?format=pdf&chart=line")
            .then()
            .statusCode(200)
            .extract();
    assertThat(r.contentType()).isEqualTo("application/pdf");
    byte[] pdf = r.asByteArray();
    try (PDDocument doc = Loader.loadPDF(pdf)) {
      String text = new PDFTextStripper().getText(doc);
      assertThat(text)
          .contains("Acme Cloud")
          .contains("Query export")
          .contains("requests")
          .contains("144 rows");
      assertThat(text).contains(DAY0.atOffset(ZoneOffset.UTC).toString());
      BufferedImage page = new PDFRenderer(doc).renderImageWithDPI(0, 60);
      Path out = Path.of("target/export-first-page.png");
      ImageIO.write(page, "png", out.toFile());
      assertThat(Files.size(out)).isGreaterThan(10_000);
      // The brand band across the top is the tenant's colour (#7B1FA2).
      boolean band = false;
      for (int y = 0; y < page.getHeight() / 6; y++) {
        band |= (page.getRGB(page.getWidth() / 2, y) & 0xFFFFFF) == 0x7B1FA2;
      }
      assertThat(band).as("a band of #7B1FA2 in the top sixth of the page").isTrue();
    }
  }

  @Test
  void badExportRequestsAreProblems() {
    badRequest(
        given()
            .header("Authorization", "Bearer " + token)
            .contentType(ContentType.JSON)
            .body(daily())
            .post("/v1/analytics/query/export?format=docx")
            .then(),
        "validation-failed",
        "invalid-value");
    badRequest(
        given()
            .header("Authorization", "Bearer " + token)
            .contentType(ContentType.JSON)
            .body(daily())
            .post("/v1/analytics/query/export?format=pdf&chart=pie")
            .then(),
        "validation-failed");
    Map<String, Object> unknown = daily();
    unknown.put("metrics", List.of("nope"));
    problem(
        given()
            .header("Authorization", "Bearer " + token)
            .contentType(ContentType.JSON)
            .body(unknown)
            .post("/v1/analytics/query/export?format=csv")
            .then(),
        422,
        "unknown-metric");
    // Another tenant exports nothing of this one's.
    problem(
        given()
            .header("Authorization", "Bearer " + token(UUID.randomUUID(), "analyst"))
            .contentType(ContentType.JSON)
            .body(daily())
            .post("/v1/analytics/query/export?format=csv")
            .then(),
        422,
        "unknown-metric");
  }
}
