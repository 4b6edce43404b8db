package com.securebase.billing;

import static com.securebase.billing.BillingFixtures.post;
import static com.securebase.billing.BillingFixtures.problem;
import static com.securebase.billing.BillingFixtures.record;
import static com.securebase.billing.BillingFixtures.runFor;
import static com.securebase.billing.BillingFixtures.tenant;
import static com.securebase.billing.BillingFixtures.token;
import static com.securebase.billing.BillingFixtures.usage;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import com.securebase.billing.domain.BillingPeriod;
import com.securebase.billing.domain.InvoiceRun;
import com.securebase.catalog.EventCatalog;
import com.securebase.events.EventEnvelope;
import com.securebase.testkit.BrokerEvents;
import com.securebase.testkit.SecureBaseTestResource;
import com.securebase.testkit.TestDatabase;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.awt.image.BufferedImage;
import java.io.File;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import javax.imageio.ImageIO;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.rendering.PDFRenderer;
import org.apache.pdfbox.text.PDFTextStripper;
import org.junit.jupiter.api.Test;

/** Invoice runs, the lifecycle, documents and credit notes over the real Postgres and Kafka. */
@QuarkusTest
@WithTestResource(
    value = SecureBaseTestResource.class,
    initArgs = @ResourceArg(name = "service", value = "billing"))
class InvoiceApiTest {
  private static final BillingPeriod LAST = BillingPeriod.containing(Instant.now()).previous();
  private static final Instant IN_LAST = LAST.start().plus(Duration.ofDays(2));

  @Inject InvoiceRun run;

  /** A document the API serves as a PDF, opened for its text and pages. */
  private static PDDocument pdf(String token, String path) throws java.io.IOException {
    return Loader.loadPDF(
        given()
            .auth()
            .oauth2(token)
            .get(path)
            .then()
            .statusCode(200)
            .contentType("application/pdf")
            .extract()
            .asByteArray());
  }

  /** A fintech tenant at 10% tax with a month of usage whose invoice is worked out below. */
  private static UUID fintechWithUsage(String name) {
    UUID tenant = UUID.randomUUID();
    tenant(tenant, name, "fintech", "0.10", LAST.start().minus(Duration.ofDays(40)), 1);
    usage(
            token(tenant, "billing"),
            record("acc-1", "accounts", "8", IN_LAST),
            record("acc-2", "accounts", "65", IN_LAST.plusSeconds(60)),
            record("ct-1", "cloudtrail_events", "1000000", IN_LAST),
            record("ct-2", "cloudtrail_events", "1350000", IN_LAST),
            record("log-1", "log_storage_gb", "1500", IN_LAST),
            record("nat-1", "nat_gateway_gb", "1234.5", IN_LAST),
            record("gd-1", "guardduty_findings", "1", IN_LAST),
            record("gd-2", "guardduty_findings", "1", IN_LAST),
            record("gd-3", "guardduty_findings", "7", IN_LAST),
            record("sh-1", "support_hours", "2", IN_LAST),
            record("sh-2", "support_hours", "0.5", IN_LAST))
        .statusCode(200)
        .body("accepted", equalTo(11));
    return tenant;
  }

  @Test
  void aMonthIsInvoicedOnceFinalizedCreditedAndPaid() throws Exception {
    UUID tenant = fintechWithUsage("Acme Fintech");
    String billing = token(tenant, "billing");
    try (BrokerEvents broker =
        BrokerEvents.on("securebase.billing.events", "securebase.audit.events")) {
      // Two runs at once for the same period: one invoice, one number.
      var first =
          CompletableFuture.supplyAsync(
              () -> runFor(billing, LAST.toString()).extract().response());
      var second =
          CompletableFuture.supplyAsync(
              () -> runFor(billing, LAST.toString()).extract().response());
      var answers = List.of(first.get(), second.get());
      assertThat(answers).extracting(r -> r.statusCode()).containsExactlyInAnyOrder(200, 201);
      assertThat(answers)
          .extracting(r -> r.jsonPath().getString("id"))
          .containsOnly(answers.get(0).jsonPath().getString("id"));
      String id = answers.get(0).jsonPath().getString("id");
      assertThat(
              TestDatabase.count(
                  "select count(*) from invoice where tenant_id = ?::uuid", tenant.toString()))
          .isOne();

      JsonPath draft =
          given()
              .auth()
              .oauth2(billing)
              .get("/v1/invoices/" + id)
              .then()
              .statusCode(200)
              .extract()
              .jsonPath();
      assertThat(draft.getString("number")).isEqualTo("INV-000001");
      assertThat(draft.getString("status")).isEqualTo("draft");
      assertThat(draft.getString("tier")).isEqualTo("fintech");
      // base fee fintech                                         8,000.00
      // accounts max 65, graduated: 10 × 0 + 40 × 20 + 15 × 15 = 1,025.00
      // cloudtrail sum 2,350,000: (2,350,000 − 1,000,000 free) / 100,000 = 13.5 → 14 × 2.00 = 28.00
      // guardduty count of 3 records (quantities ignored) × 0.50 = 1.50
      // log storage max 1,500 GB: volume, all in the 1,000–10,000 tier, 1,500 × 0.08 = 120.00
      // NAT sum 1,234.5 GB × 0.045 = 55.5525 → 55.55
      // support hours sum 2.5 × 150.00 = 375.00
      assertThat(draft.getList("lines.amount"))
          .containsExactly("8000.00", "1025.00", "28.00", "1.50", "120.00", "55.55", "375.00");
      assertThat(draft.getList("lines.metricCode"))
          .containsExactly(
              null,
              "accounts",
              "cloudtrail_events",
              "guardduty_findings",
              "log_storage_gb",
              "nat_gateway_gb",
              "support_hours");
      assertThat(draft.getList("lines.quantity"))
          .containsExactly(null, "65", "2350000", "3", "1500", "1234.5", "2.5");
      // subtotal 9,605.05 > 5,000: discount 5% = 480.2525 → 480.25; tax 10% of 9,124.80 = 912.48
      assertThat(draft.getString("subtotal")).isEqualTo("9605.05");
      assertThat(draft.getString("discount")).isEqualTo("480.25");
      assertThat(draft.getString("tax")).isEqualTo("912.48");
      assertThat(draft.getString("total")).isEqualTo("10037.28");

      given()
          .auth()
          .oauth2(billing)
          .post("/v1/invoices/" + id + "/finalize")
          .then()
          .statusCode(200)
          .body("status", equalTo("finalized"))
          .body("total", equalTo("10037.28"))
          .body("version", equalTo(2));
      // Lines are frozen at finalize (recomputed from the usage as it was then): credit those.
      JsonPath finalized =
          given().auth().oauth2(billing).get("/v1/invoices/" + id).then().extract().jsonPath();
      // Finalized: the period takes no more usage, and the invoice refuses to change.
      problem(
          usage(billing, record("late-1", "support_hours", "1", IN_LAST)), 422, "period-closed");
      assertThat(
              TestDatabase.count(
                  "select count(*) from usage_event where tenant_id = ?::uuid and transaction_id = 'late-1'",
                  tenant.toString()))
          .isZero();
      problem(post(billing, "/v1/invoices/" + id + "/finalize"), 409, "illegal-transition");
      runFor(billing, LAST.toString())
          .statusCode(200)
          .body("id", equalTo(id))
          .body("total", equalTo("10037.28"));

      // Partial credit of 75.00 on the support line: its discount share 75 × 480.25 / 9,605.05
      // = 3.7499… → 3.75; tax (75 − 3.75) × 0.10 = 7.125 → 7.12 (half-even); total 78.37.
      String supportLine =
          finalized.getString("lines.find { it.metricCode == 'support_hours' }.id");
      given()
          .auth()
          .oauth2(billing)
          .contentType(ContentType.JSON)
          .body(
              "{\"reason\":\"Two hours were a test\",\"lines\":[{\"lineId\":\""
                  + supportLine
                  + "\",\"amount\":75.00}]}")
          .post("/v1/invoices/" + id + "/credit-notes")
          .then()
          .statusCode(201)
          .body("number", equalTo("CN-000001"))
          .body("discount", equalTo("3.75"))
          .body("tax", equalTo("7.12"))
          .body("total", equalTo("78.37"));
      problem(
          given()
              .auth()
              .oauth2(billing)
              .contentType(ContentType.JSON)
              .body(
                  "{\"reason\":\"x\",\"lines\":[{\"lineId\":\""
                      + supportLine
                      + "\",\"amount\":300.01}]}")
              .post("/v1/invoices/" + id + "/credit-notes")
              .then(),
          422,
          "credit-exceeds-line");
      // A full credit takes exactly what is left: 10,037.28 − 78.37 = 9,958.91.
      given()
          .auth()
          .oauth2(billing)
          .contentType(ContentType.JSON)
          .body("{\"reason\":\"Cancelled\",\"full\":true}")
          .post("/v1/invoices/" + id + "/credit-notes")
          .then()
          .statusCode(201)
          .body("number", equalTo("CN-000002"))
          .body("total", equalTo("9958.91"));
      problem(
          given()
              .auth()
              .oauth2(billing)
              .contentType(ContentType.JSON)
              .body("{\"reason\":\"Again\",\"full\":true}")
              .post("/v1/invoices/" + id + "/credit-notes")
              .then(),
          409,
          "fully-credited");
      post(billing, "/v1/invoices/" + id + "/pay")
          .statusCode(200)
          .body("status", equalTo("paid"))
          .body("credited", equalTo("10037.28"));
      problem(post(billing, "/v1/invoices/" + id + "/void"), 409, "illegal-transition");

      List<EventEnvelope> events =
          broker.await(
              e -> id.equals(e.subject()) && e.type().startsWith("securebase.billing.invoice."),
              3,
              Duration.ofSeconds(30));
      assertThat(events)
          .extracting(EventEnvelope::type)
          .containsExactly(
              "securebase.billing.invoice.created",
              "securebase.billing.invoice.finalized",
              "securebase.billing.invoice.paid");
      for (EventEnvelope e : events) {
        assertThat(EventCatalog.load().violations(e.type(), e.data())).isEmpty();
        assertThat(e.tenantId()).isEqualTo(tenant.toString());
      }
      assertThat(events.get(1).data().path("total").asText()).isEqualTo("10037.28");
      assertThat(events.get(1).data().path("lines")).hasSize(7);
      List<EventEnvelope> audit =
          broker.await(
              e ->
                  e.type().equals("securebase.billing.audit.recorded")
                      && e.tenantId().equals(tenant.toString()),
              3,
              Duration.ofSeconds(30));
      assertThat(audit)
          .extracting(e -> e.data().path("action").asText())
          .containsExactly("invoice.finalized", "invoice.credited", "invoice.credited");
    }
  }

  @Test
  void thePdfCarriesTheNumberLinesTotalAndTenantName() throws Exception {
    UUID tenant = fintechWithUsage("Northwind Capital");
    String owner = token(tenant, "owner");
    String id = runFor(owner, LAST.toString()).statusCode(201).extract().path("id");
    try (PDDocument doc = pdf(owner, "/v1/invoices/" + id + "/pdf")) {
      String text = new PDFTextStripper().getText(doc);
      assertThat(text)
          .contains(
              "Northwind Capital",
              "Invoice INV-000001",
              "CloudTrail events analysed",
              "1025.00",
              "10037.28",
              "Volume discount");
      BufferedImage page = new PDFRenderer(doc).renderImageWithDPI(0, 60);
      File png = new File("target/invoice-page-1.png");
      ImageIO.write(page, "png", png);
      assertThat(png).exists();
    }
    String csv =
        given()
            .auth()
            .oauth2(owner)
            .get("/v1/invoices/" + id + "/lines.csv")
            .then()
            .statusCode(200)
            .extract()
            .asString();
    assertThat(csv.split("\r\n")).hasSize(8);
    assertThat(csv)
        .contains(
            "INV-000001,7,usage,Support engineering hours (sum of hour),support_hours,standard,2.5,375.00,USD");

    // The credit note has its own number and document.
    post(owner, "/v1/invoices/" + id + "/finalize").statusCode(200);
    String note =
        given()
            .auth()
            .oauth2(owner)
            .contentType(ContentType.JSON)
            .body("{\"reason\":\"Service outage in week 2\",\"full\":true}")
            .post("/v1/invoices/" + id + "/credit-notes")
            .then()
            .statusCode(201)
            .extract()
            .path("id");
    try (PDDocument doc = pdf(owner, "/v1/invoices/" + id + "/credit-notes/" + note + "/pdf")) {
      assertThat(new PDFTextStripper().getText(doc))
          .contains(
              "Northwind Capital",
              "Credit note CN-000001",
              "Credits invoice INV-000001",
              "Service outage in week 2",
              "10037.28");
    }
  }

  @Test
  void anInvoiceKeepsThePricesItWasComputedWith() {
    UUID early = UUID.randomUUID();
    UUID late = UUID.randomUUID();
    for (UUID t : List.of(early, late)) {
      tenant(t, "Gov " + t, "government", "0", LAST.start().minus(Duration.ofDays(90)), 1);
      usage(token(t, "owner"), record("g-1", "support_hours", "1", IN_LAST)).statusCode(200);
    }
    // Version 1: government 25,000.00 a month + 1 h × 150.00.
    String draft =
        runFor(token(early, "owner"), LAST.toString())
            .statusCode(201)
            .body("subtotal", equalTo("25150.00"))
            .extract()
            .path("id");
    // Version 2 of the government book from the 2nd of last month: 30,000.00 and 200.00 an hour.
    UUID v2 = UUID.randomUUID();
    TestDatabase.execute(
        "insert into billing.price_book (id, tier, version, currency, base_fee, effective_from)"
            + " values (?::uuid, 'government', 2, 'USD', 30000.00, ?::timestamptz)",
        v2.toString(),
        LAST.start().plus(Duration.ofDays(1)).toString());
    TestDatabase.execute(
        "insert into billing.price_charge (price_book_id, metric_code, model, properties)"
            + " select ?::uuid, metric_code, model, case metric_code when 'support_hours' then"
            + " '{\"unitAmount\":\"200.00\"}'::jsonb else properties end from"
            + " billing.price_charge where price_book_id = '00000000-0000-4000-8000-000000000004'",
        v2.toString());
    try {
      // The draft issued before the change is finalized at its own prices...
      post(token(early, "owner"), "/v1/invoices/" + draft + "/finalize")
          .statusCode(200)
          .body("subtotal", equalTo("25150.00"));
      // ...while an invoice computed now takes version 2: 30,000.00 + 1 h × 200.00.
      runFor(token(late, "owner"), LAST.toString())
          .statusCode(201)
          .body("subtotal", equalTo("30200.00"));
      assertThat(
              TestDatabase.rows(
                  "select price_book_id::text as book from billing.invoice where tenant_id in"
                      + " (?::uuid, ?::uuid) order by tenant_id = ?::uuid desc",
                  early.toString(),
                  late.toString(),
                  early.toString()))
          .extracting(r -> r.get("book"))
          .containsExactly("00000000-0000-4000-8000-000000000004", v2.toString());
    } finally {
      // Other tests' government tenants price at version 1.
      TestDatabase.execute(
          "delete from billing.invoice_line where invoice_id in (select id from billing.invoice"
              + " where price_book_id = ?::uuid)",
          v2.toString());
      TestDatabase.execute(
          "delete from billing.invoice where price_book_id = ?::uuid", v2.toString());
      TestDatabase.execute(
          "delete from billing.price_charge where price_book_id = ?::uuid", v2.toString());
      TestDatabase.execute("delete from billing.price_book where id = ?::uuid", v2.toString());
    }
  }

  @Test
  void aLogoOnAnInternalAddressIsNeverRequested() throws Exception {
    // A tenant may set any logo URL; one that points inside the platform's network (here
    // loopback, as a metadata service or internal API would be) must not be fetched.
    java.util.concurrent.atomic.AtomicInteger requests =
        new java.util.concurrent.atomic.AtomicInteger();
    com.sun.net.httpserver.HttpServer internal =
        com.sun.net.httpserver.HttpServer.create(new java.net.InetSocketAddress("127.0.0.1", 0), 0);
    internal.createContext(
        "/",
        exchange -> {
          requests.incrementAndGet();
          exchange.sendResponseHeaders(404, -1);
          exchange.close();
        });
    internal.start();
    try {
      UUID tenant = UUID.randomUUID();
      tenant(
          tenant,
          "Inside Job Ltd",
          "standard",
          "0.08",
          LAST.start().minus(Duration.ofDays(40)),
          1,
          "http://127.0.0.1:" + internal.getAddress().getPort() + "/logo.png");
      String owner = token(tenant, "owner");
      String id = runFor(owner, LAST.toString()).statusCode(201).extract().path("id");
      try (PDDocument doc = pdf(owner, "/v1/invoices/" + id + "/pdf")) {
        assertThat(new PDFTextStripper().getText(doc)).contains("Inside Job Ltd");
      }
      assertThat(requests.get()).isZero();
    } finally {
      internal.stop(0);
    }
  }

  @Test
  void aTierChangeMidMonthProratesTheBaseFee() {
    UUID tenant = UUID.randomUUID();
    tenant(tenant, "Growing Co", "standard", "0.08", LAST.start().minus(Duration.ofDays(60)), 1);
    // Upgraded to fintech on the 11th: 10 days standard, the rest fintech.
    tenant(
        tenant,
        "Growing Co",
        "fintech",
        "0.08",
        LAST.start().plus(Duration.ofDays(10)).plusSeconds(3600),
        2);
    String owner = token(tenant, "owner");
    JsonPath invoice = runFor(owner, LAST.toString()).statusCode(201).extract().jsonPath();
    int days = LAST.days();
    // 2,000 × 10 / days and 8,000 × (days − 10) / days, each rounded half-even (November: 666.67
    // and 5,333.33)
    String standard =
        new BigDecimal("2000")
            .multiply(BigDecimal.valueOf(10))
            .divide(BigDecimal.valueOf(days), 2, RoundingMode.HALF_EVEN)
            .toPlainString();
    String fintech =
        new BigDecimal("8000")
            .multiply(BigDecimal.valueOf(days - 10))
            .divide(BigDecimal.valueOf(days), 2, RoundingMode.HALF_EVEN)
            .toPlainString();
    assertThat(invoice.getList("lines.findAll { it.kind == 'base_fee' }.amount"))
        .containsExactly(standard, fintech);
    assertThat(invoice.getString("lines[0].description"))
        .contains("standard tier", "(10 of " + days + " days)");
    assertThat(invoice.getString("tier")).isEqualTo("fintech");
  }

  @Test
  void theMonthlyRunInvoicesEveryTenantOnceEvenWhenRunsRace() {
    List<UUID> tenants =
        List.of(
            fintechWithUsage("Batch A"), fintechWithUsage("Batch B"), fintechWithUsage("Batch C"));
    // Two replicas' scheduled runs at once, then a third after them.
    var first = run.forAll(LAST).subscribeAsCompletionStage();
    var second = run.forAll(LAST).subscribeAsCompletionStage();
    int created = first.join() + second.join();
    assertThat(created).isGreaterThanOrEqualTo(tenants.size());
    assertThat(run.forAll(LAST).await().atMost(Duration.ofSeconds(30))).isZero();
    for (UUID tenant : tenants) {
      assertThat(
              TestDatabase.rows(
                  "select number, total::text as total from invoice where tenant_id = ?::uuid",
                  tenant.toString()))
          .containsExactly(java.util.Map.of("number", "INV-000001", "total", "10037.28"));
      assertThat(
              TestDatabase.count(
                  "select last_seq from document_counter where tenant_id = ?::uuid and kind ="
                      + " 'invoice'",
                  tenant.toString()))
          .isOne();
    }
  }

  @Test
  void aRunKilledMidwayLeavesNothingAndTheRerunMakesTheSameInvoice() {
    UUID tenant = fintechWithUsage("Crashy Ltd");
    // The database refuses this tenant's invoice lines, as a crash between the invoice and its
    // lines would: the whole transaction, number included, must roll back.
    TestDatabase.execute(
        "create function billing.kill_lines() returns trigger language plpgsql as $$ begin"
            + " if new.tenant_id = '"
            + tenant
            + "' then raise exception 'killed midway'; end if;"
            + " return new; end $$");
    TestDatabase.execute(
        "create trigger kill_lines before insert on billing.invoice_line for each row execute function billing.kill_lines()");
    try {
      assertThat(run.forTenant(tenant, LAST).subscribeAsCompletionStage())
          .failsWithin(Duration.ofSeconds(30));
    } finally {
      TestDatabase.execute("drop trigger kill_lines on billing.invoice_line");
      TestDatabase.execute("drop function billing.kill_lines()");
    }
    assertThat(
            TestDatabase.count(
                "select count(*) from invoice where tenant_id = ?::uuid", tenant.toString()))
        .isZero();
    assertThat(
            TestDatabase.count(
                "select count(*) from document_counter where tenant_id = ?::uuid",
                tenant.toString()))
        .isZero();
    var outcome = run.forTenant(tenant, LAST).await().atMost(Duration.ofSeconds(30));
    assertThat(outcome.created()).isTrue();
    given()
        .auth()
        .oauth2(token(tenant, "admin"))
        .get("/v1/invoices/" + outcome.invoiceId())
        .then()
        .statusCode(200)
        .body("number", equalTo("INV-000001"))
        .body("total", equalTo("10037.28"))
        .body("lines", hasSize(7));
  }

  @Test
  void anotherTenantsInvoiceIsNotFoundAndBadInputIsAProblem() {
    UUID tenant = fintechWithUsage("Private Ltd");
    String owner = token(tenant, "owner");
    String id = runFor(owner, LAST.toString()).statusCode(201).extract().path("id");
    String stranger = token(UUID.randomUUID(), "owner");
    String base = "/v1/invoices/" + id;
    for (String path :
        List.of(
            base,
            base + "/pdf",
            base + "/lines.csv",
            base + "/credit-notes/" + UUID.randomUUID() + "/pdf")) {
      problem(given().auth().oauth2(stranger).get(path).then(), 404, "not-found");
    }
    for (String action : List.of("/finalize", "/pay", "/void")) {
      problem(post(stranger, base + action), 404, "not-found");
    }
    problem(
        given()
            .auth()
            .oauth2(stranger)
            .contentType(ContentType.JSON)
            .body("{\"reason\":\"mine\",\"full\":true}")
            .post(base + "/credit-notes")
            .then(),
        404,
        "not-found");
    given()
        .auth()
        .oauth2(stranger)
        .get("/v1/invoices")
        .then()
        .statusCode(200)
        .body("items", hasSize(0));
    assertThat(
            TestDatabase.count(
                "select count(*) from invoice where id = ?::uuid and status = 'draft' and version = 1",
                id))
        .isOne();

    for (String role : List.of("viewer", "analyst", "support")) {
      String t = token(tenant, role);
      problem(given().auth().oauth2(t).get("/v1/invoices").then(), 403, "forbidden");
      problem(given().auth().oauth2(t).get(base).then(), 403, "forbidden");
      problem(post(t, base + "/finalize"), 403, "forbidden");
      problem(runFor(t, LAST.toString()), 403, "forbidden");
    }
    given().get("/v1/invoices").then().statusCode(401);

    problem(given().auth().oauth2(owner).get("/v1/invoices/not-a-uuid").then(), 404, "not-found");
    for (String query :
        List.of(
            "status=sent", "from=2026-13", "to=yesterday", "cursor=zzz", "limit=0", "limit=101")) {
      given()
          .auth()
          .oauth2(owner)
          .get("/v1/invoices?" + query)
          .then()
          .statusCode(400)
          .contentType("application/problem+json");
    }
    for (String body :
        List.of(
            "{bad",
            "{}",
            "{\"period\":\"2026-1\"}",
            "{\"period\":202601}",
            "{\"period\":\"2026-01\",\"x\":1}")) {
      given()
          .auth()
          .oauth2(owner)
          .contentType(ContentType.JSON)
          .body(body)
          .post("/v1/invoices/runs")
          .then()
          .statusCode(400)
          .contentType("application/problem+json");
    }
    problem(
        runFor(owner, BillingPeriod.containing(Instant.now()).toString()), 422, "period-not-ended");
    post(owner, base + "/finalize").statusCode(200);
    for (String body :
        List.of(
            "{\"reason\":\"x\"}",
            "{\"reason\":\"x\",\"full\":true,\"lines\":[{\"lineId\":\""
                + UUID.randomUUID()
                + "\",\"amount\":1}]}",
            "{\"reason\":\"x\",\"lines\":[{\"lineId\":\""
                + UUID.randomUUID()
                + "\",\"amount\":1}]}",
            "{\"reason\":\"x\",\"lines\":[{\"lineId\":\"x\",\"amount\":1}]}",
            "{\"reason\":\"x\",\"lines\":[{\"lineId\":\""
                + UUID.randomUUID()
                + "\",\"amount\":0.001}]}",
            "{\"full\":true}")) {
      given()
          .auth()
          .oauth2(owner)
          .contentType(ContentType.JSON)
          .body(body)
          .post(base + "/credit-notes")
          .then()
          .log()
          .ifValidationFails()
          .statusCode(400)
          .contentType("application/problem+json");
    }
    // Pages: two invoices of this tenant, one per page, the cursor leading to the second.
    runFor(owner, LAST.previous().toString()).statusCode(201);
    JsonPath page1 =
        given()
            .auth()
            .oauth2(owner)
            .queryParam("limit", 1)
            .get("/v1/invoices")
            .then()
            .statusCode(200)
            .extract()
            .jsonPath();
    assertThat(page1.getList("items")).hasSize(1);
    assertThat(page1.getString("items[0].id")).isEqualTo(id);
    JsonPath page2 =
        given()
            .auth()
            .oauth2(owner)
            .queryParam("limit", 1)
            .queryParam("cursor", page1.getString("nextCursor"))
            .get("/v1/invoices")
            .then()
            .statusCode(200)
            .extract()
            .jsonPath();
    assertThat(page2.getString("items[0].number")).isEqualTo("INV-000002");
    assertThat(page2.getString("nextCursor")).isNull();
    given()
        .auth()
        .oauth2(owner)
        .queryParam("status", "finalized")
        .get("/v1/invoices")
        .then()
        .body("items.id", equalTo(List.of(id)));
  }
}
